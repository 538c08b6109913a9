// Search on problems with known answers: UCT/PUCT statistics on a hand-checked bandit, a
// capture on 5×5 Go, a lava corridor, and determinism with a fixed seed.
@testable import Go
import BoardGames
import Foundation
import GridWorld
@testable import GoSearch
@testable import MCTS
import RL
import Tensors
import XCTest

final class MCTSTests: XCTestCase {
    /// One step, three actions paying 0, 1 and 0.5, then the episode ends.
    struct Bandit: Environment {
        var isOver = false
        var actionCount: Int { 3 }
        var everyActionAlwaysLegal: Bool { true }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 1, width: 1) }
        mutating func reset(seed: UInt64?) { isOver = false }
        mutating func step(_ action: Int) -> StepResult { isOver = true; return StepResult(reward: [0, 1, 0.5][action], terminated: true) }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b[0] = 0 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    func testUCTStatisticsOnABandit() {
        var config = MCTSConfig()
        config.simulations = 4
        let tree = MCTS(root: Bandit(), config: config, evaluator: UniformEvaluator(), seed: 0)
        tree.search()
        // The first simulation expands the root; the next three visit each arm once (unvisited first).
        XCTAssertEqual(tree.rootVisits.map(\.visits), [1, 1, 1])
        XCTAssertEqual(tree.rootQ(1), 1); XCTAssertEqual(tree.rootQ(2), 0.5); XCTAssertEqual(tree.rootQ(0), 0)
        // Fifth simulation: all N = 1, parent N = 4: UCB = Q + 1.4·√(ln 4) → arm 1.
        XCTAssertEqual(tree.score(child: 2, parent: 0), 1 + 1.4 * log(4.0).squareRoot(), accuracy: 1e-12)
        config.simulations = 200
        let longer = MCTS(root: Bandit(), config: config, evaluator: UniformEvaluator(), seed: 0)
        longer.search()
        XCTAssertEqual(longer.bestAction(), 1)
        XCTAssertEqual(longer.rootValue, Double(longer.nodes[0].valueSum[0]) / 200, accuracy: 1e-9)
    }

    func testPUCTFollowsThePriorFormula() {
        var config = MCTSConfig()
        config.selection = .puct
        config.simulations = 1
        let tree = MCTS(root: Bandit(), config: config, evaluator: UniformEvaluator(), seed: 0)
        tree.search()
        // Root visited once, children unvisited: score = fpu + c(1)·P·√1/(1 + 0) with P = 1/3.
        let c = 1.25 + log((1 + 1 + 19_652.0) / 19_652.0)
        XCTAssertEqual(tree.score(child: 1, parent: 0), Double(Float(1) / 3) * c, accuracy: 1e-9)
        config.simulations = 300
        let longer = MCTS(root: Bandit(), config: config, evaluator: UniformEvaluator(), seed: 0)
        longer.search()
        XCTAssertEqual(longer.bestAction(), 1)
    }

    func testCapturesTheGroupInAtariOn5x5() {
        var game = GoGame(size: 5, komi: 0.5)
        let black = ["A5", "B5", "C5", "D5", "E5", "A4", "E4", "A3", "B3", "D3", "E3"], white = ["B4", "C4", "D4"]
        try! game.placeStones(black.map { game.board.point(action: GTPVertex.parse($0, size: 5)!) }, color: .black)
        try! game.placeStones(white.map { game.board.point(action: GTPVertex.parse($0, size: 5)!) }, color: .white)
        game.setToPlay(.black)
        var config = MCTSConfig()
        config.simulations = 2_000
        let tree = MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: 1), seed: 1)
        tree.search()
        // C3 takes the three stones at once; C2 wins them too (white's C3 would then be self-atari).
        // Every other move lets white escape toward the open bottom rows.
        XCTAssertTrue(["C3", "C2"].contains(GTPVertex.format(action: tree.bestAction(), size: 5)), GTPVertex.format(action: tree.bestAction(), size: 5))
        XCTAssertGreaterThan(tree.rootValue, 0.5, "black is winning")
    }

    func testAvoidsLavaAndReachesTheGoal() throws {
        // Going down is lava; the goal is two steps right.
        let map = try GridMap(parsing: "#####\n#S.G#\n#LLL#\n#####\n\nstep_penalty = 0.1\nmax_steps = 20")
        var config = MCTSConfig()
        config.simulations = 400
        var env = GridWorld(map: map)
        var total: Float = 0, steps = 0
        var policy = MCTSPolicy(config: config, seed: 4)
        while !env.isOver && steps < 10 {
            total += env.step(policy.act(on: env)).reward
            steps += 1
        }
        XCTAssertEqual(steps, 2); XCTAssertEqual(total, 0.8, accuracy: 1e-6)
    }

    func testTheSearchPlayerKeepsItsTreeWhereTheGameKnowsItsHistoryAndHonoursTheClock() {
        var config = MCTSConfig()
        config.simulations = 600
        // Go knows its moves: after our move and a reply the tree searched before carries over.
        var player = MCTSPolicy(config: config, seed: 2)
        var game = GoGame(size: 5)
        let first = player.decide(game, secondsLeft: nil)
        XCTAssertLessThanOrEqual(first.visits.map(\.visits).reduce(0, +), 600, "a fresh tree: the root's visits are the search's")
        _ = game.step(first.action)
        _ = game.step(game.legalActions.first { $0 != first.action && $0 != game.passAction }!)
        let second = player.decide(game, secondsLeft: nil)
        XCTAssertGreaterThan(second.visits.map(\.visits).reduce(0, +), 600, "the reply's statistics carried over")
        // Tic-tac-toe does not: every search starts afresh.
        var board = ConnectionGame.ticTacToe()
        var other = MCTSPolicy(config: config, seed: 2)
        _ = board.step(other.decide(board, secondsLeft: nil).action)
        _ = board.step(board.legalActions[0])
        XCTAssertLessThanOrEqual(other.decide(board, secondsLeft: nil).visits.map(\.visits).reduce(0, +), 600)
        // A clock caps a search with no playout budget at 90% of the seconds left.
        var timed = MCTSConfig()
        timed.simulations = 0
        timed.seconds = 30
        var clocked = MCTSPolicy(config: timed, seed: 1)
        let start = Date()
        _ = clocked.move(in: GoGame(size: 5), secondsLeft: 0.2)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
    }

    func testSameSeedSameSearch() {
        var game = GoGame(size: 7)
        _ = game.step(GTPVertex.parse("D4", size: 7)!)
        var config = MCTSConfig()
        config.simulations = 500
        let a = MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: 9), seed: 9)
        let b = MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: 9), seed: 9)
        a.search(); b.search()
        XCTAssertEqual(a.rootVisits.map(\.visits), b.rootVisits.map(\.visits))
        XCTAssertEqual(a.rootValue, b.rootValue)
    }

    func testSpecsParseAndBadOptionsAreOneSentence() throws {
        let c = try MCTSConfig.parse("playouts=500,selection=puct,c=2")
        XCTAssertEqual(c.simulations, 500); XCTAssertEqual(c.selection, .puct); XCTAssertEqual(c.puctInit, 2)
        let timed = try MCTSConfig.parse("seconds=0.5")
        XCTAssertEqual(timed.seconds, 0.5); XCTAssertEqual(timed.simulations, 0)
        XCTAssertThrowsError(try MCTSConfig.parse("plyouts=5")) { XCTAssertTrue("\($0)".hasPrefix("unknown MCTS option 'plyouts'")) }
        XCTAssertThrowsError(try MCTSConfig.parse("selection=best")) { XCTAssertEqual("\($0)", "MCTS selection=best must be uct, puct or gumbel") }
    }
}

