// Dojo as a GTP engine: the command handlers behind `dojo gtp`. One session holds the game,
// its undo history, the clock, and the player that answers `genmove`. Every handler either
// answers with the result or fails with a message and changes nothing.
// Supported: the 11 required GTP v2 commands (protocol_version, name, version, known_command,
// list_commands, quit, boardsize, clear_board, komi, play, genmove) plus undo, showboard,
// final_score, final_status_list, time_settings, time_left, fixed_handicap,
// place_free_handicap, set_free_handicap, loadsgf, printsgf, kgs-genmove_cleanup, all_legal
// and is_legal.
import Files
import Foundation
import RL
import Tensors

public final class GTPSession {
    public enum DeadStones: String, Sendable { case none, mc }

    public private(set) var game: GoGame
    private var history: [GoGame] = []
    public var player: any GoPlayer
    public let deadStones: DeadStones
    var generator: SeededGenerator
    /// Main time, byo-yomi time and stones (GTP `time_settings`), and each side's clock.
    private var timeSettings: (main: Double, byoYomi: Double, stones: Int)?
    private var clock: [Stone: (seconds: Double, stones: Int)] = [:]
    public private(set) var wantsToQuit = false
    /// The DT of `printsgf` (tests pin it).
    public var date: () -> String = SGF.today
    /// Streaming analysis (GTPSession+Analysis.swift): where response lines go as they are made,
    /// and whether another command is waiting (which ends `lz-analyze`).
    public var output: ((String) -> Void)?
    public var inputPending: (() -> Bool)?

    public static let commands = [
        "protocol_version", "name", "version", "known_command", "list_commands", "quit",
        "boardsize", "clear_board", "komi", "play", "genmove", "undo", "showboard", "final_score",
        "final_status_list", "time_settings", "time_left", "fixed_handicap", "place_free_handicap",
        "set_free_handicap", "loadsgf", "printsgf", "kgs-genmove_cleanup", "all_legal", "is_legal",
    ] + analysisCommands

    public init(player: any GoPlayer, size: Int = 9, komi: Double = 7.5, deadStones: DeadStones = .none, seed: UInt64 = 0) {
        self.player = player
        self.deadStones = deadStones
        generator = SeededGenerator(seed: seed)
        game = Self.newGame(size: size, komi: komi)
    }

    /// GTP controllers decide when a game ends, so the move cap is far away.
    static func newGame(size: Int, komi: Double) -> GoGame { GoGame(size: size, komi: komi, maxMoves: 20 * size * size) }

    /// Answers one input line (nil for lines without a command).
    public func respond(to line: String) -> String? {
        guard let command = GTPCommand(line: line) else { return nil }
        if Self.analysisCommands.contains(command.name) { return respondAnalyzing(command) }
        do {
            return command.success(try handle(command))
        } catch let error as GTPFailure {
            return command.failure(error.message)
        } catch {
            return command.failure("\(error)")
        }
    }

    struct GTPFailure: Error { let message: String }
    func fail(_ message: String) -> GTPFailure { GTPFailure(message: message) }

    func color(_ text: String) throws -> Stone {
        switch text.lowercased() {
        case "b", "black": return .black
        case "w", "white": return .white
        default: throw fail("invalid color")
        }
    }

    func vertex(_ text: String) throws -> Int {
        guard let a = GTPVertex.parse(text, size: game.size) else { throw fail("invalid vertex") }
        return a
    }

    func arguments(_ c: GTPCommand, _ count: Int) throws {
        guard c.arguments.count >= count else { throw fail("syntax error") }
    }

