// The reference's random-policy statistics (reference/minatar/ref_stats.py, N = 200, env seed
// 0, actions `RandomState(1).randint(6)`), reproduced episode by episode: because the port
// follows numpy's stream exactly, every return and length must match, for sticky 0.1 and 0.
import Foundation
import MinAtar
import RL
import XCTest

final class ReferenceStatisticsTests: XCTestCase {
    struct Entry: Decodable { let returns: [Int]; let lengths: [Int] }
    struct File: Decodable { let results: [String: Entry] }

    func check<Game: MinAtarGame>(_ game: Game.Type) throws {
        let data = try Data(contentsOf: try fixtureURL("ref_stats.json"))
        let file = try JSONDecoder().decode(File.self, from: data)
        for sticky in [0.1, 0.0] {
            let key = "\(Game.name)/sticky=\(sticky)"
            let expected = try XCTUnwrap(file.results[key], key)
            var env = Game(options: MinAtarOptions(stickyActionProbability: sticky))
            env.reset(seed: 0)
            var actions = NumpyRandomState(seed: 1)
            var returns: [Int] = [], lengths: [Int] = []
            for episode in 0..<expected.returns.count {
                if episode > 0 { env.reset(seed: nil) }
                var total = 0, length = 0
                while true {
                    let r = env.step(actions.randint(6))
                    total += Int(r.reward); length += 1
                    if r.terminated { break }
                }
                returns.append(total); lengths.append(length)
            }
            XCTAssertEqual(returns, expected.returns, "\(key) returns")
            XCTAssertEqual(lengths, expected.lengths, "\(key) lengths")
        }
    }

    func testBreakout() throws { try check(Breakout.self) }
    func testSpaceInvaders() throws { try check(SpaceInvaders.self) }
    func testFreeway() throws { try check(Freeway.self) }
    func testAsterix() throws { try check(Asterix.self) }
    func testSeaquest() throws { try check(Seaquest.self) }
}