final class RAVETests: XCTestCase {
    /// Every visit of a root child plays the child's move first, so its AMAF count is at least
    /// its visit count; AMAF values are means of ±1 outcomes.
    func testAMAFStatisticsCoverTheVisits() {
        var game = GoGame(size: 5)
        _ = game.step(GTPVertex.parse("C3", size: 5)!)
        var config = MCTSConfig()
        config.rave = true
        config.simulations = 600
        let tree = MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: 3, recordsMoves: true), seed: 3)
        tree.search()
        let root = tree.nodes[0]
        var amafTotal = 0
        for c in Int(root.firstChild)..<Int(root.firstChild + root.childCount) {
            let node = tree.nodes[c]
            XCTAssertGreaterThanOrEqual(node.amafVisits, node.visits)
            if node.amafVisits > 0 { XCTAssertLessThanOrEqual(abs(node.amafValueSum[1] / Float(node.amafVisits)), 1) }
            amafTotal += Int(node.amafVisits)
        }
        XCTAssertGreaterThan(amafTotal, 600, "playout moves also count for the root's children")
        // β = √(k/(3N + k)) mixes Q and AMAF Q (k = 1000).
        let c = Int(root.firstChild)
        let node = tree.nodes[c]
        if node.visits > 0 {
            let n = Double(node.visits), beta = (1000 / (3 * n + 1000)).squareRoot()
            let expected = (1 - beta) * Double(node.valueSum[1]) / n + beta * Double(node.amafValueSum[1]) / Double(node.amafVisits)
                + 0.1 * (log(Double(root.visits)) / n).squareRoot()
            XCTAssertEqual(tree.score(child: c, parent: 0), expected, accuracy: 1e-9)
        }
    }
}

