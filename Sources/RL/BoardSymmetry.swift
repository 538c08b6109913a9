// Symmetries of a board game, for training-data augmentation: a symmetry permutes the board's
// cells (every observation plane alike) and the action ids with them, so a position, its legal
// mask and its visit distribution seen under a symmetry are another position of the same game
// with the same outcome. Convention: `transformed[i] = original[cells[i]]` for cell i of each
// plane (cells row-major, row 0 at the top) and `transformed[a] = original[actions[a]]` for
// action ids; the identity comes first.
// A game states its own symmetries by conforming to `SymmetricBoard` (Go and tic-tac-toe: the 8
// of the square, Go's pass unmoved; Connect Four: the left-right mirror); any other
// environment has the identity alone.

/// A game whose board has symmetries beyond the identity.
public protocol SymmetricBoard {
    /// The board's symmetries, identity first.
    var boardSymmetries: [BoardSymmetry] { get }
}

public struct BoardSymmetry: Equatable, Sendable {
    public let cells: [Int32]
    public let actions: [Int32]

    /// Applies the symmetry to `planes` (channel-major, each of `cells.count` values).
    public func apply(planes source: UnsafePointer<Float>, channels: Int, into target: UnsafeMutablePointer<Float>) {
        let area = cells.count
        for c in 0..<channels {
            let from = source + c * area, to = target + c * area
            for i in 0..<area { to[i] = from[Int(cells[i])] }
        }
    }

    /// Applies the symmetry to per-action values (a policy or a legal mask).
    public func apply<T>(actions source: [T], into target: UnsafeMutablePointer<T>) {
        for a in 0..<actions.count { target[a] = source[Int(actions[a])] }
    }

    /// The action that `action` becomes under the symmetry.
    public func image(ofAction action: Int) -> Int { actions.firstIndex(of: Int32(action))! }

    public static func identity(cells: Int, actions: Int) -> BoardSymmetry {
        BoardSymmetry(cells: (0..<Int32(cells)).map { $0 }, actions: (0..<Int32(actions)).map { $0 })
    }

    /// The symmetries of `env`'s board, identity first: its own when it states them.
    public static func all(of env: some Environment) -> [BoardSymmetry] {
        if let board = env as? SymmetricBoard { return board.boardSymmetries }
        let shape = env.observationShape
        return [identity(cells: shape.height * shape.width, actions: env.actionCount)]
    }

    /// A grid's symmetries with one action per cell and `extraActions` after them left in
    /// place (Go's pass): the square's 8, or the rectangle's 4.
    public static func grid(height h: Int, width w: Int, extraActions: Int = 0) -> [BoardSymmetry] {
        transforms(height: h, width: w, square: h == w).map { cellMap($0, h, w, extra: extraActions) }
    }

    /// The identity and the left-right mirror of a grid whose actions are its columns
    /// (games with gravity).
    public static func columnMirror(height h: Int, width w: Int) -> [BoardSymmetry] {
        [identity(cells: h * w, actions: w),
         BoardSymmetry(cells: cellMap(mirror, h, w, extra: 0).cells, actions: (0..<Int32(w)).map { Int32(w) - 1 - $0 })]
    }

    typealias Transform = @Sendable (_ row: Int, _ col: Int, _ h: Int, _ w: Int) -> (Int, Int)
    static let mirror: Transform = { r, c, _, w in (r, w - 1 - c) }

    /// Where each transform sends (row, col): the rectangle's 4 (flips), plus the 4 that
    /// transpose when the board is square.
    static func transforms(height: Int, width: Int, square: Bool) -> [Transform] {
        var list: [Transform] = []
        for transpose in square ? [false, true] : [false] {
            for flipRows in [false, true] {
                for flipCols in [false, true] {
                    list.append { r0, c0, h, w in
                        var (r, c) = transpose ? (c0, r0) : (r0, c0)
                        if flipRows { r = h - 1 - r }
                        if flipCols { c = w - 1 - c }
                        return (r, c)
                    }
                }
            }
        }
        return list
    }

    /// The symmetry whose image of cell (r, c) is `t(r, c)`, with one action per cell and
    /// `extra` actions after them (Go's pass) left in place.
    static func cellMap(_ t: Transform, _ h: Int, _ w: Int, extra: Int) -> BoardSymmetry {
        var cells = [Int32](repeating: 0, count: h * w)
        for r in 0..<h {
            for c in 0..<w {
                let (r2, c2) = t(r, c, h, w)
                cells[r2 * w + c2] = Int32(r * w + c)
            }
        }
        return BoardSymmetry(cells: cells, actions: cells + (0..<Int32(extra)).map { Int32(h * w) + $0 })
    }
}
