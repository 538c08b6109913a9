// Dojo's Go engine against GNU Go (apt-get install gnugo), through Dojo's own GTP client:
// a full game, legality cross-checks, an independent Tromp-Taylor count, and the project's
// match harness (scripts/go-reference/match.py). Skipped with a message when GNU Go is missing.
import Arena
import Foundation
import Go
import Tensors
import TestSupport
import XCTest

final class GoInteropTests: XCTestCase, RunsDojo {
    var gnugo: String {
        get throws {
            for path in ["/usr/games/gnugo", "/usr/bin/gnugo", "/usr/local/bin/gnugo"] where FileManager.default.isExecutableFile(atPath: path) {
                return path
            }
            throw XCTSkip("GNU Go is not installed (apt-get install gnugo); the Go interop tests need it")
        }
    }

    func engines() throws -> (dojo: GTPEngine, gnugo: GTPEngine) {
        let g = try GTPEngine(command: [try gnugo, "--mode", "gtp", "--level", "1", "--chinese-rules"], name: "gnugo")
        let d = try GTPEngine(command: [try dojo.path, "gtp", "--agent", "random", "--seed", "3"], name: "dojo")
        return (d, g)
    }

    func testFullGameAgainstGNUGoEndsWithBothSidesAgreeing() throws {
        let (d, g) = try engines()
        defer { d.stop(); g.stop() }
        let result = GoReferee.play(black: GTPEnginePlayer(engine: d), white: GTPEnginePlayer(engine: g), rules: GoRules(size: 9, komi: 7.5))
        XCTAssertTrue(result.end == .twoPasses || result.end == .moveCap, "\(result.end): \(result.detail)")
        XCTAssertGreaterThan(result.game.moves.count, 20)
        // Each engine's own record of the game (Dojo writes the moves, GNU Go the final
        // position as setup stones) gives the referee's final position.
        for engine in [d, g] {
            let theirs = try SGF.game(from: try SGF.parse(try engine.send("printsgf"))[0]).game
            XCTAssertEqual(theirs.board.hash, result.game.board.hash, "\(engine.name) ends with the same stones")
            XCTAssertEqual(theirs.board.emptyCount, result.game.board.emptyCount)
        }
        let ours = try SGF.game(from: try SGF.parse(try d.send("printsgf"))[0]).game
        XCTAssertEqual(ours.moves, result.game.moves, "Dojo recorded every move")
        // Dojo's final score is the referee's Tromp-Taylor count.
        XCTAssertEqual(try d.send("final_score"), result.game.resultString)
        try checkIndependentCount(result.game)
    }

    /// Tromp-Taylor area counted by a separate implementation: sgfmill's board replays the
    /// moves and a small flood fill in Python counts the regions.
    func checkIndependentCount(_ game: GoGame) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-tt-\(getpid()).sgf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SGF.serialize([SGF.tree(for: game)]).write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import sys
            from sgfmill import sgf, boards
            g = sgf.Sgf_game.from_bytes(open(sys.argv[1], "rb").read())
            n = g.get_size(); b = boards.Board(n)
            for node in g.get_main_sequence()[1:]:
                colour, move = node.get_move()
                if move is not None:
                    b.play(move[0], move[1], colour)
            score = {"b": 0, "w": 0}; seen = set()
            for r in range(n):
                for c in range(n):
                    s = b.get(r, c)
                    if s: score[s] += 1; continue
                    if (r, c) in seen: continue
                    region, stack, reach = 0, [(r, c)], set(); seen.add((r, c))
                    while stack:
                        y, x = stack.pop(); region += 1
                        for yy, xx in ((y-1, x), (y+1, x), (y, x-1), (y, x+1)):
                            if 0 <= yy < n and 0 <= xx < n:
                                t = b.get(yy, xx)
                                if t: reach.add(t)
                                elif (yy, xx) not in seen: seen.add((yy, xx)); stack.append((yy, xx))
                    if len(reach) == 1: score[reach.pop()] += region
            print(score["b"] - score["w"] - g.get_komi())
            """
        let r = try ExternalProcess.python(script, [path], requires: "sgfmill")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(Double(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), game.blackMargin, "independent area count")
    }

    func testAllLegalAgreesWithGNUGoExceptWhereSuperkoForbids() throws {
        let (d, g) = try engines()
        defer { d.stop(); g.stop() }
        var player = RandomGoPlayer(seed: 11)
        var compared = 0
        for size in [7, 9] {
            for engine in [d, g] { try engine.send("boardsize \(size)"); try engine.send("clear_board") }
            var game = GoGame(size: size, komi: 7.5, maxMoves: 3 * size * size)
            while !game.isOver {
                if game.moves.count % 3 == 0 {
                    let colour = game.toPlay == .black ? "b" : "w"
                    let ours = Set(try d.send("all_legal \(colour)").split(separator: " ").map(String.init))
                    let theirs = Set(try g.send("all_legal \(colour)").split(separator: " ").map { $0.uppercased() })
                    for v in theirs.subtracting(ours) {
                        // Only a positional-superko repetition may separate the two.
                        let p = game.board.point(action: GTPVertex.parse(v, size: size)!)
                        XCTAssertTrue(game.board.isLegalIgnoringKo(p, game.toPlay), "GNU Go allows \(v), Dojo forbids it without superko")
                    }
                    XCTAssertEqual(ours.subtracting(theirs), [], "Dojo allows moves GNU Go forbids")
                    compared += 1
                }
                let a = try XCTUnwrap(player.chooseMove(game, secondsLeft: nil).action, "the random Go player never resigns")
                let v = GTPVertex.format(action: a, size: size), colour = game.toPlay == .black ? "b" : "w"
                try d.send("play \(colour) \(v)"); try g.send("play \(colour) \(v)")
                _ = game.step(a)
            }
        }
        XCTAssertGreaterThan(compared, 30)
    }

    func testMatchHarnessPlaysDojoAgainstGNUGo() throws {
        let gnugo = try gnugo
        let harness = ExternalProcess.repositoryRoot.appendingPathComponent("scripts/go-reference/match.py").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-match-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try ExternalProcess.run("python3", [harness, "--engine1", "\(try dojo.path) gtp --agent random", "--name1", "dojo",
                                                    "--engine2", "\(gnugo) --mode gtp --level 1", "--name2", "gnugo", "--games", "2",
                                                    "--size", "9", "--scorer", "tt", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as! [String: Any]
        let games = results["games"] as! [[String: Any]]
        XCTAssertEqual(games.count, 2)
        for game in games {
            let reason = game["reason"] as? String ?? "?"
            XCTAssertTrue(["two passes", "move cap"].contains(reason), "a game ended by \(reason): \(game["detail"] ?? "")")
        }
    }
}
