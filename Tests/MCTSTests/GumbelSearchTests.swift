// Gumbel search (Danihelka et al. 2022) on bandits small enough to follow by hand: sequential
// halving's visits, the choice, the improved policy with completed Q-values (v_mix for moves
// never visited), the Gumbel-max draw as a sample from the prior, and selection below the root.
@testable import MCTS
import Foundation
import RL
import XCTest

final class GumbelSearchTests: XCTestCase {
    /// Fixed priors over the actions and a fixed value for player 0.
    struct Fixed: Evaluator {
        let priors: [Float]
        var value: Float = 0
        mutating func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
            Evaluation(priors: legal.map { priors[$0] }, values: SIMD2(value, 0))
        }
    }

    /// Two steps: a first move that changes nothing (0 or 1), then MCTSTests.Bandit's arms.
    struct TwoSteps: Environment {
        var first = true, isOver = false
        var actionCount: Int { 3 }
        var everyActionAlwaysLegal: Bool { true }
        var observationShape: ObservationShape { ObservationShape(channels: 1, height: 1, width: 1) }
        mutating func reset(seed: UInt64?) { first = true; isOver = false }
        mutating func step(_ action: Int) -> StepResult {
            if first { first = false; return StepResult(reward: 0, terminated: false) }
            isOver = true
            return StepResult(reward: [0, 1, 0.5][action], terminated: true)
        }
        func observe(into b: UnsafeMutableBufferPointer<Float>) { b[0] = first ? 1 : 0 }
        var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
        func render(into frame: inout Frame) {}
    }

    func gumbel(_ simulations: Int, actions: Int = 16, noise: Bool = false) -> MCTSConfig {
        var c = MCTSConfig()
        c.selection = .gumbel
        c.simulations = simulations
        c.gumbelActions = actions
        c.gumbelNoise = noise
        return c
    }

    /// softmax(log P + σ) by hand.
    func softmax(priors: [Double], sigma: [Double]) -> [Double] {
        let w = zip(priors, sigma).map { $0 * exp($1) }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }

    func testSequentialHalvingSpendsTheBudgetOnTheBetterHalfAndImprovesThePolicy() {
        // The prior favours the arm that pays nothing (as a wrong network would).
        let tree = MCTS(root: MCTSTests.Bandit(), config: gumbel(16), evaluator: Fixed(priors: [0.6, 0.2, 0.2]), seed: 0)
        XCTAssertEqual(tree.search(), 16)
        // The root takes one simulation; phase 1: 15 / (2 phases · 3 arms) = 2 each; arm 0 (Q 0)
        // drops out; the last phase spends the other 9 on arms 1 and 2 (5 and 4).
        XCTAssertEqual(tree.rootVisits.map(\.visits), [2, 7, 6])
        XCTAssertEqual(tree.bestAction(), 1)
        // q̂ = Q rescaled = (0, 1, 0.5); σ = (50 + 7) · 0.1 · q̂.
        let expected = softmax(priors: [0.6, 0.2, 0.2], sigma: [0, 5.7, 2.85])
        let improved = tree.improvedPolicy()
        XCTAssertEqual(improved.map(\.action), [0, 1, 2])
        for k in 0..<3 { XCTAssertEqual(Double(improved[k].probability), expected[k], accuracy: 1e-6) }
        XCTAssertGreaterThan(improved[1].probability, 0.9, "the search corrects the prior")
    }

    func testMovesNeverVisitedGetTheMixedValue() {
        // m = 2: the two moves with the largest prior (arm 0, then arm 1 by the lower index)
        // are searched; arm 2 is never visited and gets v_mix.
        let tree = MCTS(root: MCTSTests.Bandit(), config: gumbel(9, actions: 2), evaluator: Fixed(priors: [0.6, 0.2, 0.2], value: 0.3), seed: 0)
        tree.search()
        XCTAssertEqual(tree.rootVisits.map(\.visits), [4, 4, 0])
        // v_mix = (v̂ + ΣN · Σ_visited P·Q / Σ_visited P) / (1 + ΣN) = (0.3 + 8 · 0.2 / 0.8) / 9.
        let mixed = (0.3 + 8 * 0.2 / 0.8) / 9
        let expected = softmax(priors: [0.6, 0.2, 0.2], sigma: [0, 5.4, 5.4 * mixed])
        let improved = tree.improvedPolicy()
        for k in 0..<3 { XCTAssertEqual(Double(improved[k].probability), expected[k], accuracy: 1e-6, "arm \(k)") }
        XCTAssertEqual(tree.bestAction(), 1)
    }

    func testTheGumbelDrawSamplesTheMoveFromThePrior() {
        // With one move considered and values that say nothing, the move is argmax g + log P:
        // a sample from P (the Gumbel-max trick).
        var counts = [0, 0, 0]
        for seed in 0..<3_000 {
            let tree = MCTS(root: MCTSTests.Bandit(), config: gumbel(2, actions: 1, noise: true), evaluator: Fixed(priors: [0.6, 0.3, 0.1]), seed: UInt64(seed))
            tree.search()
            counts[tree.bestAction()] += 1
        }
        XCTAssertEqual(Double(counts[0]) / 3_000, 0.6, accuracy: 0.03, "\(counts)")
        XCTAssertEqual(Double(counts[1]) / 3_000, 0.3, accuracy: 0.03, "\(counts)")
        // Without noise the same search always takes the most likely move.
        let plain = MCTS(root: MCTSTests.Bandit(), config: gumbel(2, actions: 1), evaluator: Fixed(priors: [0.3, 0.6, 0.1]), seed: 5)
        plain.search()
        XCTAssertEqual(plain.bestAction(), 1)
    }

    func testBelowTheRootVisitsFollowTheImprovedPolicy() {
        // One root move considered, so every simulation goes through it; below it the prior
        // favours the worst arm. Deterministic selection sends most visits to the best arm and
        // keeps every arm's share of visits near its improved probability.
        let tree = MCTS(root: TwoSteps(), config: gumbel(60, actions: 1), evaluator: Fixed(priors: [0.6, 0.2, 0.2]), seed: 0)
        tree.search()
        let child = Int(tree.nodes[0].firstChild)
        XCTAssertEqual(tree.nodes[child].visits, 59)
        let range = Int(tree.nodes[child].firstChild)..<Int(tree.nodes[child].firstChild + tree.nodes[child].childCount)
        let visits = range.map { Double(tree.nodes[$0].visits) }
        let total = visits.reduce(0, +)
        XCTAssertEqual(total, 58)
        XCTAssertGreaterThan(visits[1], total / 2, "\(visits)")
        let policy = tree.improvedProbabilities(child)
        for k in 0..<3 { XCTAssertEqual(visits[k] / (1 + total), policy[k], accuracy: 0.05, "arm \(k): \(visits) against π' \(policy)") }
    }

    func testGumbelOptionsAreParsedOrRefused() throws {
        let c = try MCTSConfig.parse("selection=gumbel,playouts=32")
        XCTAssertEqual(c.selection, .gumbel)
        XCTAssertEqual(c.simulations, 32)
        XCTAssertTrue(c.gumbelNoise, "a player samples the moves it considers")
        for bad in ["selection=gumbel,seconds=1", "selection=gumbel,playouts=8,rave=on"] {
            XCTAssertThrowsError(try MCTSConfig.parse(bad)) { XCTAssertTrue("\($0)".contains("give playouts=N"), "\($0)") }
        }
    }
}
