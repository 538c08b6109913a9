// Heavy playouts: the light playout's loop (Playout.swift) with tactical moves first, in the
// spirit of MoGo's playout policy (Gelly, Wang, Munos & Teytaud 2006, "Modification of UCT with
// patterns in Monte-Carlo Go", §3). Each move, looking only around the opponent's last move:
//   1. capture: the last stone's group is in atari — take it;
//   2. save: one of our groups next to the last move is in atari — extend at its liberty when
//      that gives it two or more, or capture an enemy group in atari that touches it;
//   3. shape: an empty neighbour (of the 8) whose 3×3 surroundings match one of the patterns
//      below (hane, cut, and on the edge), unless the move would be a self-atari;
// otherwise a uniformly random non-eye-filling move, as in a light playout. Among several
// candidates of one kind, one is drawn at random.
//
// Patterns, for the candidate at the centre; X and O are the two colours in either role
// (each pattern is matched with the colours swapped and under the 8 symmetries); `.` empty,
// `?` anything, `x` not X (O or empty), `o` not O (X or empty), `#` off the board:
//   hane        XOX   XO.   XO?   .O.
//               ...   ...   X..   X..
//               ???   ?.?   x.?   ...
//   cut         XO?   ?X?
//               O.o   O.O
//               ?o?   ooo
//   edge        X.?   ?X?   ?XO
//               O.?   o.O   x.o
//               ###   ###   ###
import Tensors

/// The 3×3 pattern table: one bit per arrangement of the 8 neighbours (2 bits each, NW N NE W
/// E SW S SE; empty 0, black 1, white 2, edge 3).
public enum PlayoutPatterns {
    static let sources: [[String]] = [
        ["XOX", "...", "???"], ["XO.", "...", "?.?"], ["XO?", "X..", "x.?"], [".O.", "X..", "..."],
        ["XO?", "O.o", "?o?"], ["?X?", "O.O", "ooo"],
        ["X.?", "O.?", "###"], ["?X?", "o.O", "###"], ["?XO", "x.o", "###"],
    ]

    /// Which cell values (0…3) each symbol accepts, with X = `x` and O = `o` colours.
    static func accepts(_ symbol: Character, x: Int, o: Int) -> [Int] {
        switch symbol {
        case "X": return [x]
        case "O": return [o]
        case ".": return [0]
        case "x": return [0, o]
        case "o": return [0, x]
        case "#": return [3]
        default: return [0, 1, 2, 3]
        }
    }

    public static let table: [Bool] = {
        var table = [Bool](repeating: false, count: 1 << 16)
        // Neighbour order (row, col) around the centre (1, 1).
        let cells = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)]
        for source in sources {
            let grid = source.map(Array.init)
            for symmetry in GoSymmetry.all {
                for (x, o) in [(1, 2), (2, 1)] {
                    // The symbol each neighbour slot reads after the symmetry.
                    var options: [[Int]] = Array(repeating: [], count: 8)
                    for cell in cells {
                        let (r, c) = symmetry.apply(row: cell.0, col: cell.1, size: 3)
                        options[cells.firstIndex { $0 == (r, c) }!] = accepts(grid[cell.0][cell.1], x: x, o: o)
                    }
                    var codes = [0]
                    for (slot, values) in options.enumerated() {
                        codes = codes.flatMap { code in values.map { code | $0 << (2 * slot) } }
                    }
                    for code in codes { table[code] = true }
                }
            }
        }
        return table
    }()
}

extension GoBoard {
    /// Plays a heavy playout (see the top of this file) after `lastMove` (a point, 0: none or a
    /// pass); returns the plies played.
    @discardableResult
    public mutating func heavyPlayout(toPlay start: Stone, generator: inout SeededGenerator, maxMoves: Int, lastMove: Int = 0,
                                      record: ((Int, Stone) -> Void)? = nil) -> Int {
        let table = PlayoutPatterns.table
        return table.withUnsafeBufferPointer { patterns in
            playout(toPlay: start, generator: &generator, maxMoves: maxMoves, lastMove: lastMove, record: record) { board, color, last, generator in
                if last != 0, let p = board.tacticalMove(color, last: last, patterns: patterns, &generator) { return p }
                return board.randomMove(color, &generator)
            }
        }
    }