    func handle(_ c: GTPCommand) throws -> String {
        switch c.name {
        case "protocol_version": return "2"
        case "name": return "Dojo"
        case "version": return "0.1.0 (\(player.name))"
        case "known_command":
            try arguments(c, 1)
            return Self.commands.contains(c.arguments[0].lowercased()) ? "true" : "false"
        case "list_commands": return Self.commands.joined(separator: "\n")
        case "quit":
            wantsToQuit = true
            return ""
        case "boardsize":
            try arguments(c, 1)
            guard let n = Int(c.arguments[0]) else { throw fail("syntax error") }
            guard (2...19).contains(n), player.supports(size: n) else { throw fail("unacceptable size") }
            game = Self.newGame(size: n, komi: game.komi)
            history = []
            return ""
        case "clear_board":
            game = Self.newGame(size: game.size, komi: game.komi)
            history = []
            return ""
        case "komi":
            try arguments(c, 1)
            guard let k = Double(c.arguments[0]), GoGame.komiRange.contains(k) else { throw fail("syntax error") }
            game.komi = k
            return ""
        case "play":
            try arguments(c, 2)
            let stone = try color(c.arguments[0]), a = try vertex(c.arguments[1])
            try play(a, stone)
            return ""
        case "genmove", "kgs-genmove_cleanup":
            try arguments(c, 1)
            let stone = try color(c.arguments[0])
            var next = game
            next.resumeAfterPasses()
            next.setToPlay(stone)
            guard let a = player.chooseMove(next, secondsLeft: secondsFor(stone)).action else { return "resign" }
            try play(a, stone)
            return GTPVertex.format(action: a, size: game.size)
        case "undo":
            guard let previous = history.popLast() else { throw fail("cannot undo") }
            game = previous
            return ""
        case "showboard": return "\n" + boardText()
        case "final_score": return finalScore().result
        case "final_status_list":
            try arguments(c, 1)
            let dead = finalScore().dead
            let stones = game.board.points.filter { game.board[$0] == .black || game.board[$0] == .white }
            switch c.arguments[0].lowercased() {
            case "alive": return list(stones.filter { !dead.contains($0) })
            case "dead": return list(stones.filter { dead.contains($0) })
            case "seki": return ""
            default: throw fail("syntax error")
            }
        case "time_settings":
            try arguments(c, 3)
            guard let main = Double(c.arguments[0]), let byo = Double(c.arguments[1]), let stones = Int(c.arguments[2]),
                  main >= 0, byo >= 0, stones >= 0 else { throw fail("syntax error") }
            timeSettings = (main, byo, stones)
            clock = [:]
            return ""
        case "time_left":
            try arguments(c, 3)
            let stone = try color(c.arguments[0])
            guard let seconds = Double(c.arguments[1]), let stones = Int(c.arguments[2]) else { throw fail("syntax error") }
            clock[stone] = (seconds, stones)
            return ""
        case "fixed_handicap", "place_free_handicap":
            try arguments(c, 1)
            guard let n = Int(c.arguments[0]) else { throw fail("syntax error") }
            guard game.moves.isEmpty && game.board.emptyCount == game.size * game.size else { throw fail("board not empty") }
            guard let points = GoGame.fixedHandicapPoints(n, board: game.board) ?? (c.name == "place_free_handicap" ? freePlacement(n) : nil) else {
                throw fail("invalid number of stones")
            }
            try setHandicap(points)
            return points.map { GTPVertex.format($0, board: game.board) }.joined(separator: " ")
        case "set_free_handicap":
            guard c.arguments.count >= 2 else { throw fail("invalid number of stones") }
            guard game.moves.isEmpty && game.board.emptyCount == game.size * game.size else { throw fail("board not empty") }
            let points = try c.arguments.map { try vertex($0) }
            guard !points.contains(game.passAction), Set(points).count == points.count else { throw fail("bad vertex list") }
            try setHandicap(points.map { game.board.point(action: $0) })
            return ""
        case "loadsgf":
            try arguments(c, 1)
            let path = c.arguments[0]
            guard let text = try? BoundedFile.text(path, limit: BoundedFile.textLimit) else { throw fail("cannot load file") }
            var limit: Int?
            if c.arguments.count > 1 {
                guard let n = Int(c.arguments[1]), n >= 1 else { throw fail("syntax error") }
                limit = n
            }
            do {
                guard let tree = try SGF.parse(text).first else { throw fail("cannot load file") }
                var truncated = tree
                if let limit {   // play up to (not including) move number `limit`
                    var nodes: [SGFNode] = []
                    var moves = 0
                    for node in tree.mainLine {
                        if node["B"] != nil || node["W"] != nil { moves += 1; if moves >= limit { break } }
                        nodes.append(node)
                    }
                    truncated = SGFTree(nodes: nodes)
                }
                let loaded = try SGF.game(from: truncated).game
                var g = Self.newGame(size: loaded.size, komi: loaded.komi)
                try g.placeStones(loaded.handicapStones)
                // Replay so the session's game has the GTP move cap.
                for m in loaded.moves {
                    g.setToPlay(m.color)
                    _ = g.step(m.point.map { g.board.action($0) } ?? g.passAction)
                }
                g.setToPlay(loaded.toPlay)
                history.append(game)
                game = g
                return ""
            } catch let e as SGFError {
                throw fail("cannot load file: \(e)")
            }
        case "printsgf":
            return SGF.serialize([SGF.tree(for: game, date: date())]).trimmingCharacters(in: .newlines)
        case "all_legal":
            try arguments(c, 1)
            var g = game
            g.resumeAfterPasses()
            g.setToPlay(try color(c.arguments[0]))
            return list(g.legalActions.filter { $0 != g.passAction }.map { g.board.point(action: $0) })
        case "is_legal":
            try arguments(c, 2)
            let stone = try color(c.arguments[0]), a = try vertex(c.arguments[1])
            var g = game
            g.resumeAfterPasses()
            g.setToPlay(stone)
            return g.isLegal(action: a) ? "1" : "0"
        case "":
            throw fail("syntax error")
        default:
            throw fail("unknown command")
        }
    }

