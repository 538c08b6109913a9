// The 8 symmetries of the square board (the dihedral group D4), for augmenting training data
// and averaging network outputs. A symmetry maps (row, col) by an optional transpose, then an
// optional flip of the rows (top ↔ bottom), then of the columns (left ↔ right); index =
// transpose·4 + flipRows·2 + flipCols. The pass action is fixed by every symmetry.

public struct GoSymmetry: Hashable, Sendable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) {
        precondition((0..<8).contains(index), "a board symmetry index is 0…7, got \(index)")
        self.index = index
    }

    public static let all = (0..<8).map(GoSymmetry.init)
    public static let identity = GoSymmetry(0)

    var transposes: Bool { index & 4 != 0 }
    var flipsRows: Bool { index & 2 != 0 }
    var flipsCols: Bool { index & 1 != 0 }
    public var description: String { ["id", "fc", "fr", "rot180", "T", "rot90", "rot270", "anti-T"][index] }

    /// Where (row, col) goes on an N×N board.
    public func apply(row: Int, col: Int, size n: Int) -> (row: Int, col: Int) {
        var (r, c) = transposes ? (col, row) : (row, col)
        if flipsRows { r = n - 1 - r }
        if flipsCols { c = n - 1 - c }
        return (r, c)
    }

    /// An action id (row·N + col, pass = N²) under the symmetry.
    public func apply(action: Int, size n: Int) -> Int {
        guard action < n * n else { return action }
        let (r, c) = apply(row: action / n, col: action % n, size: n)
        return r * n + c
    }

    /// `self` after `first` (apply `first`, then `self`).
    public func after(_ first: GoSymmetry) -> GoSymmetry {
        // Identify the composite by where it sends two asymmetric points of a 3×3 board.
        let probe = [(0, 1), (1, 2)]
        let target = probe.map { p -> (Int, Int) in
            let a = first.apply(row: p.0, col: p.1, size: 3)
            let b = apply(row: a.row, col: a.col, size: 3)
            return (b.row, b.col)
        }
        return GoSymmetry.all.first { s in
            zip(probe, target).allSatisfy { p, t in let m = s.apply(row: p.0, col: p.1, size: 3); return m.row == t.0 && m.col == t.1 }
        }!
    }

    public var inverse: GoSymmetry { GoSymmetry.all.first { $0.after(self) == .identity }! }

    /// Planes (C×N×N, channel-major) under the symmetry.
    public func apply(planes: [Float], channels: Int, size n: Int) -> [Float] {
        precondition(planes.count == channels * n * n, "planes must be \(channels)×\(n)×\(n)")
        var out = [Float](repeating: 0, count: planes.count)
        for r in 0..<n {
            for c in 0..<n {
                let (r2, c2) = apply(row: r, col: c, size: n)
                for ch in 0..<channels { out[ch * n * n + r2 * n + c2] = planes[ch * n * n + r * n + c] }
            }
        }
        return out
    }

    /// A policy over the N²+1 actions under the symmetry (the pass entry stays put).
    public func apply(policy: [Float], size n: Int) -> [Float] {
        precondition(policy.count == n * n + 1, "a policy has N²+1 entries")
        var out = policy
        for a in 0..<(n * n) { out[apply(action: a, size: n)] = policy[a] }
        return out
    }
}
