// Tournaments of two-player games other than Go: every scheduled game is played to the end by
// the game's rules with the right player moving, results agree with replaying the recorded
// moves, colour-swapped games share their random opening, and a stopped tournament resumes
// with the same games.
@testable import Arena
import BoardGames
import Foundation
import RL
import TestSupport
import XCTest

/// Always the lowest legal action: deterministic, and beaten by anyone who blocks a column.
struct LowestActionPolicy: Policy {
    mutating func act(on env: some Environment) -> Int { env.legalActions[0] }
}

final class BoardGameTournamentTests: XCTestCase {
    func tournament(_ path: String) throws -> BoardGameTournament {
        let settings = TournamentSettings(env: "connect-four", players: ["random", "lowest", "r2"].map { PlayerEntry(name: $0, spec: $0) },
                                          format: .roundRobin, games: 4, rules: nil, boardGame: true, randomOpeningMoves: 2, seed: 5)
        XCTAssertTrue(settings.isTwoPlayer)
        let store = try (try? ResultsStore.open(path: path)) ?? ResultsStore.create(path: path, settings: settings)
        return try BoardGameTournament(store: store, makeEnvironment: { ConnectionGame.connectFour() }) { i, seed in
            i == 1 ? LowestActionPolicy() as any Policy : RandomPolicy(seed: seed)
        }
    }

    func testGamesFollowTheRulesAndAStoppedTournamentResumesWithTheSameGames() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-board-arena")
        defer { dir.remove() }
        let whole = try tournament(dir.path("whole.sqlite")).run(parallel: 1)
        XCTAssertEqual(whole.count, 12)
        for g in whole {
            var game = ConnectionGame.connectFour(), rewards = SIMD2<Float>.zero
            for a in g.moves.split(separator: " ").map({ Int($0)! }) {
                XCTAssertTrue(game.legalActions.contains(a), "game \(g.index): \(a) is legal")
                rewards += game.step(a).rewards
            }
            XCTAssertTrue(game.isOver, "game \(g.index) ended by the rules")
            XCTAssertEqual(g.result, rewards[0] > 0 ? "B+1" : rewards[1] > 0 ? "W+1" : "0")
            XCTAssertEqual(g.reason, "terminated")
        }
        // Rounds 2m and 2m+1 of a pairing: the same two opening moves, colours swapped.
        for (a, b) in zip(whole, whole.dropFirst(3)) where (a.index / 3) % 2 == 0 {
            XCTAssertEqual(a.moves.split(separator: " ").prefix(2), b.moves.split(separator: " ").prefix(2))
            XCTAssertEqual([a.black, a.white], [b.white, b.black])
        }
        let path = dir.path("split.sqlite")
        let first = try tournament(path)
        let partial = try first.run(parallel: 2) { [store = first.store] in ((try? store.games().count) ?? 0) >= 5 }
        XCTAssertLessThan(partial.count, 12)
        let resumed = try tournament(path).run(parallel: 2)
        func essence(_ g: GameRow) -> [String] { [String(g.index), String(g.black), String(g.white), g.result, g.moves] }
        XCTAssertEqual(resumed.map(essence), whole.map(essence), "same seeds ⇒ same games, however they were split")
        let report = try TournamentReport(store: try ResultsStore.open(path: path))
        XCTAssertEqual(report.players.map { Int($0.record.games) }, [8, 8, 8])
        XCTAssertTrue(report.markdown.contains("as first / as second"), report.markdown)
    }
}
