// One rating fit over several results files (`dojo strength`'s gauntlets, one per network
// version): players are matched by name across files, the fit equals a fit of all the games at
// once, and a name that runs different specs in two files is refused.
@testable import Arena
import Foundation
import XCTest

final class PooledRatingsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-pooled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A gauntlet file of `players` (name=spec) whose games are (black, white, result).
    func store(_ name: String, _ players: [(String, String)], _ games: [(Int, Int, String)]) throws -> ResultsStore {
        let settings = TournamentSettings(env: "go:5", players: players.map { PlayerEntry(name: $0.0, spec: $0.1) }, format: .gauntlet, games: 2,
                                          rules: GoRules(size: 5, komi: 0.5), anchor: players.last?.0)
        let store = try ResultsStore.create(path: directory.appendingPathComponent(name).path, settings: settings)
        for (i, g) in games.enumerated() {
            try store.record(GameRow(index: i, black: g.0, white: g.1, result: g.2, reason: "resign", detail: "", moves: "", moveCount: 0,
                                     secondsBlack: 0, secondsWhite: 0, sgf: nil, duplicateOf: nil))
        }
        return store
    }

    func testFilesPoolIntoOneFitMatchedByName() throws {
        let anchor = ("gnugo", "gtp:gnugo --mode gtp --level 1")
        // v1 scores 1 of 4 against the anchor, v2 3 of 4 (a void game left out).
        let v1 = try store("v1.sqlite", [("v1", "alphazero:checkpoint=a"), anchor], [(0, 1, "W+R"), (1, 0, "B+R"), (0, 1, "B+R"), (1, 0, "B+3.5")])
        let v2 = try store("v2.sqlite", [("v2", "alphazero:checkpoint=b"), anchor], [(0, 1, "B+R"), (1, 0, "W+R"), (0, 1, "W+R"), (1, 0, "W+1.5"), (0, 1, "Void")])
        let pooled = try PooledRatings.fit([v1, v2], anchor: "gnugo", priorDraws: 0)
        XCTAssertEqual(pooled.map(\.name), ["v1", "gnugo", "v2"])
        // The same games in one fit with global indices: v1 = 0, gnugo = 1, v2 = 2.
        let all = [PairResult(0, 1, scoreA: 0), PairResult(1, 0, scoreA: 1), PairResult(0, 1, scoreA: 1), PairResult(1, 0, scoreA: 1),
                   PairResult(2, 1, scoreA: 1), PairResult(1, 2, scoreA: 0), PairResult(2, 1, scoreA: 0), PairResult(1, 2, scoreA: 0)]
        let direct = try BradleyTerry.fit(players: 3, results: all, anchor: 1, priorDraws: 0)
        XCTAssertEqual(pooled.map(\.rating), direct)
        XCTAssertEqual(pooled[0].rating.elo ?? 0, 400 * log10(1.0 / 3), accuracy: 1e-6)
        XCTAssertEqual(pooled[2].rating.elo ?? 0, 400 * log10(3.0), accuracy: 1e-6)
        XCTAssertEqual(pooled[1].record.games, 8)
        XCTAssertEqual(pooled[2].record.text, "3–1–0")
    }

    func testANameWithTwoSpecsIsRefused() throws {
        let v1 = try store("a.sqlite", [("v1", "x"), ("gnugo", "gtp:gnugo --level 1")], [(0, 1, "B+R")])
        let v2 = try store("b.sqlite", [("v2", "y"), ("gnugo", "gtp:gnugo --level 10")], [(0, 1, "B+R")])
        XCTAssertThrowsError(try PooledRatings.fit([v1, v2], anchor: "gnugo")) { error in
            XCTAssertTrue("\(error)".contains("player gnugo runs 'gtp:gnugo --level 10'"), "\(error)")
        }
        XCTAssertThrowsError(try PooledRatings.fit([v1], anchor: "nobody")) { error in
            XCTAssertTrue("\(error)".contains("the anchor 'nobody' plays in none"), "\(error)")
        }
    }
}
