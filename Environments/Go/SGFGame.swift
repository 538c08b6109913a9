// Go games in SGF: reading the main line of a game tree into a `GoGame`, and writing a
// `GoGame` (or keeping a tree's variations) back. Properties: GM[1] FF[4] CA[UTF-8] SZ KM RU
// HA PB PW RE DT, moves B/W (pass as B[] or, on boards up to 19, B[tt]), setup AB/AW/AE, PL,
// comments C. SGF points are two letters, column then row, from the top-left ("aa").
// Missing or empty KM means the Dojo default (7.5); missing SZ means 19 (the SGF default).
import Foundation

/// What a game record says besides the moves.
public struct SGFGameInfo: Equatable, Sendable {
    public var blackPlayer: String?, whitePlayer: String?
    public var result: String?, date: String?, rules: String?
    /// Comments by node index along the main line.
    public var comments: [Int: String] = [:]
    public init() {}
}

extension SGF {
    /// "dd" → point, "" or "tt" (on ≤ 19×19) → nil (pass).
    static func point(_ value: String, board: GoBoard, offset: Int) throws -> Int? {
        let v = Array(value.utf8)
        if v.isEmpty || (value == "tt" && board.size <= 19) { return nil }
        guard v.count == 2, (97...122).contains(v[0]), (97...122).contains(v[1]) else {
            throw SGFError(offset: offset, problem: "'\(value)' is not an SGF point (two letters a–s)")
        }
        let col = Int(v[0]) - 97, row = Int(v[1]) - 97
        guard col < board.size, row < board.size else {
            throw SGFError(offset: offset, problem: "point '\(value)' is off the \(board.size)×\(board.size) board")
        }
        return board.point(row: row, col: col)
    }

    static func letters(_ p: Int, board: GoBoard) -> String {
        let (row, col) = board.rowCol(p)
        return String(UnicodeScalar(UInt8(97 + col))) + String(UnicodeScalar(UInt8(97 + row)))
    }

    /// The main line of a game tree as a game, with its record information.
    /// `beforeEachMove`, when given, sees the game and the action just before each move is
    /// played (training data for a policy network).
    public static func game(from tree: SGFTree, beforeEachMove: ((GoGame, Int) -> Void)? = nil) throws -> (game: GoGame, info: SGFGameInfo) {
        let nodes = tree.mainLine
        let root = nodes[0]
        if let gm = root.value("GM"), !gm.isEmpty, gm != "1" {
            throw SGFError(offset: root.offset, problem: "GM[\(gm)] is not a Go game (GM[1])")
        }
        var size = 19
        if let sz = root.value("SZ") {
            let parts = sz.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let n = Int(parts[0]), (2...19).contains(n), parts.count == 1 || (parts.count == 2 && parts[1] == parts[0]) else {
                throw SGFError(offset: root.offset, problem: "SZ[\(sz)] is not a square board of 2…19")
            }
            size = n
        }
        var komi = 7.5
        if let km = root.value("KM")?.trimmingCharacters(in: .whitespaces), !km.isEmpty {
            guard let k = Double(km), k.isFinite else { throw SGFError(offset: root.offset, problem: "KM[\(km)] is not a number") }
            guard GoGame.komiRange.contains(k) else {
                throw SGFError(offset: root.offset, problem: "KM[\(km)] is outside \(Int(GoGame.komiRange.lowerBound))…\(Int(GoGame.komiRange.upperBound))")
            }
            komi = k
        }
        var game = GoGame(size: size, komi: komi, maxMoves: max(2 * size * size, nodes.count + 1))
        var info = SGFGameInfo()
        info.blackPlayer = root.value("PB"); info.whitePlayer = root.value("PW")
        info.result = root.value("RE"); info.date = root.value("DT"); info.rules = root.value("RU")
        for (index, node) in nodes.enumerated() {
            let at = node.offset
            if let c = node.value("C") { info.comments[index] = c }
            let black = try (node["AB"] ?? []).compactMap { try point($0, board: game.board, offset: at) }
            let white = try (node["AW"] ?? []).compactMap { try point($0, board: game.board, offset: at) }
            if !black.isEmpty || !white.isEmpty || node["AE"] != nil {
                guard game.moves.isEmpty else {
                    throw SGFError(offset: at, problem: "setup stones (AB/AW/AE) after moves were played; Dojo only reads setup before the first move")
                }
                do {
                    if node["AE"] != nil {
                        throw GoError("AE (removing stones) is only supported before any stone is placed")
                    }
                    try game.placeStones(black, color: .black)
                    try game.placeStones(white, color: .white)
                    if !black.isEmpty { game.setToPlay(.white) }
                } catch let e as GoError {
                    throw SGFError(offset: at, problem: "setup : \(e.description)")
                }
            }
            if let pl = node.value("PL") {
                guard pl.uppercased() == "B" || pl.uppercased() == "W" else { throw SGFError(offset: at, problem: "PL[\(pl)] is neither B nor W") }
                game.setToPlay(pl.uppercased() == "B" ? .black : .white)
            }
            for (id, color) in [("B", Stone.black), ("W", Stone.white)] {
                guard let v = node[id]?.first else { continue }
                if game.isOver { throw SGFError(offset: at, problem: "move \(id)[\(v)] comes after the game ended (two passes)") }
                game.setToPlay(color)
                let p = try point(v, board: game.board, offset: at)
                let action = p.map { game.board.action($0) } ?? game.passAction
                guard game.isLegal(action: action) else {
                    throw SGFError(offset: at, problem: "move \(id)[\(v)] is illegal under Dojo's rules (occupied, suicide or superko)")
                }
                beforeEachMove?(game, action)
                _ = game.step(action)
            }
        }
        return (game, info)
    }

    /// A game tree for a game: root properties, handicap setup, one node per move.
    public static func tree(for game: GoGame, info: SGFGameInfo = SGFGameInfo(), date: String? = nil) -> SGFTree {
        var root = SGFNode([("GM", ["1"]), ("FF", ["4"]), ("CA", ["UTF-8"]), ("AP", ["Dojo"]),
                            ("SZ", ["\(game.size)"]), ("KM", [formatNumber(game.komi)]), ("RU", ["Tromp-Taylor"])])
        if !game.handicapStones.isEmpty {
            root.set("HA", ["\(game.handicapStones.count)"])
            root.set("AB", game.handicapStones.map { letters($0, board: game.board) })
        }
        if let b = info.blackPlayer { root.set("PB", [b]) }
        if let w = info.whitePlayer { root.set("PW", [w]) }
        if let d = date ?? info.date { root.set("DT", [d]) }
        if let r = info.result ?? (game.isOver ? game.resultString : nil) { root.set("RE", [r]) }
        if let c = info.comments[0] { root.set("C", [c]) }
        var nodes = [root]
        for (i, move) in game.moves.enumerated() {
            var node = SGFNode([(move.color == .black ? "B" : "W", [move.point.map { letters($0, board: game.board) } ?? ""])])
            if let c = info.comments[i + 1] { node.set("C", [c]) }
            nodes.append(node)
        }
        return SGFTree(nodes: nodes)
    }

    static func formatNumber(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }

    /// Today's date as SGF wants it (YYYY-MM-DD).
    public static func today() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date())
    }
}