    func play(_ a: Int, _ stone: Stone) throws {
        var next = game
        next.resumeAfterPasses()
        next.setToPlay(stone)
        guard next.isLegal(action: a) else { throw fail("illegal move") }
        _ = next.step(a)
        history.append(game)
        game = next
    }

    func setHandicap(_ points: [Int]) throws {
        var g = game
        do { try g.placeStones(points) } catch { throw fail("bad vertex list") }
        history.append(game)
        game = g
    }

    /// Points spread over the board for free handicap beyond the fixed placements.
    func freePlacement(_ n: Int) -> [Int]? {
        guard n >= 2, n < game.size * game.size else { return nil }
        var points: [Int] = []
        var g = generator
        var candidates = game.board.points
        while points.count < n, !candidates.isEmpty {
            points.append(candidates.remove(at: g.nextInt(below: candidates.count)))
        }
        generator = g
        return points
    }

    func secondsFor(_ stone: Stone) -> Double? {
        if let c = clock[stone] { return c.stones > 0 ? c.seconds / Double(c.stones) : c.seconds / 20 }
        return timeSettings.map { $0.main > 0 ? $0.main / 20 : ($0.stones > 0 ? $0.byoYomi / Double($0.stones) : $0.byoYomi) }
    }

    func list(_ points: [Int]) -> String {
        points.map { GTPVertex.format($0, board: game.board) }.joined(separator: " ")
    }

    /// Tromp-Taylor score of the position; with `--dead-stones mc`, after removing the stones
    /// that Monte Carlo ownership gives to the other side.
    func finalScore() -> (result: String, dead: Set<Int>) {
        guard deadStones == .mc else { return (game.resultString, []) }
        var g = generator
        let own = game.board.ownership(toPlay: game.toPlay, playouts: 400, generator: &g)
        generator = g
        var dead = Set<Int>()
        for p in game.board.points {
            let a = game.board.action(p), stone = game.board[p]
            if stone == .black && own.white[a] > 0.5 { dead.insert(p) }
            if stone == .white && own.black[a] > 0.5 { dead.insert(p) }
        }
        var cleaned = GoGame(size: game.size, komi: game.komi)
        for colour in [Stone.black, .white] {
            let pts = game.board.points.filter { game.board[$0] == colour && !dead.contains($0) }
            try? cleaned.placeStones(pts, color: colour)
        }
        return (cleaned.resultString, dead)
    }

    /// The board as text: coordinates around, X black, O white, the last move in parentheses.
    public func boardText() -> String {
        let n = game.size, letters = GTPVertex.letters.prefix(n).map(String.init).joined(separator: " ")
        var lines = ["   " + letters]
        let last = game.moves.last?.point
        for r in 0..<n {
            let label = String(n - r), pad = label.count < 2 ? " " : ""
            var row = pad + label + " "
            for c in 0..<n {
                let p = game.board.point(row: r, col: c)
                let ch: String = game.board[p] == .black ? "X" : game.board[p] == .white ? "O" : "."
                row += (p == last ? "(" : (c > 0 && game.board.point(row: r, col: c - 1) == last ? ")" : " ")) + ch
            }
            row += (game.board.point(row: r, col: n - 1) == last ? ")" : " ") + pad + label
            lines.append(row)
        }
        lines.append("   " + letters)
        lines.append("captures: black \(game.captures.black), white \(game.captures.white); \(game.toPlay == .black ? "black" : "white") to play")
        return lines.joined(separator: "\n")
    }
}