final class RootNoiseAndResignTests: XCTestCase {
    func testDirichletSamplesAreDistributions() {
        var g = SeededGenerator(seed: 5)
        var mean = [Double](repeating: 0, count: 4)
        for _ in 0..<4_000 {
            let d = MCTS<GoGame>.dirichlet(alpha: 0.3, count: 4, generator: &g)
            XCTAssertEqual(Double(d.reduce(0, +)), 1, accuracy: 1e-4)
            XCTAssertTrue(d.allSatisfy { $0 >= 0 })
            for k in 0..<4 { mean[k] += Double(d[k]) / 4_000 }
        }
        for m in mean { XCTAssertEqual(m, 0.25, accuracy: 0.03, "symmetric Dirichlet: each component has mean 1/4") }
        let sparse = MCTS<GoGame>.dirichlet(alpha: 0.03, count: 50, generator: &g)
        XCTAssertGreaterThan(sparse.max()!, 0.5, "small α puts most mass on a few moves")
    }

    func testNoiseChangesOnlyTheRootPriors() {
        var config = MCTSConfig()
        config.selection = .puct; config.simulations = 50; config.rootNoiseFraction = 0.25
        let tree = MCTS(root: GoGame(size: 5), config: config, evaluator: UniformEvaluator(), seed: 1)
        tree.search()
        let r = tree.nodes[0]
        let priors = (Int(r.firstChild)..<Int(r.firstChild + r.childCount)).map { tree.nodes[$0].prior }
        XCTAssertEqual(Double(priors.reduce(0, +)), 1, accuracy: 1e-4)
        XCTAssertGreaterThan(Set(priors).count, 1, "no longer uniform")
        // Below the root the evaluator's uniform priors stay: 1 / (number of siblings).
        let deeper = tree.nodes.filter { $0.parent > 0 }
        XCTAssertFalse(deeper.isEmpty)
        for node in deeper {
            XCTAssertEqual(node.prior, 1 / Float(tree.nodes[Int(node.parent)].childCount), accuracy: 1e-7)
        }
    }

    func testResignsAHopelessPositionThroughGTP() throws {
        // White fills the board but for two eyes (A1, E5); black can only pass and has lost.
        let session = GTPSession(player: MCTSGoPlayer(config: try MCTSConfig.parse("playouts=300,resign=0.9"), seed: 1), size: 5, komi: 7.5)
        for col in ["A", "B", "C", "D", "E"] {
            for row in 1...5 where "\(col)\(row)" != "A1" && "\(col)\(row)" != "E5" { _ = session.respond(to: "play w \(col)\(row)") }
        }
        XCTAssertEqual(session.respond(to: "genmove b"), "= resign\n\n")
        let hopeful = GTPSession(player: MCTSGoPlayer(config: try MCTSConfig.parse("playouts=300,resign=0.9"), seed: 1), size: 5)
        XCTAssertNotEqual(hopeful.respond(to: "genmove b"), "= resign\n\n", "nobody resigns on an empty board")
    }
}

