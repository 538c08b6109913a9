// Replays the reference's golden traces (MinAtar 1.0.15, seed 0; written by
// reference/minatar/golden_traces.py) and requires every line to match exactly: executed
// (sticky) action, reward, terminal flag and the CRC of the observation.
import Foundation
import MinAtar
import RL
import XCTest

func fixtureURL(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw XCTSkip("fixture \(name) missing")
    }
    return url
}

final class GoldenTraceTests: XCTestCase {
    func replay<Game: MinAtarGame>(_ game: Game.Type, file: String) throws {
        let text = try String(contentsOf: try fixtureURL(file), encoding: .utf8)
        var env = Game()
        env.reset(seed: 0)
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
                    XCTFail("\(Game.name) step \(t): expected \(expected), got \(got)")
                    return
                }
                if r.terminated { env.reset(seed: nil) }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 1000)
    }

    func testBreakout() throws { try replay(Breakout.self, file: "breakout_seed0.jsonl") }
    func testSpaceInvaders() throws { try replay(SpaceInvaders.self, file: "space_invaders_seed0.jsonl") }
    func testFreeway() throws { try replay(Freeway.self, file: "freeway_seed0.jsonl") }
    func testAsterix() throws { try replay(Asterix.self, file: "asterix_seed0.jsonl") }
    func testSeaquest() throws { try replay(Seaquest.self, file: "seaquest_seed0.jsonl") }
}
