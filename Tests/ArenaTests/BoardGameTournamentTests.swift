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

/// A player that is not a policy: it resigns as soon as it is asked to move.
struct Resigner: Player {
    var name: String { "resigner" }
    func supports(_ env: some Environment) -> Bool { true }
    mutating func move(in state: some Environment, secondsLeft: Double?) -> Move { .resign }
}

final class BoardGameTournamentTests: XCTestCase {
    /// Any player plays in a board-game tournament, and a resignation loses the game at once.
    func testAResignationLosesTheGame() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-board-resign")
        defer { dir.remove() }
        let settings = TournamentSettings(env: "tic-tac-toe", players: ["random", "resigner"].map { PlayerEntry(name: $0, spec: $0) },
                                          format: .match, games: 2, rules: nil, boardGame: true, randomOpeningMoves: 0, seed: 1)
        let store = try ResultsStore.create(path: dir.path("r.sqlite"), settings: settings)
        let games = try BoardGameTournament(store: store, makeEnvironment: { ConnectionGame.ticTacToe() }) { i, seed in
            i == 1 ? Resigner() as any Player : RandomPolicy(seed: seed)
        }.run(parallel: 1)
        XCTAssertEqual(games.count, 2)
        for g in games {
            XCTAssertEqual(g.reason, "resign")
            XCTAssertEqual(g.result, g.black == 1 ? "W+R" : "B+R", "the resigner loses with either colour")
            XCTAssertEqual(g.moveCount, g.black == 1 ? 0 : 1, "it resigns at its first move")
        }
    }

    func tournament(_ path: String) throws -> BoardGameTournament {
        let settings = TournamentSettings(env: "connect-four", players: ["random", "lowest", "r2"].map { PlayerEntry(name: $0, spec: $0) },
                                          format: .roundRobin, games: 4, rules: nil, boardGame: true, randomOpeningMoves: 2, seed: 5)
        XCTAssertTrue(settings.isTwoPlayer)
        let store = try (try? ResultsStore.open(path: path)) ?? ResultsStore.create(path: path, settings: settings)
        return try BoardGameTournament(store: store, makeEnvironment: { ConnectionGame.connectFour() }) { i, seed in
            i == 1 ? LowestActionPolicy() as any Player : RandomPolicy(seed: seed)
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
