// SGF reading and writing: properties, escapes, old files, variations, several games per file,
// round trips, located errors, and a fuzz test that never traps.
@testable import Go
import Foundation
import Tensors
import TestSupport
import XCTest

final class SGFTests: XCTestCase {
    func fixture(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    func testOldStyleFileWithLowerCaseNamesEmptyKomiAndHeaderText() throws {
        let trees = try SGF.parse(try fixture("odd-old-style.sgf"))
        XCTAssertEqual(trees.count, 1)
        let (game, info) = try SGF.game(from: trees[0])
        XCTAssertEqual(game.size, 9); XCTAssertEqual(game.komi, 7.5, "empty KM[] means the default")
        XCTAssertEqual(info.blackPlayer, "Old Timer"); XCTAssertEqual(info.whitePlayer, "Newer")
        XCTAssertEqual(game.moves.count, 4)
        XCTAssertNil(game.moves[2].point, "B[] is a pass")
        XCTAssertEqual(game.board[2, 2], .white)
    }

    func testEscapesSoftBreaksHandicapVariationsAndSeveralGames() throws {
        let trees = try SGF.parse(try fixture("variations-handicap.sgf"))
        XCTAssertEqual(trees.count, 2)
        let (game, info) = try SGF.game(from: trees[0])
        XCTAssertEqual(info.blackPlayer, "Black ] with bracket"); XCTAssertEqual(info.whitePlayer, "White\\Back")
        XCTAssertEqual(info.comments[0], "a comment\nover two lines, softbreak")
        XCTAssertEqual(game.handicapStones.count, 2); XCTAssertEqual(game.komi, 0.5)
        XCTAssertEqual(game.moves.map(\.color), [.white, .black, .white, .black], "white moves first after handicap")
        XCTAssertNil(game.moves[3].point, "B[tt] is a pass on 9×9")
        XCTAssertEqual(trees[0].variations.count, 2, "both variations kept")
        let second = try SGF.game(from: trees[1]).game
        XCTAssertTrue(second.isOver); XCTAssertEqual(second.size, 5)
        // Rewriting keeps everything, variations included.
        let again = try SGF.parse(SGF.serialize(trees))
        XCTAssertEqual(again.map(stripOffsets), trees.map(stripOffsets))
    }

    func stripOffsets(_ t: SGFTree) -> SGFTree {
        SGFTree(nodes: t.nodes.map { SGFNode($0.properties) }, variations: t.variations.map(stripOffsets))
    }

    func testWrittenGamesReadBackAsTheSameGame() throws {
        var g = GoGame(size: 9, komi: 6.5)
        try g.placeStones([g.board.point(row: 2, col: 2), g.board.point(row: 6, col: 6)])
        var policy = SeededGenerator(seed: 1)
        while !g.isOver {
            let legal = g.legalActions
            _ = g.step(legal[policy.nextInt(below: legal.count)])
        }
        var info = SGFGameInfo(); info.blackPlayer = "dojo [random]"
        let text = SGF.serialize([SGF.tree(for: g, info: info, date: "2026-11-22")])
        XCTAssertTrue(text.contains("RU[Tromp-Taylor]") && text.contains("HA[2]") && text.contains("RE[\(g.resultString)]"))
        XCTAssertTrue(text.contains("PB[dojo [random\\]]"))
        let (back, backInfo) = try SGF.game(from: try SGF.parse(text)[0])
        XCTAssertEqual(back.moves, g.moves); XCTAssertEqual(back.board.hash, g.board.hash)
        XCTAssertEqual(back.komi, 6.5); XCTAssertEqual(backInfo.blackPlayer, "dojo [random]")
        XCTAssertEqual(backInfo.result, g.resultString)
    }

    /// Files Dojo writes open in sgfmill (the Python SGF library), with the same moves and result.
    func testSgfmillReadsWhatDojoWrites() throws {
        var g = GoGame(size: 9)
        var policy = SeededGenerator(seed: 5)
        while !g.isOver { let legal = g.legalActions; _ = g.step(legal[policy.nextInt(below: legal.count)]) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-\(getpid()).sgf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SGF.serialize([SGF.tree(for: g, date: "2026-11-22")]).write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import sys
            from sgfmill import sgf
            game = sgf.Sgf_game.from_bytes(open(sys.argv[1], "rb").read())
            moves = [node.get_move() for node in game.get_main_sequence()[1:]]
            print(game.get_size(), game.get_komi(), game.get_winner(), len(moves), sum(1 for c, m in moves if m is None))
            """
        let r = try ExternalProcess.python(script, [path], requires: "sgfmill")
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = r.stdout
        let winner = g.blackMargin > 0 ? "b" : g.blackMargin < 0 ? "w" : "None"
        let passes = g.moves.filter { $0.point == nil }.count
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "9 7.5 \(winner) \(g.moves.count) \(passes)")
    }

    func error(_ text: String) -> String {
        do {
            let trees = try SGF.parse(text)
            _ = try SGF.game(from: trees[0])
            return "no error"
        } catch { return "\(error)" }
    }

    func testMalformedFilesNameTheOffset() {
        XCTAssertEqual(error(""), "SGF offset 0: no game tree: an SGF file starts with '(;'")
        XCTAssertEqual(error("(;SZ[9]"), "SGF offset 7: the file ends inside a game tree; a ')' is missing")
        XCTAssertEqual(error("(;C[never closed)"), "SGF offset 3: a value opened with '[' here is never closed with ']'")
        XCTAssertEqual(error("(;SZ[9]B)"), "SGF offset 8: property B has no value; write B[...]")
        XCTAssertEqual(error("()"), "SGF offset 1: a game tree needs at least one node (';')")
        XCTAssertEqual(error("(;SZ[9];B[zz])"), "SGF offset 7: point 'zz' is off the 9×9 board")
        XCTAssertEqual(error("(;SZ[9];B[ee];W[ee])"), "SGF offset 13: move W[ee] is illegal under Dojo's rules (occupied, suicide or superko)")
        XCTAssertEqual(error("(;GM[2])"), "SGF offset 1: GM[2] is not a Go game (GM[1])")
        XCTAssertEqual(error("(;SZ[25])"), "SGF offset 1: SZ[25] is not a square board of 2…19")
        XCTAssertEqual(error("(;KM[lots])"), "SGF offset 1: KM[lots] is not a number")
        XCTAssertEqual(error("(;KM[1e300])"), "SGF offset 1: KM[1e300] is outside -1000…1000")
        XCTAssertEqual(error("(;KM[inf])"), "SGF offset 1: KM[inf] is not a number")
    }

    /// Random bytes and mutated real files: every input gives a game or an error, never a trap.
    func testFuzzedInputNeverTraps() throws {
        var g = SeededGenerator(seed: 42)
        let seeds = [try fixture("odd-old-style.sgf"), try fixture("variations-handicap.sgf")].map { Array($0.utf8) }
        let alphabet = Array("()[];\\BWABAWAEPLSZKM ddeett\n]".utf8)
        var games = 0, errors = 0
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<g.nextInt(below: 60)).map { _ in alphabet[g.nextInt(below: alphabet.count)] }
            } else {
                bytes = seeds[round % 2]
                for _ in 0..<(1 + g.nextInt(below: 4)) {
                    let at = g.nextInt(below: bytes.count)
                    switch g.nextInt(below: 3) {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(alphabet[g.nextInt(below: alphabet.count)], at: at)
                    default: bytes[at] = alphabet[g.nextInt(below: alphabet.count)]
                    }
                }
            }
            do {
                for tree in try SGF.parse(String(decoding: bytes, as: UTF8.self)) { _ = try SGF.game(from: tree); games += 1 }
            } catch is SGFError { errors += 1 }
        }
        XCTAssertGreaterThan(games, 100); XCTAssertGreaterThan(errors, 100)
    }
}

final class SGFCorpusTests: XCTestCase {
    func testCRLFLineEndingsAndTtPassOn19x19() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "crlf-19x19-tt-pass.sgf", withExtension: nil, subdirectory: "Fixtures"))
        let (game, info) = try SGF.game(from: try SGF.parse(String(contentsOf: url, encoding: .utf8))[0])
        XCTAssertEqual(game.size, 19); XCTAssertEqual(game.komi, 6.5); XCTAssertEqual(info.rules, "Japanese")
        XCTAssertEqual(game.moves.count, 4)
        XCTAssertTrue(game.isOver, "B[tt] and W[] are passes")
    }

    func testLoadsgfWithAMoveNumberThroughGTP() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-load-\(getpid()).sgf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "(;GM[1]SZ[9]KM[5.5];B[ee];W[cc];B[gg];W[cg])".write(toFile: path, atomically: true, encoding: .utf8)
        let s = GTPSession(player: RandomGoPlayer(seed: 0))
        XCTAssertEqual(s.respond(to: "loadsgf \(path) 3"), "=\n\n")
        XCTAssertEqual(s.game.moves.count, 2, "up to, not including, move 3")
        XCTAssertEqual(s.game.komi, 5.5)
        XCTAssertEqual(s.respond(to: "loadsgf /no/such.sgf"), "? cannot load file\n\n")
        try "(;GM[1]SZ[9]KM[1e300];B[ee])".write(toFile: path + ".huge", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path + ".huge") }
        XCTAssertTrue(s.respond(to: "loadsgf \(path).huge")?.hasPrefix("? ") ?? false, "an unrepresentable komi is refused")
        XCTAssertEqual(s.respond(to: "loadsgf \(path) zero"), "? syntax error\n\n")
        XCTAssertEqual(s.respond(to: "loadsgf \(path) 0"), "? syntax error\n\n")
        XCTAssertEqual(s.game.moves.count, 2, "a failed load changes nothing")
        XCTAssertEqual(s.respond(to: "undo"), "=\n\n")
        XCTAssertEqual(s.game.moves.count, 0, "undo returns to the position before the load")
    }
}
