// Fuzzing AlphaZero configs as --set and --config give them, and as checkpoints store them
// (AlphaZeroConfig.decode): every one is valid or one sentence, never a trap.
import AlphaZero
import BoardGames
import Foundation
import RL
import Runs
import TestSupport
import XCTest

final class AlphaZeroConfigFuzzTests: XCTestCase {
    func testRandomConfigsAreValidOrOneSentence() throws {
        let base = try AlphaZeroConfig.preset("tiny", environment: "tic-tac-toe", game: ConnectionGame.ticTacToe())
        let keys = ConfigOverrides.keys(of: base) + ["blockz", ""]
        let values: [Any] = [0, 1, -1, 3, 19, 25, 1_000_000_000, Int.max, Int.min, 0.5, -0.5, 1e30, 1e-9, true, "sgd", "adam", "cosine", "x", "tic-tac-toe", NSNull()]
        var m = Mutator(seed: 91)
        var valid = 0, refused = 0
        for _ in 0..<800 {
            var object: [String: Any] = [:]
            for _ in 0..<(1 + m.int(4)) { object[m.pick(keys)] = m.pick(values) }
            do {
                let c = try ConfigOverrides.apply(object, to: base, source: "fuzz")
                try c.validate()
                valid += 1
            } catch let error as ConfigError { XCTAssertFalse(error.description.isEmpty); refused += 1 } catch let error as AlphaZeroError {
                XCTAssertTrue(error.description.hasPrefix("AlphaZero config: "), error.description); refused += 1
            }
        }
        let stored = String(decoding: try JSONEncoder().encode(base), as: UTF8.self)
        for _ in 0..<400 {
            do { _ = try AlphaZeroConfig.decode(m.mutate(stored, edits: 2)) } catch let error as AlphaZeroError {
                XCTAssertFalse(error.description.isEmpty)
            } catch {
                XCTAssertFalse("\(error)".contains("Error Domain="), "a sentence, not a raw error: \(error)")
            }
        }
        XCTAssertGreaterThan(valid, 30)
        XCTAssertGreaterThan(refused, 300)
    }
}
