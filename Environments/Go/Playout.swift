// Light playouts: each side plays a uniformly random legal move that does not fill one of its
// own eyes (GoBoard.isEye), passing when none is left; two passes or the move cap end the
// playout. Simple ko only (superko is too costly here and only matters in rare cycles, which
// the cap cuts off). Random moves are drawn from the empty-point list: a rejected point is
// swapped to the end of the candidates, so each move costs O(rejections).
// Heavy playouts (HeavyPlayout.swift) use the same loop with tactical moves first.
import Tensors

extension GoBoard {
    /// Plays a light playout from this position with `toPlay` to move; returns the plies played.
    /// `record`, when given, receives every move (point, colour) in order (for RAVE/AMAF).
    @discardableResult
    public mutating func playout(toPlay start: Stone, generator: inout SeededGenerator, maxMoves: Int,
                                 record: ((Int, Stone) -> Void)? = nil) -> Int {
        playout(toPlay: start, generator: &generator, maxMoves: maxMoves, lastMove: 0, record: record) { board, color, _, generator in
            board.randomMove(color, &generator)
        }
    }

    /// The playout loop: `choose(board, colour, last move or 0, generator)` gives each move
    /// (0 = pass); `lastMove` is the move before the playout (0: none or a pass).
    @inline(__always)
    mutating func playout(toPlay start: Stone, generator: inout SeededGenerator, maxMoves: Int, lastMove: Int, record: ((Int, Stone) -> Void)?,
                          choose: (inout GoBoard, Stone, Int, inout SeededGenerator) -> Int) -> Int {
        makeUnique()
        var color = start
        var passes = 0, moves = 0, last = lastMove
        while moves < maxMoves {
            let chosen = choose(&self, color, last, &generator)
            moves += 1
            if chosen == 0 {
                pass()
                passes += 1
                if passes == 2 { break }
            } else {
                play(chosen, color)
                record?(chosen, color)
                passes = 0
            }
            last = chosen
            color = color.opponent
        }
        return moves
    }

    /// A uniformly random legal point that does not fill one of `color`'s eyes, or 0.
    @inline(__always)
    mutating func randomMove(_ color: Stone, _ generator: inout SeededGenerator) -> Int {
        let s = storage.pointers
        var candidates = emptyCount
        while candidates > 0 {
            let i = Int(((generator.next() >> 32) &* UInt64(candidates)) >> 32)
            let p = Int(s.emptyList[i])
            if isLegal(p, color) && !isEye(p, color) { return p }
            // Move the rejected point behind the remaining candidates.
            candidates -= 1
            let q = Int(s.emptyList[candidates])
            s.emptyList[i] = Int32(q); s.emptyIndex[q] = Int32(i)
            s.emptyList[candidates] = Int32(p); s.emptyIndex[p] = Int32(candidates)
        }
        return 0
    }

    /// Black's Tromp-Taylor margin (area minus komi) after a playout: > 0 means Black won.
    public func blackMargin(komi: Double) -> Double {
        let a = area()
        return Double(a.black - a.white) - komi
    }
}
