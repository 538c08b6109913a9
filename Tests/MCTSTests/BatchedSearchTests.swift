// Batched search with virtual loss (network evaluators): leaves gathered together go to
// different moves, the virtual loss leaves no trace, and a seed fixes the search.
import Go
@testable import MCTS
import Neural
import Tensors
import XCTest

final class BatchedSearchTests: XCTestCase {
    func evaluator(seed: UInt64 = 1) -> NetworkEvaluator {
        var g = SeededGenerator(seed: seed)
        let net = TwoHeadNetwork.alphaGoZero(board: 5, planes: GoGame.alphaGoZeroPlanes, filters: 8, blocks: 1, generator: &g)
        net.foldBatchNorm()
        return NetworkEvaluator(network: net, observationShape: GoGame(size: 5).observationShape, actionCount: 26)
    }

    func config(simulations: Int, batch: Int) -> MCTSConfig {
        var c = MCTSConfig()
        c.selection = .puct
        c.simulations = simulations
        c.batch = batch
        return c
    }

    func testVirtualLossSpreadsABatchOverDifferentMoves() {
        // The first batch stops at the unexpanded root (one leaf); the second gathers 8 leaves,
        // which the virtual loss sends to 8 different children.
        let tree = MCTS(root: GoGame(size: 5, komi: 0.5), config: config(simulations: 9, batch: 8), evaluator: evaluator(), seed: 4)
        XCTAssertEqual(tree.search(), 9)
        let visits = tree.rootVisits.map(\.visits)
        XCTAssertEqual(visits.reduce(0, +), 8)
        XCTAssertEqual(visits.filter { $0 == 1 }.count, 8, "eight distinct first moves")
        // No virtual loss is left behind: every node's visits equal its children's plus one.
        for (i, node) in tree.nodes.enumerated() where node.expanded {
            let children = (Int(node.firstChild)..<Int(node.firstChild + node.childCount)).map { Int(tree.nodes[$0].visits) }.reduce(0, +)
            XCTAssertEqual(Int(node.visits), children + 1, "node \(i)")
        }
        XCTAssertEqual(tree.nodes[0].visits, 9)
    }

    func testBatchedSearchIsDeterministicForASeed() {
        // The seed drives the root's Dirichlet noise: the same seed gives the same search, another
        // seed another one (without noise the seed would be unused and the test could not fail).
        func run(_ seed: UInt64) -> [Int] {
            var c = config(simulations: 300, batch: 8)
            c.rootNoiseFraction = 0.25
            let tree = MCTS(root: GoGame(size: 5, komi: 0.5), config: c, evaluator: evaluator(), seed: seed)
            tree.search()
            return tree.rootVisits.map(\.visits)
        }
        XCTAssertEqual(run(7), run(7))
        XCTAssertNotEqual(run(7), run(8), "the seed reaches the search")
        // The network's priors shape the search: the most visited move is among the top priors.
        let e = evaluator()
        let game = GoGame(size: 5, komi: 0.5)
        let policy = e.evaluate(states: [game])[0].policy
        let tree = MCTS(root: game, config: config(simulations: 300, batch: 8), evaluator: e, seed: 7)
        tree.search()
        let best = tree.bestAction()
        let rank = policy.indices.sorted { policy[$0] > policy[$1] }.firstIndex(of: best)!
        XCTAssertLessThan(rank, 10, "the search's choice has one of the ten highest priors")
    }
}
