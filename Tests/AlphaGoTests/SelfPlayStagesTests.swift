// The policy-gradient and value stages and the search evaluator: REINFORCE moves the policy
// towards rewarded moves and away from punished ones, lock-step games are reproducible, the
// value network learns outcomes better than a constant, and the leaf value mixes the value
// network and rollouts by λ.
@testable import AlphaGo
import Foundation
import Go
import MCTS
import Tensors
import XCTest

final class SelfPlayStagesTests: XCTestCase {
    func tinyPolicy(seed: UInt64) throws -> PolicyNetwork {
        let config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        var g = SeededGenerator(seed: seed)
        return PolicyNetwork(config: config, network: AlphaGoNetworks.policy(config, generator: &g))
    }

    func testReinforceRaisesRewardedMovesAndLowersPunishedOnes() throws {
        for reward: Float in [1, -1] {
            let trainer = PolicyGradientTrainer(supervised: try tinyPolicy(seed: 1), seed: 2)
            var generator = SeededGenerator(seed: 3)
            let games = PolicyGames.play(count: 4, config: trainer.config, networks: [trainer.learner], generator: &generator,
                                         source: { _, _ in .network(0) }, keep: { _, ply, _ in ply < 6 })
            let positions = games.flatMap(\.kept).filter { $0.action != 25 }
            func meanLogProbability() -> Double {
                let features = positions.map { p -> [Float] in
                    var f = [Float](repeating: 0, count: 48 * 25)
                    f.withUnsafeMutableBufferPointer { p.planes.unpack(into: $0.baseAddress!, permutation: Array(0..<25)) }
                    return f
                }
                let d = trainer.learner.distributions(features: features)
                return zip(d, positions).reduce(0) { $0 + log(Double($1.0[$1.1.action])) } / Double(positions.count)
            }
            let before = meanLogProbability()
            for _ in 0..<20 { _ = trainer.step(positions, rewards: [Float](repeating: reward, count: positions.count)) }
            let after = meanLogProbability()
            if reward > 0 { XCTAssertGreaterThan(after, before + 0.01) } else { XCTAssertLessThan(after, before - 0.01) }
        }
    }

    func testLockStepGamesAreReproducibleAndFinished() throws {
        let policy = try tinyPolicy(seed: 4)
        func play(_ seed: UInt64) -> [String] {
            var g = SeededGenerator(seed: seed)
            return PolicyGames.play(count: 6, config: policy.config, networks: [policy], generator: &g,
                                    source: { game, ply in game % 2 == 0 || ply % 3 == 0 ? .random : .network(0) }, keep: { _, _, _ in false })
                .map { game in
                    XCTAssertTrue(game.game.isOver)
                    return game.game.moves.map { $0.point.map(String.init) ?? "pass" }.joined(separator: " ") + " " + game.game.resultString
                }
        }
        XCTAssertEqual(play(9), play(9))
        XCTAssertNotEqual(play(9), play(10))
    }

    func testPolicyGradientIterationPlaysTheStatedGames() throws {
        var config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        config.pgGamesPerIteration = 6; config.poolEvery = 2; config.evaluationGames = 4; config.pgReportEvery = 2
        let trainer = PolicyGradientTrainer(supervised: PolicyNetwork(config: config, network: try tinyPolicy(seed: 5).network), seed: 6)
        let first = try trainer.runIteration()
        XCTAssertEqual(first.games, 6)
        XCTAssertNil(first.winRateAgainstSupervised)
        XCTAssertGreaterThan(first.moves, 6)
        let second = try trainer.runIteration()
        XCTAssertNotNil(second.winRateAgainstSupervised)
        XCTAssertEqual(trainer.pool.count, 2, "the pool gains the learner every poolEvery iterations")
    }

    func testValueDataIsOnePositionPerGameAfterTheRandomMove() throws {
        let config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        let trainer = ValueTrainer(config: config, seed: 8)
        let policy = try tinyPolicy(seed: 9)
        let examples = trainer.generate(games: 40, supervised: policy, reinforced: policy, batch: 16)
        XCTAssertGreaterThan(examples.count, 20, "most games reach their random move")
        XCTAssertLessThanOrEqual(examples.count, 40)
        XCTAssertTrue(examples.allSatisfy { $0.planes.planes == 49 && abs($0.outcome) <= 1 })
        // Plane 48 is all ones or all zeros (Black or White to move).
        for e in examples {
            let black = e.planes[48, 0]
            XCTAssertTrue((0..<25).allSatisfy { e.planes[48, $0] == black })
        }
    }

    func testValuePositionsFileRoundTripsAndRejectsDamage() throws {
        let config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        let policy = try tinyPolicy(seed: 13)
        let examples = ValueTrainer(config: config, seed: 14).generate(games: 12, supervised: policy, reinforced: policy)
        let bytes = ValuePositionsFile.encode(examples, boardSize: 5)
        let back = try ValuePositionsFile.decode(bytes)
        XCTAssertEqual(back.boardSize, 5)
        XCTAssertEqual(back.examples.map(\.planes), examples.map(\.planes))
        XCTAssertEqual(back.examples.map(\.outcome), examples.map(\.outcome))
        XCTAssertThrowsError(try ValuePositionsFile.decode(Array(bytes.dropLast(2)))) { XCTAssertTrue("\($0)".contains("bytes do not hold"), "\($0)") }
        var wrong = bytes
        wrong[3] = 0
        XCTAssertThrowsError(try ValuePositionsFile.decode(wrong)) { XCTAssertTrue("\($0)".contains("wrong magic"), "\($0)") }
    }

