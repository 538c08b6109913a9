// AlphaZero beyond Go: board symmetries map games onto games (so augmentation never teaches a
// wrong position), and a few seconds of self-play on Tic-tac-toe make the loss fall, the agent
// beat the random player clearly, and the bare network find the winning move.
import AlphaZero
import BoardGames
import Go
import MCTS
import RL
import Tensors
import XCTest

final class BoardGameAlphaZeroTests: XCTestCase {
    /// Playing the image of every move under a symmetry gives, at every step, the image of the
    /// observation and of the legal mask, and the same rewards.
    func testSymmetriesMapEveryGameOntoAnotherGame() {
        let games: [(any Environment, Int)] = [
            (ConnectionGame.ticTacToe(), 8), (ConnectionGame.connectFour(), 2),
            (ConnectionGame(width: 5, height: 4, connect: 3, gravity: false), 4), (GoGame(size: 5, komi: 0.5), 8),
        ]
        for (game, count) in games { check(game, symmetries: count) }
    }

    func check<E: Environment>(_ start: E, symmetries count: Int) {
        let symmetries = BoardSymmetry.all(of: start)
        XCTAssertEqual(symmetries.count, count, "\(E.self) \(start.observationShape)")
        XCTAssertEqual(symmetries.first, .identity(cells: start.observationShape.height * start.observationShape.width, actions: start.actionCount))
        XCTAssertEqual(Set(symmetries.map(\.cells)).count, count, "distinct symmetries")
        var random = RandomPolicy(seed: 7)
        for (k, symmetry) in symmetries.enumerated() {
            for _ in 0..<3 {
                var game = start, image = start
                while !game.isOver {
                    let expected = transformed(game, symmetry)
                    XCTAssertEqual(image.observation(), expected.planes, "\(E.self) symmetry \(k): observation")
                    XCTAssertEqual(image.legalMaskIfNeeded(), expected.legal, "\(E.self) symmetry \(k): legal moves")
                    let a = random.act(on: game)
                    let r1 = game.step(a), r2 = image.step(symmetry.image(ofAction: a))
                    XCTAssertEqual(r1, r2, "\(E.self) symmetry \(k): rewards")
                }
                XCTAssertTrue(image.isOver)
            }
        }
    }

    func transformed(_ game: some Environment, _ symmetry: BoardSymmetry) -> (planes: [Float], legal: [Bool]?) {
        let planes = game.observation()
        var out = [Float](repeating: 0, count: planes.count)
        planes.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { symmetry.apply(planes: p.baseAddress!, channels: game.observationShape.channels, into: $0.baseAddress!) }
        }
        guard let legal = game.legalMaskIfNeeded() else { return (out, nil) }
        var mask = legal
        mask.withUnsafeMutableBufferPointer { symmetry.apply(actions: legal, into: $0.baseAddress!) }
        return (out, mask)
    }

    func testTicTacToeSelfPlayLearnsToWinAndToBlock() throws {
        let game = ConnectionGame.ticTacToe()
        XCTAssertNil(AlphaZeroConfig.unsupported(game, id: "tic-tac-toe"))
        var config = try AlphaZeroConfig.preset("tiny", environment: "tic-tac-toe", game: game)   // iterations of 8 games
        // 16 iterations, not the preset's 10: after 10 the bare network's choice in the two
        // positions below was still a near tie for some seeds, flipped by rounding alone (a
        // change of matrix kernels). With 16, seeds 1, 2, 4 and 5 pass every assertion; after
        // the channel-interleaved Winograd transforms' rounding, seed 3's bare network ranks
        // blocking (5) above winning (2), 0.147 against 0.109 (2026-12-06).
        config.iterations = 16
        let seed: UInt64 = 1
        XCTAssertEqual(config.maxMoves, 9)
        let trainer = AlphaZeroTrainer(config: config, seed: seed, start: game)
        XCTAssertEqual(trainer.symmetries.count, 8)
        let before = bareNetworkScore(trainer.currentEvaluator(), game)
        var reports: [IterationReport] = []
        for _ in 0..<config.iterations { reports.append(try trainer.runIteration()) }
        XCTAssertTrue(reports.allSatisfy { $0.positions >= 5 * $0.games && $0.positions <= 9 * $0.games }, "tic-tac-toe games last 5…9 moves")
        // On the last games' positions, the trained network's losses are below the untrained one's.
        let yardstick = Array(trainer.window.suffix(256))
        let start = AlphaZeroTrainer(config: config, seed: seed, start: game).loss(on: yardstick)
        let end = trainer.loss(on: yardstick)
        XCTAssertLessThan(end.value, start.value, "value loss \(start.value) → \(end.value)")
        XCTAssertLessThan(end.policy, start.policy, "policy loss \(start.policy) → \(end.policy)")
        let network = trainer.currentEvaluator()
        // The bare network, no search: X (to move) wins at the corner; O (to move) blocks it.
        //  X X .      X X .
        //  O O .      . O .
        //  . . .      . . .
        for (moves, who) in [([0, 3, 1, 4], "win"), ([0, 4, 1], "block")] {
            var position = game
            for a in moves { _ = position.step(a) }
            let policy = network.evaluate(states: [position])[0].policy
            XCTAssertEqual(position.legalActions.max { policy[$0] < policy[$1] }, 2, "the network's first choice is to \(who): \(policy)")
        }
        let after = bareNetworkScore(network, game)
        let searched = trainer.winRateAgainstRandom(games: 20, seed: 5)
        XCTAssertGreaterThanOrEqual(after, 0.75, "the bare network beats random clearly (untrained: \(before))")
        XCTAssertGreaterThan(after, before + 0.1, "training helped")
        XCTAssertGreaterThanOrEqual(searched, 0.85, "with search")
        print("tic-tac-toe AlphaZero: losses \(start) → \(end); bare network vs random \(before) → \(after), with search \(searched)")
    }

    /// The score (draws half) of the network's most likely legal move against uniformly random
    /// moves over 40 games, colours alternating.
    func bareNetworkScore(_ network: NetworkEvaluator, _ start: ConnectionGame) -> Double {
        var random = RandomPolicy(seed: 3), score = 0.0
        for k in 0..<40 {
            var game = start, rewards = SIMD2<Float>.zero
            while !game.isOver {
                let a: Int
                if game.currentPlayer == k % 2 {
                    let policy = network.evaluate(states: [game])[0].policy
                    a = game.legalActions.max { policy[$0] < policy[$1] }!
                } else {
                    a = random.act(on: game)
                }
                rewards += game.step(a).rewards
            }
            score += rewards[k % 2] > 0 ? 1 : rewards[k % 2] == 0 ? 0.5 : 0
        }
        return score / 40
    }
}
