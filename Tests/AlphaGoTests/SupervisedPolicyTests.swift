// The supervised policy: packed planes and symmetries, reading game records (split by game,
// other board sizes skipped with a reason), and learning a synthetic expert's moves well
// beyond chance on held-out games.
@testable import AlphaGo
import Foundation
import Go
import Tensors
import TestSupport
import XCTest

final class SupervisedPolicyTests: XCTestCase {
    func testPackedPlanesRoundTripUnderEverySymmetry() {
        var game = GoGame(size: 7, komi: 0.5)
        for a in [24, 25, 17, 31, 10] { _ = game.step(a) }
        let planes = game.alphaGoFeatures()
        let packed = PackedPlanes(planes, planes: 48, size: 7)
        let tables = SymmetryTables(size: 7)
        for s in GoSymmetry.all {
            var out = [Float](repeating: -1, count: planes.count)
            out.withUnsafeMutableBufferPointer { packed.unpack(into: $0.baseAddress!, permutation: tables.permutations[s.index]) }
            XCTAssertEqual(out, s.apply(planes: planes, channels: 48, size: 7), "\(s)")
        }
    }

    func testRecordsSplitByGameAndSkipOtherSizes() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-records")
        defer { dir.remove() }
        try ExpertGames.write(count: 10, size: 5, seed: 1, to: dir.url.path)
        try "(;GM[1]FF[4]SZ[9];B[ee];W[cc])".write(toFile: dir.path("nine.sgf"), atomically: true, encoding: .utf8)
        try "(;GM[1]FF[4]SZ[5];B[zz])".write(toFile: dir.path("broken.sgf"), atomically: true, encoding: .utf8)
        let records = try GameRecords.load(directory: dir.url.path, boardSize: 5, heldOutFraction: 0.2, seed: 3)
        XCTAssertEqual(records.trainingGames, 8)
        XCTAssertEqual(records.heldOutGames, 2)
        XCTAssertEqual(records.skipped.count, 2)
        XCTAssertTrue(records.skipped.contains { $0.file.hasSuffix("nine.sgf") && $0.reason.contains("9×9 game, not 5×5") }, "\(records.skipped)")
        // Every move of the 10 games (passes excluded), each game on one side of the split.
        var moves = 0
        for g in 0..<10 {
            let (game, _) = try SGF.game(from: SGF.parse(String(contentsOfFile: dir.path("game_\(g).sgf"), encoding: .utf8))[0])
            moves += game.moves.filter { $0.point != nil }.count
        }
        XCTAssertEqual(records.training.count + records.heldOut.count, moves)
        // A selfplay-gtp record: its random opening moves are not the expert's.
        let opening = dir.path("opening")
        try FileManager.default.createDirectory(atPath: opening, withIntermediateDirectories: true)
        try "(;GM[1]FF[4]SZ[5]C[Dojo selfplay-gtp game 0: two passes. Moves 1–2 are the random opening.];B[aa];W[ee];B[cc]C[0.10 s];W[dd]C[0.20 s])"
            .write(toFile: "\(opening)/g.sgf", atomically: true, encoding: .utf8)
        let trimmed = try GameRecords.load(directory: opening, boardSize: 5, heldOutFraction: 0, seed: 0)
        XCTAssertEqual(trimmed.training.map(\.move), [12, 18])
        XCTAssertEqual(GameRecords.randomOpeningMoves("Moves 1–12 are the random opening."), 12)
        XCTAssertEqual(GameRecords.randomOpeningMoves("no such note"), 0)
        XCTAssertThrowsError(try GameRecords.load(directory: dir.path("missing"), boardSize: 5, heldOutFraction: 0.1, seed: 0)) {
            XCTAssertTrue("\($0)".contains("is not a folder"), "\($0)")
        }
    }

    func testLearnsTheExpertFarBeyondChance() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-sl")
        defer { dir.remove() }
        try ExpertGames.write(count: 60, size: 5, seed: 2, to: dir.url.path)
        var config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        config.heldOutFraction = 0.25
        let records = try GameRecords.load(directory: dir.url.path, boardSize: 5, heldOutFraction: config.heldOutFraction, seed: 5)
        // Chance (a uniformly random sensible point) and the best possible (the expert's ties).
        var chance = 0.0, ceiling = 0.0
        for e in records.heldOut {
            var planes = [Float](repeating: 0, count: 48 * 25)
            planes.withUnsafeMutableBufferPointer { e.planes.unpack(into: $0.baseAddress!, permutation: Array(0..<25)) }
            let scores = ExpertGames.scores(planes, size: 5)
            chance += 1 / Double(scores.count)
            ceiling += 1 / Double(scores.filter { $0.score == scores.map(\.score).max()! }.count)
        }
        chance /= Double(records.heldOut.count); ceiling /= Double(records.heldOut.count)
        let trainer = SupervisedPolicyTrainer(config: config, seed: 7)
        let before = trainer.evaluate(records.heldOut)
        let trained = try trainer.train(records.training, steps: 400)
        let after = trainer.evaluate(records.heldOut)
        XCTAssertLessThan(after.loss, before.loss - 0.3, "held-out loss \(before.loss) → \(after.loss)")
        XCTAssertGreaterThan(after.accuracy, chance + 0.6 * (ceiling - chance),
                             "held-out accuracy \(after.accuracy), chance \(chance), ceiling \(ceiling) (train \(trained.accuracy))")
        // The checkpoint rebuilds the same policy.
        let path = dir.path("sl.safetensors")
        try trainer.save(to: path, report: nil, sgf: dir.url.path)
        let info = try AlphaGoCheckpoint.info(path)
        XCTAssertEqual(info.stage, .slPolicy)
        XCTAssertEqual(info.step, 400)
        XCTAssertEqual(info.metadata["sgf"], dir.url.path)
        let policy = try AlphaGoCheckpoint.policy(path)
        var game = GoGame(size: 5, komi: 0.5)
        _ = game.step(12)
        let p = policy.distributions([game])[0]
        XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual(p[12], 0, "an occupied point gets no probability")
        XCTAssertThrowsError(try AlphaGoCheckpoint.value(path)) { XCTAssertTrue("\($0)".contains("holds a policy network"), "\($0)") }
    }

    func testDivergenceStopsWithASentence() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-diverge")
        defer { dir.remove() }
        try ExpertGames.write(count: 4, size: 5, seed: 3, to: dir.url.path)
        var config = try AlphaGoConfig.preset("tiny", boardSize: 5)
        config.slLearningRate = 1e12
        let records = try GameRecords.load(directory: dir.url.path, boardSize: 5, heldOutFraction: 0, seed: 1)
        let trainer = SupervisedPolicyTrainer(config: config, seed: 2)
        XCTAssertThrowsError(try trainer.train(records.training, steps: 200)) {
            XCTAssertTrue("\($0)".contains("training diverged at step") && "\($0)".contains("lower the learning rate"), "\($0)")
        }
    }
}
