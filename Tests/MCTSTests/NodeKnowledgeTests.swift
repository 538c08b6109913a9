// Knowledge at the expansion threshold (AlphaGo's n_thr): who gets asked and when, where the
// values go, how they mix with rollouts, and that priors steer the search.
import Go
import GoSearch
@testable import MCTS
import RL
import Tensors
import XCTest

/// Prior 0.9 on `favoured` (when legal), the rest shared; a fixed value; counts its calls.
struct FixedKnowledge: NodeKnowledge {
    var favoured: Int
    var value: Float?
    var calls = 0
    mutating func knowledge<E: Environment>(_ state: E, legal: [Int]) -> (priors: [Float], value: Float?) {
        calls += 1
        guard legal.contains(favoured), legal.count > 1 else { return ([Float](repeating: 1 / Float(legal.count), count: legal.count), value) }
        return (legal.map { $0 == favoured ? 0.9 : 0.1 / Float(legal.count - 1) }, value)
    }
}

final class NodeKnowledgeTests: XCTestCase {
    func search(knowledge: FixedKnowledge?, simulations: Int, threshold: Int = 10, lambda: Double = 0.5) -> MCTS<GoGame> {
        var c = MCTSConfig()
        c.rave = true
        c.simulations = simulations
        c.knowledgeThreshold = threshold
        c.priorWeight = 1
        c.lambda = lambda
        let tree = MCTS(root: GoGame(size: 5, komi: 0.5), config: c, evaluator: GoPlayoutEvaluator(seed: 3, recordsMoves: true), seed: 4)
        tree.knowledge = knowledge
        tree.search()
        return tree
    }

    func testOnlyNodesVisitedThresholdTimesAreAskedAndTheirValuesReachTheRoot() {
        let tree = search(knowledge: FixedKnowledge(favoured: 6, value: 0.3), simulations: 400)
        XCTAssertEqual((tree.knowledge as! FixedKnowledge).calls, tree.knowledgeCalls)
        XCTAssertGreaterThan(tree.knowledgeCalls, 3)
        for (i, n) in tree.nodes.enumerated() where n.expanded && n.childCount > 0 && !n.terminal {
            // Asked during a descent through it at ≥ threshold visits, so afterwards it has more.
            XCTAssertEqual(n.informed, Int(n.visits) >= (i == 0 ? 2 : 11), "node \(i) with \(n.visits) visits")
        }
        // Every value is backed up through the root, once, as +0.3 for the player to move at
        // the node asked; the root's sum counts each at its own sign.
        let root = tree.nodes[0]
        XCTAssertEqual(Int(root.estimateVisits), tree.knowledgeCalls)
        let informed = tree.nodes.filter(\.informed)
        let expected = informed.reduce(Float(0)) { $0 + ($1.player == root.player ? 0.3 : -0.3) }
        XCTAssertEqual(root.estimateSum[Int(root.player)], expected, accuracy: 1e-4)
        XCTAssertEqual(root.estimateSum[1 - Int(root.player)], -expected, accuracy: 1e-4)
    }

    func testChildValueMixesEstimatesAndRolloutsByLambda() {
        let tree = search(knowledge: FixedKnowledge(favoured: 6, value: 0.3), simulations: 400, lambda: 0.25)
        let root = tree.nodes[0], mover = Int(root.player)
        let child = (Int(root.firstChild)..<Int(root.firstChild + root.childCount)).map { tree.nodes[$0] }.first { $0.estimateVisits > 0 }!
        let rollouts = Double(child.valueSum[mover]) / Double(child.visits)
        let estimates = Double(child.estimateSum[mover]) / Double(child.estimateVisits)
        XCTAssertEqual(tree.meanValue(child, for: mover), 0.75 * estimates + 0.25 * rollouts, accuracy: 1e-9)
        // Without values the rollouts decide alone.
        let plain = search(knowledge: FixedKnowledge(favoured: 6, value: nil), simulations: 400, lambda: 0.25)
        XCTAssertEqual(plain.nodes[0].estimateVisits, 0)
        let c = plain.nodes[Int(plain.nodes[0].firstChild)]
        XCTAssertEqual(plain.meanValue(c, for: mover), Double(c.valueSum[mover]) / Double(c.visits), accuracy: 1e-9)
    }

    func testPriorsSteerTheSearchTowardTheFavouredMove() {
        // Edge point 1 (a poor first move on 5×5) gets many more visits when the knowledge
        // favours it than without knowledge.
        let favoured = search(knowledge: FixedKnowledge(favoured: 1, value: nil), simulations: 600)
        let plain = search(knowledge: nil, simulations: 600)
        func visits(_ t: MCTS<GoGame>) -> Int { t.rootVisits.first { $0.action == 1 }!.visits }
        XCTAssertEqual(plain.knowledgeCalls, 0)
        XCTAssertGreaterThan(visits(favoured), 3 * max(1, visits(plain)), "favoured \(visits(favoured)), plain \(visits(plain))")
        // Nothing is asked below the threshold: a search of 10 simulations asks only the root.
        XCTAssertEqual(search(knowledge: FixedKnowledge(favoured: 1, value: nil), simulations: 10).knowledgeCalls, 1)
    }
}
