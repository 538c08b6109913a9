// Replays the reference's golden traces (MinAtar 1.0.15, seed 0, random actions; written by the
// reference folder's golden_traces.py) and deep traces played by competent heuristics (seed 5;
// scripts/make_deep_traces.py), which reach Asterix's ramps, cleared Space Invaders waves,
// Seaquest's surfacings and Breakout's brick refills. Every line must match exactly: executed
// (sticky) action, reward, terminal flag and the CRC of the observation. A missing fixture is a
// failure, not a skip.
import Foundation
import MinAtar
import RL
import XCTest

struct MissingFixture: Error, CustomStringConvertible {
    let description: String
}

func fixtureURL(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw MissingFixture(description: "fixture \(name) is missing from Tests/MinAtarTests/Fixtures")
    }
    return url
}

final class GoldenTraceTests: XCTestCase {
    /// Replays `file`; returns the length of every episode it played.
    @discardableResult
    func replay<Game: MinAtarGame>(_ game: Game.Type, file: String, seed: UInt64 = 0) throws -> [Int] {
        let text = try String(contentsOf: try fixtureURL(file), encoding: .utf8)
        var env = Game()
        env.reset(seed: seed)
        var lengths = [0]
        var checked = 0
        for line in text.split(separator: "\n") {
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            switch obj["k"] as! String {
            case "meta":
                continue
            case "reset":
                XCTAssertEqual(MinAtarTrace.crcHex(env), obj["crc"] as? String, "\(Game.name): reset observation before step \(checked)")
            default:
                let t = obj["t"] as! Int, a = obj["a"] as! Int
                let r = env.step(a)
                let expected = "x=\(obj["x"]!) r=\(obj["r"]!) d=\(obj["d"]!) crc=\(obj["crc"]!)"
                let got = "x=\(env.lastExecutedAction) r=\(Int(r.reward)) d=\(r.terminated ? 1 : 0) crc=\(MinAtarTrace.crcHex(env))"
                if expected != got {
                    XCTFail("\(Game.name) step \(t) (step \(lengths.last!) of episode \(lengths.count)): expected \(expected), got \(got)")
                    return lengths
                }
                lengths[lengths.count - 1] += 1
                if r.terminated { env.reset(seed: nil); lengths.append(0) }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 1000)
        return lengths
    }

    func testBreakout() throws { try replay(Breakout.self, file: "breakout_seed0.jsonl") }
    func testSpaceInvaders() throws { try replay(SpaceInvaders.self, file: "space_invaders_seed0.jsonl") }
    func testFreeway() throws { try replay(Freeway.self, file: "freeway_seed0.jsonl") }
    func testAsterix() throws { try replay(Asterix.self, file: "asterix_seed0.jsonl") }
    func testSeaquest() throws { try replay(Seaquest.self, file: "seaquest_seed0.jsonl") }

    /// Asterix ramps in steps 102, 204 and 306 of an episode: the deep trace has episodes past
    /// each, so a ramp a step early or late changes what follows.
    func testAsterixRampsAtTheirSteps() throws {
        let lengths = try replay(Asterix.self, file: "asterix_deep_seed5.jsonl", seed: 5)
        XCTAssertGreaterThanOrEqual(lengths.filter { $0 > 120 }.count, 3, "\(lengths)")
        XCTAssertGreaterThan(lengths.max() ?? 0, 320, "an episode past the third ramp")
    }

    func testDeepBreakoutSpaceInvadersAndSeaquest() throws {
        XCTAssertGreaterThan(try replay(Breakout.self, file: "breakout_deep_seed5.jsonl", seed: 5).max() ?? 0, 400, "brick refills")
        XCTAssertGreaterThan(try replay(SpaceInvaders.self, file: "space_invaders_deep_seed5.jsonl", seed: 5).max() ?? 0, 200)
        XCTAssertGreaterThan(try replay(Seaquest.self, file: "seaquest_deep_seed5.jsonl", seed: 5).max() ?? 0, 300)
    }
}