    /// The 3×3 neighbourhood code of `p` (PlayoutPatterns).
    @inline(__always)
    func neighbourhoodCode(_ p: Int) -> Int {
        let s = storage.pointers, w = width
        var code = Int(s.color[p - w - 1]) | Int(s.color[p - w]) << 2 | Int(s.color[p - w + 1]) << 4
        code |= Int(s.color[p - 1]) << 6 | Int(s.color[p + 1]) << 8
        code |= Int(s.color[p + w - 1]) << 10 | Int(s.color[p + w]) << 12 | Int(s.color[p + w + 1]) << 14
        return code
    }

    /// Whether `color` at empty `p` leaves its new group with one liberty (and captures
    /// nothing): an estimate that counts empty neighbours and own groups not in atari.
    @inline(__always)
    func isSelfAtari(_ p: Int, _ color: Stone) -> Bool {
        let s = storage.pointers, own = Int32(color.rawValue)
        var liberties = 0, capture = false
        forEachNeighbour(p) { q in
            let c = s.color[q]
            if c == 0 { liberties += 1 } else if c == own { if !Self.inAtari(s, Int(s.group[q])) { liberties += 1 } } else if c != 3 {
                if Self.inAtari(s, Int(s.group[q])) { capture = true }
            }
        }
        return !capture && liberties < 2
    }

    /// A capture, save or pattern move around `last` for `color`, or nil.
    @inline(__always)
    mutating func tacticalMove(_ color: Stone, last: Int, patterns: UnsafeBufferPointer<Bool>, _ generator: inout SeededGenerator) -> Int? {
        let s = storage.pointers, own = Int32(color.rawValue), enemy = Int32(color.opponent.rawValue)
        var candidates = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        func add(_ p: Int) {
            guard count < 8, isLegal(p, color), !isEye(p, color) else { return }
            withUnsafeMutableBytes(of: &candidates) { $0.bindMemory(to: Int.self)[count] = p }
            count += 1
        }
        func pick() -> Int? {
            guard count > 0 else { return nil }
            let i = count == 1 ? 0 : Int(((generator.next() >> 32) &* UInt64(count)) >> 32)
            return withUnsafeBytes(of: candidates) { $0.bindMemory(to: Int.self)[i] }
        }
        // 1. Capture the stone just played.
        if s.color[last] == enemy, let liberty = atariLiberty(ofGroupAt: last) { add(liberty) }
        if let p = pick() { return p }
        // 2. Save our groups next to it.
        forEachNeighbour(last) { q in
            guard s.color[q] == own, let liberty = atariLiberty(ofGroupAt: q) else { return }
            var escape = 0
            forEachNeighbour(liberty) { n in
                if s.color[n] == 0 { escape += 1 } else if s.color[n] == own, Int(s.group[n]) != Int(s.group[q]), !Self.inAtari(s, Int(s.group[n])) { escape += 1 }
            }
            if escape >= 2 { add(liberty) }
            forEachStone(inGroupAt: q) { stone in
                forEachNeighbour(stone) { n in
                    if s.color[n] == enemy, let l = atariLiberty(ofGroupAt: n) { add(l) }
                }
            }
        }
        if let p = pick() { return p }
        // 3. Shape around the last move.
        let w = width
        func shape(_ q: Int) { if s.color[q] == 0 && patterns[neighbourhoodCode(q)] && !isSelfAtari(q, color) { add(q) } }
        shape(last - w - 1); shape(last - w); shape(last - w + 1); shape(last - 1)
        shape(last + 1); shape(last + w - 1); shape(last + w); shape(last + w + 1)
        return pick()
    }
}
