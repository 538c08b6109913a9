// Binary input planes packed 64 to a word. Every AlphaGo feature plane is 0 or 1, so a 9×9
// position of 48 planes takes 486 bytes instead of 15.5 KB of floats (19×19: 2.2 KB), and a
// data set of a few hundred thousand positions fits in memory. Unpacking writes the floats
// straight into a batch row under one of the board's 8 symmetries (training augmentation).
import Go
import Tensors

public struct PackedPlanes: Sendable, Equatable {
    public let planes: Int, size: Int
    var words: [UInt64]

    /// Packs C×N×N floats (channel-major); any non-zero value counts as 1.
    public init(_ values: [Float], planes: Int, size: Int) {
        precondition(values.count == planes * size * size, "expected \(planes)×\(size)×\(size) values, got \(values.count)")
        self.planes = planes; self.size = size
        words = [UInt64](repeating: 0, count: (values.count + 63) / 64)
        for (i, v) in values.enumerated() where v != 0 { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    init(words: [UInt64], planes: Int, size: Int) {
        precondition(words.count == (planes * size * size + 63) / 64, "packed planes: wrong word count")
        self.words = words; self.planes = planes; self.size = size
    }

    public subscript(plane: Int, point: Int) -> Bool {
        let i = plane * size * size + point
        return words[i >> 6] >> UInt64(i & 63) & 1 != 0
    }

    /// The planes as floats (C×N×N) at `destination`, the board turned by `permutation`
    /// (`permutation[a]` = where point a goes; `SymmetryTables`).
    public func unpack(into destination: UnsafeMutablePointer<Float>, permutation: [Int]) {
        let area = size * size
        for p in 0..<planes {
            let out = destination + p * area
            for a in 0..<area { out[permutation[a]] = self[p, a] ? 1 : 0 }
        }
    }
}

/// Where each point goes under each of the 8 symmetries, for one board size.
public struct SymmetryTables: Sendable {
    public let size: Int
    public let permutations: [[Int]]
    public init(size: Int) {
        self.size = size
        permutations = GoSymmetry.all.map { s in (0..<(size * size)).map { s.apply(action: $0, size: size) } }
    }
    public var identity: [Int] { permutations[0] }
}
