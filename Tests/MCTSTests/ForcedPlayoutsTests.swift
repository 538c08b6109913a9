// KataGo's forced playouts and policy target pruning (Wu 2019, §3.2) on the three-armed bandit
// (arms pay 0, 1 and 0.5) with a prior that favours the worst arm, as Dirichlet noise can: the
// forced search must look at that arm at least √(k·P·N) times, and the training target must
// take those looks out again while leaving the best arm's visits alone.
@testable import MCTS
import RL
import XCTest

final class ForcedPlayoutsTests: XCTestCase {
    struct FixedPriors: Evaluator {
        let priors: [Float]
        mutating func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
            Evaluation(priors: legal.map { priors[$0] }, values: .zero)
        }
    }

    func search(forced k: Double) -> MCTS<MCTSTests.Bandit> {
        var config = MCTSConfig()
        config.selection = .puct
        config.simulations = 400
        config.forcedPlayouts = k
        let tree = MCTS(root: MCTSTests.Bandit(), config: config, evaluator: FixedPriors(priors: [0.6, 0.2, 0.2]), seed: 0)
        tree.search()
        return tree
    }

    func testForcedPlayoutsVisitTheFavouredArmAndPruningRemovesThem() {
        let plain = search(forced: 0), forced = search(forced: 2)
        let children = 399   // the first simulation expands the root
        let owed = forced.forcedVisits(prior: 0.6, childVisits: children)
        XCTAssertLessThan(Double(plain.rootVisits[0].visits), owed - 1, "plain PUCT neglects the arm: \(plain.rootVisits)")
        XCTAssertGreaterThanOrEqual(Double(forced.rootVisits[0].visits), owed - 1, "forced: \(forced.rootVisits)")
        XCTAssertEqual(forced.bestAction(), 1)
        // Off, the target is the visits; on, the best arm keeps its visits and the others lose
        // what was forced, down to where their PUCT would have caught up with the best.
        XCTAssertTrue(plain.policyTargetVisits().elementsEqual(plain.rootVisits) { $0 == $1 })
        let target = forced.policyTargetVisits()
        XCTAssertEqual(target[1].visits, forced.rootVisits[1].visits)
        XCTAssertLessThan(target[0].visits, forced.rootVisits[0].visits)
        XCTAssertLessThanOrEqual(target[0].visits, plain.rootVisits[0].visits + 1, "about what unforced search gave it: \(target) vs \(plain.rootVisits)")
        XCTAssertLessThanOrEqual(target[2].visits, forced.rootVisits[2].visits)
        XCTAssertTrue(target.allSatisfy { $0.visits != 1 }, "children left with one playout are dropped")
    }
}
