// Zobrist hashing of stone arrangements (positional superko): one fixed random word per
// (point, colour) for every point of the largest padded board, from a fixed seed so hashes are
// the same in every run.
import Tensors

enum Zobrist {
    static let maxPoints = 21 * 21
    /// keys[point·2 + colour−1].
    static let keys: [UInt64] = {
        var g = SeededGenerator(seed: 0x60_2D_0B_57)
        return (0..<(maxPoints * 2)).map { _ in g.next() }
    }()

    @inline(__always) static func key(_ point: Int, _ stone: Stone) -> UInt64 {
        keys[point &* 2 &+ Int(stone.rawValue) &- 1]
    }
}
