// Mistyped names get a suggestion, and sized families state the sizes they take.
import Arena
import Catalog
import DQN
import Foundation
import RL
import Runs
import XCTest

final class NameErrorTests: XCTestCase {
    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testTyposGetADidYouMean() {
        XCTAssertTrue(message { try EnvironmentCatalog.make("minatar/breakuot") }.contains("did you mean minatar/breakout?"))
        XCTAssertTrue(message { try EnvironmentCatalog.make("tic-tac-teo") }.contains("did you mean tic-tac-toe?"))
        XCTAssertTrue(message { try AgentCatalog.make("mcst:seconds=0.1", seed: 0) }.contains("did you mean mcts?"))
        XCTAssertTrue(message { try PlayerCatalog.goSeat(PlayerEntry(name: "x", spec: "randon"), boardSize: 9) }.contains("did you mean random?"))
        XCTAssertTrue(message { try ConfigOverrides.apply(["doubleDqn": true], to: DQNConfig(), source: "--set") }.contains("did you mean doubleDQN?"))
        XCTAssertFalse(message { try EnvironmentCatalog.make("chess") }.contains("did you mean"), "nothing close: no guess")
        XCTAssertEqual(Suggestion.closest(to: "breakuot", among: ["breakout", "freeway"]), "breakout")
        XCTAssertNil(Suggestion.closest(to: "xyz", among: ["breakout"]))
    }

    func testSizedFamiliesStateTheirRange() {
        XCTAssertEqual(message { try EnvironmentCatalog.make("go:25") }, "go:N takes N in 2…19, got 25")
        XCTAssertEqual(message { try EnvironmentCatalog.make("go:1") }, "go:N takes N in 2…19, got 1")
        XCTAssertEqual(message { try EnvironmentCatalog.make("gridworld/empty-2") }, "gridworld/empty-N takes N in 4…64, got 2")
        XCTAssertEqual(message { try EnvironmentCatalog.make("gridworld/empty-3") }, "gridworld/empty-N takes N in 4…64, got 3")
        XCTAssertNoThrow(try EnvironmentCatalog.make("gridworld/empty-4"))
    }

    func testMinAtarTakesAStepCap() throws {
        var env = try EnvironmentCatalog.make("minatar/freeway,sticky=0,max_steps=50")
        XCTAssertEqual(env.maxEpisodeSteps, 50)
        env.reset(seed: 1)
        var steps = 0, last = StepResult()
        while !env.isOver { last = env.step(0); steps += 1 }
        XCTAssertEqual(steps, 50, "Freeway runs 2,501 steps; the cap ends it at 50")
        XCTAssertTrue(last.truncated && !last.terminated)
        XCTAssertEqual(message { try EnvironmentCatalog.make("minatar/freeway,max_steps=0") }, "option max_steps=0 of minatar/freeway must be an integer in 1…100000000")
    }

    func testMinAtarFlickers() throws {
        // About half the observations blanked, the game itself untouched: the same seed and
        // actions give the same rewards and the same unblanked observations.
        var flickering = try EnvironmentCatalog.make("minatar/freeway,sticky=0,flicker=0.5,max_steps=400")
        var plain = try EnvironmentCatalog.make("minatar/freeway,sticky=0,max_steps=400")
        flickering.reset(seed: 3); plain.reset(seed: 3)
        var a = [Float](repeating: 0, count: plain.observationShape.count), b = a
        var blank = 0, steps = 0
        while !plain.isOver {
            a.withUnsafeMutableBufferPointer { flickering.observe(into: $0) }
            b.withUnsafeMutableBufferPointer { plain.observe(into: $0) }
            if a.allSatisfy({ $0 == 0 }) { blank += 1 } else { XCTAssertEqual(a, b, "step \(steps)") }
            XCTAssertEqual(flickering.step(steps % 3).reward, plain.step(steps % 3).reward)
            steps += 1
        }
        XCTAssertTrue(flickering.isOver)
        XCTAssertEqual(steps, 400)
        XCTAssertEqual(Double(blank) / Double(steps), 0.5, accuracy: 0.15)
        XCTAssertEqual(message { try EnvironmentCatalog.make("minatar/breakout,flicker=2") }, "option flicker=2 of minatar/breakout must be a number in 0.0…1.0")
    }
}