    func testValueNetworkBeatsAConstantOnHeldOutGames() throws {
        // Late positions (ply 24 of a 5×5 game) with their outcomes: learnable from the stones.
        var config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        config.valueBatchSize = 32
        let trainer = ValueTrainer(config: config, seed: 8)
        let policy = try tinyPolicy(seed: 9)
        var generator = SeededGenerator(seed: 12)
        let games = PolicyGames.play(count: 200, config: config, networks: [policy], generator: &generator,
                                     source: { _, _ in .network(0) }, keep: { _, ply, _ in ply == 24 })
        var examples = games.compactMap { game in
            game.kept.first.map { ValueExample(planes: ValueTrainer.valuePlanes($0.planes, toPlay: $0.color), outcome: game.reward(for: $0.color)) }
        }
        XCTAssertGreaterThan(examples.count, 120)
        let heldOut = Array(examples.suffix(40))
        examples.removeLast(40)
        let mean = examples.reduce(0) { $0 + Double($1.outcome) } / Double(examples.count)
        let constant = heldOut.reduce(0) { $0 + pow(Double($1.outcome) - mean, 2) } / Double(heldOut.count)
        _ = try trainer.train(examples, steps: 300)
        let mse = trainer.evaluate(heldOut)
        XCTAssertLessThan(mse, 0.8 * constant, "held-out MSE \(mse) vs a constant's \(constant)")
    }

    func testPolicyGradientResumesExactlyWithItsPool() throws {
        var config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        config.pgGamesPerIteration = 4
        config.poolEvery = 2
        config.pgReportEvery = 3
        config.evaluationGames = 2
        func trainer() throws -> PolicyGradientTrainer {
            PolicyGradientTrainer(supervised: PolicyNetwork(config: config, network: try tinyPolicy(seed: 5).network), seed: 6)
        }
        let straight = try trainer()
        for _ in 0..<5 { _ = try straight.runIteration() }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pg-resume-\(UInt64.random(in: 0...UInt64.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try trainer()
        for _ in 0..<3 { _ = try first.runIteration() }
        try first.save(to: path, report: nil)
        let resumed = try trainer()
        try resumed.restore(from: path)
        XCTAssertEqual(resumed.iteration, 3)
        XCTAssertEqual(resumed.pool.count, 2)
        for _ in 0..<2 { _ = try resumed.runIteration() }
        XCTAssertEqual(resumed.pool.count, straight.pool.count)
        for (a, b) in zip(straight.network.parameters, resumed.network.parameters) { XCTAssertEqual(a.value.scalars, b.value.scalars, a.name) }
        for (m, n) in zip(straight.pool, resumed.pool) { for (a, b) in zip(m, n) { XCTAssertEqual(a.scalars, b.scalars) } }
        // The checkpoint still loads as a plain policy for play (the pool is skipped), and a
        // file without a pool is refused for resuming.
        XCTAssertEqual(try AlphaGoCheckpoint.policy(path).network.parameters[0].value.scalars, first.network.parameters[0].value.scalars)
        try AlphaGoCheckpoint.save(to: path, stage: .pgPolicy, config: config, network: first.network, optimizer: nil, step: 3, generator: first.generator)
        XCTAssertThrowsError(try trainer().restore(from: path)) { XCTAssertTrue("\($0)".contains("no opponent pool"), "\($0)") }
    }

    func testKnowledgeIsThePolicysPriorsAndTheValueNetworksEstimate() throws {
        let config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        var g = SeededGenerator(seed: 11)
        let policy = try tinyPolicy(seed: 10), value = ValueNetwork(config: config, network: AlphaGoNetworks.value(config, generator: &g))
        var game = GoGame(size: 5, komi: 0.5)
        for a in [12, 6, 8] { _ = game.step(a) }
        let legal = game.legalActions
        XCTAssertEqual(AlphaGoInputs.valuePlanes(game.alphaGoFeatures(), toPlay: game.toPlay, size: 5), game.alphaGoFeatures(valueNetwork: true))
        var withValue = AlphaGoKnowledge(policy: policy, value: value)
        let known = withValue.knowledge(game, legal: legal)
        XCTAssertEqual(known.value!, value.values([game])[0], accuracy: 1e-6)
        var policyOnly = AlphaGoKnowledge(policy: policy, value: nil)
        XCTAssertNil(policyOnly.knowledge(game, legal: legal).value)
        // Priors: the policy's distribution over the legal moves, pass floored, summing to 1.
        let p = policy.distributions([game])[0]
        XCTAssertEqual(known.priors.reduce(0, +), 1, accuracy: 1e-5)
        let total = legal.reduce(Float(0)) { $0 + ($1 == 25 ? max(p[$1], 0.01) : p[$1]) }
        for (a, prior) in zip(legal, known.priors) { XCTAssertEqual(prior, (a == 25 ? max(p[a], 0.01) : p[a]) / total, accuracy: 1e-6) }
    }
}
