// Schedules, the results store, the referee's verdicts on misbehaving players, and resuming a
// tournament that stopped half-way (same games, none lost, none twice).
@testable import Arena
import Foundation
import Go
import RL
import TestSupport
import XCTest

/// A scripted player: plays `script(game)`, optionally slowly, and (as an outside player would)
/// keeps the moves it was told.
final class ScriptedPlayer: GoPlayer, OutsidePlayer {
    let name: String
    let script: (GoGame) -> Move
    var delay = 0.0
    var seen: [Int] = []
    var lastFault: PlayerFault? { nil }
    init(_ name: String, script: @escaping (GoGame) -> Move) { self.name = name; self.script = script }
    convenience init(_ name: String, action: @escaping (GoGame) -> Int) { self.init(name) { .action(action($0)) } }
    func follow(_ game: GoGame) throws { seen = game.moves.map { m in m.point.map { game.board.action($0) } ?? game.passAction } }
    func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        return script(game)
    }
}

final class TournamentTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory(prefix: "dojo-arena") }
    override func tearDown() { temporary.remove() }

    func settings(_ players: [String], format: TournamentFormat = .roundRobin, games: Int = 4, opening: Int = 0) -> TournamentSettings {
        TournamentSettings(env: "go:5", players: players.map { PlayerEntry(name: $0, spec: $0 == "random" ? "random" : "x") },
                           format: format, games: games, rules: GoRules(size: 5, komi: 0.5), randomOpeningMoves: opening,
                           scorer: "tt", seed: 7)
    }

    func testScheduleAlternatesColoursAndSharesOpeningsBetweenSwappedGames() throws {
        let s = settings(["random", "a", "b"], games: 4)
        let games = s.schedule
        XCTAssertEqual(games.count, 3 * 4)
        XCTAssertEqual(games.map(\.index), Array(0..<12))
        for (i, j) in s.pairings {
            let mine = games.filter { Set([$0.black, $0.white]) == Set([i, j]) }
            XCTAssertEqual(mine.count, 4)
            XCTAssertEqual(mine.filter { $0.black == i }.count, 2, "each side has Black twice")
            XCTAssertEqual(mine[0].openingSeed, mine[1].openingSeed, "rounds 0 and 1 share an opening")
            XCTAssertNotEqual(mine[1].openingSeed, mine[2].openingSeed)
            XCTAssertEqual(mine[0].black, mine[1].white)
        }
        XCTAssertEqual(settings(["a", "b", "c", "d"], format: .gauntlet).pairings.map { [$0.0, $0.1] }, [[0, 1], [0, 2], [0, 3]])
        XCTAssertThrowsError(try settings(["a", "b"], games: 3).validate())
        XCTAssertThrowsError(try settings(["a", "a"]).validate())
        XCTAssertThrowsError(try settings(["a", "b", "c"], format: .match).validate())
        XCTAssertEqual(settings(["a", "random"]).anchor, "random")
    }

    func testStoreRefusesASecondTournamentAndNonsenseFiles() throws {
        let path = directory.appendingPathComponent("t.sqlite").path
        let store = try ResultsStore.create(path: path, settings: settings(["a", "b"]))
        let row = GameRow(index: 0, black: 0, white: 1, result: "B+R", reason: "resign", detail: "", moves: "C3", moveCount: 1,
                          secondsBlack: 0.5, secondsWhite: 0.25, sgf: nil, duplicateOf: nil)
        try store.record(row)
        XCTAssertThrowsError(try store.record(row), "a game number is stored once")
        XCTAssertThrowsError(try ResultsStore.create(path: path, settings: settings(["a", "b"]))) {
            XCTAssertTrue("\($0)".contains("--resume"), "\($0)")
        }
        let reopened = try ResultsStore.open(path: path)
        XCTAssertEqual(reopened.settings, settings(["a", "b"]))
        XCTAssertEqual(try reopened.games(), [row])
        let junk = directory.appendingPathComponent("junk.sqlite").path
        try Data("not a database at all, just text".utf8).write(to: URL(fileURLWithPath: junk))
        XCTAssertThrowsError(try ResultsStore.open(path: junk))
        XCTAssertThrowsError(try ResultsStore.open(path: directory.appendingPathComponent("none.sqlite").path)) {
            XCTAssertTrue("\($0)".contains("no results file"), "\($0)")
        }
    }

    func testRefereeVerdicts() throws {
        let rules = GoRules(size: 5, komi: 0.5, moveTime: 0.2)
        let passer = ScriptedPlayer("passer", action: { $0.passAction })
        // An occupied point is illegal: the offender loses by forfeit.
        let stubborn = ScriptedPlayer("stubborn", action: { _ in 12 })
        var g = GoReferee.play(black: stubborn, white: passer, rules: rules)
        XCTAssertEqual(g.end, .illegalMove)   // Black C3, White passes, Black C3 again
        XCTAssertEqual(g.result, "W+F")
        XCTAssertEqual(g.winner, .white)
        XCTAssertEqual(passer.seen, [12], "the opponent was told the legal move")
        // Too slow: loses on time.
        let slow = ScriptedPlayer("slow", action: { $0.passAction })
        slow.delay = 0.3
        g = GoReferee.play(black: passer, white: slow, rules: rules)
        XCTAssertEqual(g.end, .timeout)
        XCTAssertEqual(g.result, "B+F")
        // Resignation.
        g = GoReferee.play(black: passer, white: ScriptedPlayer("quitter") { _ in .resign }, rules: rules)
        XCTAssertEqual(g.end, .resign)
        XCTAssertEqual(g.result, "B+R")
        // Two passes: scored (Black's one stone owns the 5×5 board).
        let once = ScriptedPlayer("once", action: { $0.moves.isEmpty ? 12 : $0.passAction })
        g = GoReferee.play(black: once, white: passer, rules: rules)
        XCTAssertEqual(g.end, .twoPasses)
        XCTAssertEqual(g.result, "B+24.5")
        // The random opening is played on both sides before anyone is asked.
        let opening = GoTournament.opening(seed: 3, moves: 4, rules: rules)
        XCTAssertEqual(opening.count, 4)
        XCTAssertEqual(opening, GoTournament.opening(seed: 3, moves: 4, rules: rules))
        let watcher = ScriptedPlayer("watcher", action: { $0.passAction })
        g = GoReferee.play(black: passer, white: watcher, rules: rules, opening: opening)
        XCTAssertEqual(Array(watcher.seen.prefix(4)), opening)
        XCTAssertEqual(g.openingMoves, 4)
        XCTAssertEqual(g.game.moves.count, 6)
    }

    func testRefereeVoidsAGameWhenAnEngineRefusesALegalMoveAndForfeitsACrash() throws {
        let rules = GoRules(size: 5, komi: 0.5, moveTime: 5)
        // An engine that accepts setup but refuses every `play`: a dispute, the game is void.
        let refuser = GTPEnginePlayer(name: "refuser", command: ["/bin/sh", "-c", """
            while read -r id cmd rest; do
              case "$cmd" in
                play) printf '?%s illegal move\\n\\n' "$id" ;;
                quit) printf '=%s\\n\\n' "$id"; exit 0 ;;
                *) printf '=%s\\n\\n' "$id" ;;
              esac
            done
            """])
        defer { refuser.close() }
        var g = GoReferee.play(black: ScriptedPlayer("b", action: { _ in 12 }), white: refuser, rules: rules)
        XCTAssertEqual(g.end, .dispute)
        XCTAssertEqual(g.result, "Void")
        // An engine that dies on genmove loses by "crash"; the next game starts a new process.
        let dier = GTPEnginePlayer(name: "dier", command: ["/bin/sh", "-c", """
            while read -r id cmd rest; do
              case "$cmd" in
                genmove) exit 3 ;;
                *) printf '=%s\\n\\n' "$id" ;;
              esac
            done
            """])
        defer { dier.close() }
        for _ in 0..<2 {
            g = GoReferee.play(black: dier, white: ScriptedPlayer("w", action: { $0.passAction }), rules: rules)
            XCTAssertEqual(g.end, .crash, g.detail)
            XCTAssertEqual(g.result, "W+F")
        }
    }

    /// Random players in process: every game is determined by the tournament seed and its number.
    func randomTournament(_ path: String) throws -> GoTournament {
        let store = try (try? ResultsStore.open(path: path)) ?? ResultsStore.create(path: path, settings: settings(["random", "r2", "r3"], games: 4, opening: 2))
        return try GoTournament(store: store, scorer: .trompTaylor) { i, _ in
            { RandomGoPlayer(seed: $0) }
        }
    }

    func testStoppedTournamentResumesWithTheSameGamesNoneLostOrRepeated() throws {
        let whole = try randomTournament(directory.appendingPathComponent("whole.sqlite").path).run(parallel: 1)
        XCTAssertEqual(whole.count, 12)
        let path = directory.appendingPathComponent("split.sqlite").path
        let first = try randomTournament(path)
        let stopAfter = 5
        let partial = try first.run(parallel: 2) { [store = first.store] in ((try? store.games().count) ?? 0) >= stopAfter }
        XCTAssertGreaterThanOrEqual(partial.count, stopAfter)
        XCTAssertLessThan(partial.count, 12)
        let second = try randomTournament(path)
        XCTAssertEqual(second.remaining, 12 - partial.count)
        let resumed = try second.run(parallel: 2)
        XCTAssertEqual(resumed.map(\.index), Array(0..<12))
        func essence(_ g: GameRow) -> [String] { [String(g.index), String(g.black), String(g.white), g.result, g.reason, g.moves] }
        XCTAssertEqual(resumed.map(essence), whole.map(essence), "same seeds ⇒ same games, however they were split")
        XCTAssertEqual(Set(whole.map(\.moves)).count, 12, "random openings and seeds make every game different")
        let report = try TournamentReport(store: second.store)
        XCTAssertEqual(report.gamesPlayed, 12)
        XCTAssertEqual(report.players.map { Int($0.record.games) }, [8, 8, 8])
        XCTAssertEqual(report.players.first { $0.name == "random" }?.elo, 0)
        XCTAssertTrue(report.markdown.contains("| random |"), report.markdown)
    }

    /// Rows a damaged or crafted file may hold: each one is a sentence from the store (ratings
    /// and reports trapped on player ids out of range and on absurd move counts).
    func testADamagedResultsFileIsASentence() throws {
        let cases: [(String, String)] = [
            ("UPDATE games SET black = 99", "names black player 99, but the tournament has 2 players"),
            ("UPDATE games SET white = -1", "names white player -1"),
            ("UPDATE games SET move_count = 9223372036854775807", "claims 9223372036854775807 moves"),
            ("UPDATE games SET white = 0", "has player 0 on both sides"),
            (#"UPDATE tournament SET settings = json_set(settings, '$.players', json('[]'))"#, "at least 2 players"),
            (#"UPDATE tournament SET settings = json_set(settings, '$.games', 4611686018427387904)"#, "--games must be 1…1000000"),
        ]
        for (index, (sql, message)) in cases.enumerated() {
            let path = directory.appendingPathComponent("damaged\(index).sqlite").path
            let store = try ResultsStore.create(path: path, settings: settings(["a", "b"]))
            try store.record(GameRow(index: 0, black: 0, white: 1, result: "B+R", reason: "resign", detail: "", moves: "C3", moveCount: 1,
                                     secondsBlack: 0.5, secondsWhite: 0.25, sgf: nil, duplicateOf: nil))
            _ = try store.database.execute("PRAGMA foreign_keys = OFF")   // a crafted file obeys no constraint
            _ = try store.database.execute(sql)
            XCTAssertThrowsError(try TournamentReport(store: try ResultsStore.open(path: path)), sql) { error in
                XCTAssertTrue("\(error)".contains(message), "\(sql): \(error)")
            }
        }
    }

    func testDuplicateGamesAreMarked() throws {
        // Deterministic players without openings replay the same game with the same colours.
        let path = directory.appendingPathComponent("dup.sqlite").path
        let store = try ResultsStore.create(path: path, settings: settings(["a", "b"], games: 4))
        let t = try GoTournament(store: store, scorer: .trompTaylor) { i, _ in
            let player = ScriptedPlayer(["a", "b"][i], action: { game in game.legalActions.first { $0 != game.passAction } ?? game.passAction })
            return { _ in player }
        }
        let games = try t.run(parallel: 1)
        XCTAssertEqual(games.map(\.duplicateOf), [nil, nil, 0, 1])
        XCTAssertEqual(try TournamentReport(store: store).duplicateGames, 2)
    }

    func testSPRTStopsAMatchEarly() throws {
        var s = settings(["strong", "weak"], format: .match, games: 200)
        s.sprt = SPRT(elo0: 0, elo1: 100)
        let store = try ResultsStore.create(path: directory.appendingPathComponent("sprt.sqlite").path, settings: s)
        // "weak" resigns at once: "strong" wins every game and H1 is accepted long before 200.
        let t = try GoTournament(store: store, scorer: .trompTaylor) { i, _ in
            let player = i == 0 ? ScriptedPlayer("strong", action: { $0.passAction }) : ScriptedPlayer("weak") { _ in .resign }
            return { _ in player }
        }
        let games = try t.run(parallel: 1)
        XCTAssertLessThan(games.count, 30)
        XCTAssertEqual(t.sprtDecision(games), .h1)
        XCTAssertTrue(try TournamentReport(store: store).sprt?.contains("H1") ?? false)
    }
}