final class TreeReuseTests: XCTestCase {
    func testTheSubtreeAfterTwoMovesKeepsItsStatistics() {
        var config = MCTSConfig()
        config.simulations = 3_000
        let game = GoGame(size: 5)
        let tree = MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: 2), seed: 2)
        tree.search()
        let first = tree.bestAction()
        // The most visited reply below our move.
        let child = tree.nodes.indices.first { tree.nodes[$0].parent == 0 && Int(tree.nodes[$0].action) == first }!
        let c = tree.nodes[child]
        let reply = (Int(c.firstChild)..<Int(c.firstChild + c.childCount)).max { tree.nodes[$0].visits < tree.nodes[$1].visits }!
        var next = game
        _ = next.step(first); _ = next.step(Int(tree.nodes[reply].action))
        let reused = tree.reused(after: [first, Int(tree.nodes[reply].action)], newRoot: next)!
        XCTAssertEqual(reused.nodes[0].visits, tree.nodes[reply].visits, "the statistics carry over")
        XCTAssertEqual(reused.rootVisits.map(\.visits).reduce(0, +), Int(tree.nodes[reply].visits) - 1)
        XCTAssertLessThan(reused.nodes.count, tree.nodes.count)
        reused.search()
        XCTAssertEqual(Int(reused.nodes[0].visits), Int(tree.nodes[reply].visits) + 3_000)
        XCTAssertNil(tree.reused(after: [first, 24, 23], newRoot: next), "a path through unexpanded nodes is not reused")
        config.rootNoiseFraction = 0.25
        let noisy = MCTS(root: game, config: config, evaluator: UniformEvaluator(), seed: 1)
        noisy.search()
        XCTAssertNil(noisy.reused(after: [first], newRoot: game), "noisy roots are never reused")
    }
}

final class RootParallelTests: XCTestCase {
    /// Trees are independent, so the merged result depends on the seed and the number of trees,
    /// not on how many threads ran them.
    func testMergedRootsAreDeterministicAcrossThreadCounts() {
        var config = MCTSConfig()
        config.simulations = 300
        var game = GoGame(size: 5)
        _ = game.step(GTPVertex.parse("C3", size: 5)!)
        func run(threads: Int) -> RootParallelResult {
            let saved = Parallel.threads
            Parallel.threads = threads
            defer { Parallel.threads = saved }
            return MCTS<GoGame>.rootParallel(root: game, config: config, workers: 3, seed: 8) { GoPlayoutEvaluator(seed: $0) }
        }
        let one = run(threads: 1), two = run(threads: 2)
        XCTAssertEqual(one.visits, two.visits)
        XCTAssertEqual(one.simulations, 900)
        XCTAssertEqual(one.visits.values.reduce(0, +), 900 - 3, "each tree's first simulation expands its root")
        XCTAssertEqual(one.bestAction, two.bestAction)
    }
}

final class PassTests: XCTestCase {
    func testSearchPassesOnlyAfterTheOpponentPassed() {
        var game = GoGame(size: 5, komi: 0.5)
        _ = game.step(12)
        let visits = [(action: 25, visits: 50), (action: 3, visits: 20), (action: 7, visits: 30)]
        XCTAssertEqual(MCTSGoPlayer.avoidingPass(25, visits: visits, game), 7, "the opponent played: answer with the most visited move")
        XCTAssertEqual(MCTSGoPlayer.avoidingPass(3, visits: visits, game), 3, "a move stands")
        var answered = GoGame(size: 5, komi: 0.5)
        _ = answered.step(12)
        _ = answered.step(answered.passAction)
        XCTAssertEqual(MCTSGoPlayer.avoidingPass(25, visits: visits, answered), 25, "after the opponent's pass, passing may end the game")
    }

    func testSearchDoesNotFillItsOwnEye() {
        var game = GoGame(size: 5, komi: 0.5)
        for a in [1, 24, 5, 23, 6, 22] { _ = game.step(a) }   // Black walls off the corner point 0
        XCTAssertTrue(game.board.isEye(game.board.point(action: 0), .black))
        var config = MCTSConfig()
        config.simulations = 400
        let tree = MCTS(root: game, config: config, evaluator: GoPlayoutEvaluator(seed: 1), seed: 2)
        tree.search()
        XCTAssertFalse(tree.rootVisits.contains { $0.action == 0 }, "the eye is never a candidate at the root")
        XCTAssertGreaterThan(tree.rootVisits.count, 5)
    }
}
