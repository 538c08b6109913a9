// `dojo tournament` and `dojo ratings` end to end: a real Go tournament with GNU Go, a
// tournament killed with SIGKILL and resumed, paired single-player episodes, and bad input.
import Arena
import Foundation
import Go
import TestSupport
import XCTest

final class TournamentCLITests: XCTestCase, RunsDojo {
    var temporary: TemporaryDirectory!
    var directory: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory(prefix: "dojo-tourney") }
    override func tearDown() { temporary.remove() }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testRealTournamentWithGNUGoIsSaneAndResumes() throws {
        guard GoScorer.findGNUGo() != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have GNU Go (make test installs it)") }
            throw XCTSkip("GNU Go is not installed (apt-get install gnugo)")
        }
        let db = path("go.sqlite"), sgf = path("games")
        let args = ["tournament", "--env", "go:9", "--komi", "7.5", "--player", "random", "--player", "mcts=mcts:playouts=50",
                    "--player", "gnugo=gtp:gnugo --mode gtp --level 1", "--games", "2", "--parallel", "2",
                    "--db", db, "--sgf-dir", sgf, "--seed", "5", "--json"]
        let r = try run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let store = try ResultsStore.open(path: db)
        let games = try store.games()
        XCTAssertEqual(games.count, 6)
        let names = store.settings.players.map(\.name)
        let (random, gnugo) = (names.firstIndex(of: "random")!, names.firstIndex(of: "gnugo")!)
        let gnugoVsRandom = games.filter { Set([$0.black, $0.white]) == Set([random, gnugo]) }
        XCTAssertEqual(gnugoVsRandom.count, 2)
        for g in gnugoVsRandom {
            XCTAssertEqual(g.winner, gnugo, "GNU Go beats random: \(g.result) \(g.reason) \(g.detail)")
            XCTAssertFalse(g.result.hasSuffix("+F"), "won on the board, not by forfeit: \(g.detail)")
        }
        XCTAssertEqual(Set(games.map(\.reason)).subtracting(["two passes", "resign", "move cap"]), [], "no faults")
        // The report ranks GNU Go above random.
        let report = try JSONDecoder().decode(TournamentReport.self, from: Data(r.stdout.utf8))
        let elo = Dictionary(uniqueKeysWithValues: report.players.map { ($0.name, $0.elo ?? .nan) })
        XCTAssertEqual(elo["random"], 0)
        XCTAssertGreaterThan(elo["gnugo"]!, 100)
        // Every game is an SGF that sgfmill reads with the right players and result.
        let files = try FileManager.default.contentsOfDirectory(atPath: sgf).filter { $0.hasSuffix(".sgf") }.sorted()
        XCTAssertEqual(files.count, 6)
        let check = try ExternalProcess.python("""
            import sys
            from sgfmill import sgf
            for path in sys.argv[1:]:
                g = sgf.Sgf_game.from_bytes(open(path, "rb").read())
                root = g.get_root()
                print(root.get("PB"), root.get("PW"), root.get("RE"), root.get("KM"), len(g.get_main_sequence()) - 1)
            """, files.map { "\(sgf)/\($0)" }, requires: "sgfmill")
        XCTAssertEqual(check.status, 0, check.stderr)
        let lines = check.stdout.split(separator: "\n")
        for (line, g) in zip(lines, games) {
            XCTAssertEqual(String(line), "\(names[g.black]) \(names[g.white]) \(g.result) 7.5 \(g.moveCount)")
        }
        // GNU Go loads each record and counts the same winner.
        for (file, g) in zip(files, games) where !g.result.hasSuffix("+R") {
            let gtp = try GTPEngine(command: [GoScorer.findGNUGo()!, "--mode", "gtp", "--chinese-rules"], name: "gnugo")
            defer { gtp.stop() }
            XCTAssertEqual(try gtp.send("loadsgf \(sgf)/\(file)"), g.moveCount % 2 == 0 ? "black" : "white")
            XCTAssertEqual(try gtp.send("final_score", timeout: 60).first, g.result.first, file)
        }
        // --resume on a finished tournament plays nothing and keeps every game.
        let again = try run(["tournament", "--resume", db])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try ResultsStore.open(path: db).games(), games)
        let ratings = try run(["ratings", db])
        XCTAssertEqual(ratings.status, 0)
        XCTAssertTrue(ratings.stdout.contains("| gnugo |"), ratings.stdout)
    }

    func testTournamentKilledWithSIGKILLResumesWithoutLosingOrRepeatingGames() throws {
        let common = ["--env", "go:5", "--komi", "0.5", "--player", "random", "--player", "m=mcts:playouts=30",
                      "--games", "8", "--random-opening-moves", "2", "--seed", "11"]
        let whole = path("whole.sqlite")
        XCTAssertEqual(try run(["tournament"] + common + ["--db", whole]).status, 0)
        let expected = try ResultsStore.open(path: whole).games()
        XCTAssertEqual(expected.count, 8)

        let db = path("killed.sqlite")
        let process = Process()
        process.executableURL = try dojo
        process.arguments = ["tournament"] + common + ["--db", db]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for a few committed games, then kill without warning.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let n = try? ResultsStore.open(path: db).games().count, n >= 2 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let survived = try ResultsStore.open(path: db).games()
        XCTAssertGreaterThanOrEqual(survived.count, 2)
        XCTAssertLessThan(survived.count, 8, "killed before the end (otherwise this test proves nothing)")
        let resumed = try run(["tournament", "--resume", db])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let games = try ResultsStore.open(path: db).games()
        XCTAssertEqual(games.map(\.index), Array(0..<8))
        XCTAssertEqual(games.map(\.moves), expected.map(\.moves), "the same games as an uninterrupted run")
        XCTAssertEqual(games.map(\.result), expected.map(\.result))
    }

    func testSingleplayerEpisodesArePaired() throws {
        let db = path("breakout.sqlite")
        let r = try run(["tournament", "--env", "minatar/breakout", "--player", "random", "--player", "again=random",
                         "--episodes", "30", "--parallel", "2", "--db", db, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try JSONDecoder().decode(TournamentReport.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(report.episodeLines.map(\.episodes), [30, 30])
        let (first, again) = (report.episodeLines[0], report.episodeLines[1])
        XCTAssertGreaterThan(first.return95, 0, "returns vary between episodes")
        XCTAssertEqual(again.meanReturn, first.meanReturn, "same spec, same episode seeds ⇒ same episodes")
        XCTAssertEqual(again.pairedDifference, 0)
        XCTAssertEqual(again.difference95, 0)
        XCTAssertTrue(try run(["ratings", db]).stdout.contains("paired difference"))
    }

    func testBadInputIsOneSentenceAndWritesNothing() throws {
        let db = path("bad.sqlite")
        for (args, phrase) in [
            (["--env", "go:9", "--player", "random", "--player", "x=nonsense"], "unknown Go player"),
            (["--env", "go:9", "--player", "random", "--player", "e=gtp:/no/such/engine --gtp"], "does not work as a GTP engine"),
            (["--env", "go:9", "--player", "random", "--player", "random"], "two players are named"),
            (["--env", "go:9"], "at least 2 players"),
            (["--env", "go:9", "--player", "random", "--player", "mcts", "--games", "3"], "even"),
            (["--env", "go:9", "--player", "a=random", "--player", "b=random", "--player", "c=random", "--format", "match"], "exactly two"),
            (["--env", "minatar/breakout", "--player", "g=gtp:gnugo"], "GTP engines play Go"),
            (["--env", "connect-four", "--player", "random", "--player", "g=gtp:gnugo"], "GTP engines play Go"),
            (["--env", "tic-tac-toe", "--player", "random", "--player", "mcts", "--sgf-dir", path("sgf")], "--sgf-dir writes Go games"),
        ] {
            let r = try run(["tournament"] + args + ["--db", db])
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(phrase), "\(phrase) ∉ \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("ConnectionGame") || r.stderr.contains("GoGame"), "no internal type names: \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: db), "nothing written for: \(args.joined(separator: " "))")
        }
        let missing = try run(["tournament", "--resume", path("none.sqlite")])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("no results file"), missing.stderr)
    }

    /// Two tournaments sharing --sgf-dir keep their own games; a file given as --sgf-dir is a
    /// sentence and no database; a resumed file's engine commands are printed before they run.
    func testSGFFoldersAreSharedSafelyAndStoredCommandsAreShown() throws {
        let games = path("games")
        for name in ["a", "b"] {
            let r = try run(["tournament", "--env", "go:5", "--player", "random", "--player", "r2=random", "--games", "2",
                             "--db", path("\(name).sqlite"), "--sgf-dir", games])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: games).sorted()
        XCTAssertEqual(files, ["a_game_00000.sgf", "a_game_00001.sgf", "b_game_00000.sgf", "b_game_00001.sgf"])
        try FileManager.default.removeItem(atPath: path("a.sqlite"))
        let again = try run(["tournament", "--env", "go:5", "--player", "random", "--player", "r2=random", "--games", "2",
                             "--db", path("a.sqlite"), "--sgf-dir", games])
        XCTAssertEqual(again.status, 64, again.stderr)
        XCTAssertTrue(again.stderr.contains("already holds a_game_"), again.stderr)
        let file = path("not-a-folder")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let bad = try run(["tournament", "--env", "go:5", "--player", "random", "--player", "r2=random", "--games", "2",
                           "--db", path("c.sqlite"), "--sgf-dir", file])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--sgf-dir \(file) is a file"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("c.sqlite")), "no database for a refused tournament")
        // The stored engine command is shown before it runs on --resume.
        let g = try run(["tournament", "--env", "go:5", "--player", "random", "--player", "e=gtp:gnugo --mode gtp --level 1",
                         "--games", "2", "--db", path("g.sqlite")])
        XCTAssertEqual(g.status, 0, g.stderr)
        let resumed = try run(["tournament", "--resume", path("g.sqlite")])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("player e runs: gnugo --mode gtp --level 1 (stored in \(path("g.sqlite")))"), resumed.stderr)
    }

    /// An engine that exits at once used to kill dojo with SIGPIPE (exit 141, no message) about
    /// half the time, when the write of the first command raced the exit.
    func testAnEngineThatFailsToStartIsReportedEveryTime() throws {
        for round in 0..<8 {
            let engine = round % 2 == 0 ? "gtp:/bin/false" : "gtp:/bin/true"
            let r = try run(["tournament", "--env", "go:9", "--player", "random", "--player", "e=\(engine)", "--db", path("e\(round).sqlite")])
            XCTAssertEqual(r.status, 1, "\(engine), round \(round): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("does not work as a GTP engine"), r.stderr)
        }
        let s = try run(["selfplay-gtp", "--engine", "/bin/false", "--games", "1", "--size", "9", "--out", path("sp")])
        XCTAssertEqual(s.status, 1, s.stderr)
        XCTAssertTrue(s.stderr.contains("/bin/false"), s.stderr)
    }

    func testSelfPlayGTPWritesDistinctReadableGames() throws {
        guard GoScorer.findGNUGo() != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have GNU Go (make test installs it)") }
            throw XCTSkip("GNU Go is not installed (apt-get install gnugo)")
        }
        let out = path("spg")
        let r = try run(["selfplay-gtp", "--engine", "gnugo --mode gtp --level 1", "--games", "2", "--size", "9", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        var movesSeen: [[GoMove]] = []
        for k in 0..<2 {
            let text = try String(contentsOfFile: "\(out)/game_0000\(k).sgf", encoding: .utf8)
            let (game, info) = try SGF.game(from: SGF.parse(text)[0])
            XCTAssertEqual(info.blackPlayer, "gnugo --mode gtp --level 1")
            XCTAssertGreaterThan(game.moves.count, 10)
            XCTAssertNotNil(info.result)
            movesSeen.append(game.moves)
        }
        XCTAssertNotEqual(movesSeen[0], movesSeen[1], "random openings make the games differ")
        // Two at once: the same files (each game depends only on its number).
        let parallel = path("spg2")
        let r2 = try run(["selfplay-gtp", "--engine", "gnugo --mode gtp --level 1", "--games", "2", "--size", "9", "--parallel", "2", "--out", parallel])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        for k in 0..<2 {
            let a = try SGF.game(from: SGF.parse(String(contentsOfFile: "\(out)/game_0000\(k).sgf", encoding: .utf8))[0]).game
            let b = try SGF.game(from: SGF.parse(String(contentsOfFile: "\(parallel)/game_0000\(k).sgf", encoding: .utf8))[0]).game
            XCTAssertEqual(a.moves, b.moves)
        }
        let bad = try run(["selfplay-gtp", "--engine", "/no/such/engine", "--games", "1", "--out", out])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("does not work as a GTP engine"), bad.stderr)
    }
}
