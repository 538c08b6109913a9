// The value network's positions on disk, so that data from many runs (one position per
// self-play game makes it scarce) can be pooled: `dojo train value` writes its positions to
// `positions.dojoagv` in the run folder and `--positions FILE` adds earlier ones.
// Format "DOJOAGV1", little-endian:
//   magic "DOJOAGV1" (8 bytes) · board size N (UInt32) · positions K (UInt32)
//   then K positions, each: the 49 value planes as ⌈49·N²/64⌉ UInt64 words (bit i of the
//   planes is bit i%64 of word i/64; planes channel-major as in AlphaGoFeatures.swift) and the
//   outcome for the player to move, Float32 (+1 won, −1 lost, 0 draw).
// Written atomically; reading checks the magic, the size and the length.
import Files
import Foundation
import Go
import Tensors

public enum ValuePositionsFile {
    static let magic = Array("DOJOAGV1".utf8)

    public static func encode(_ examples: [ValueExample], boardSize n: Int) -> [UInt8] {
        var out = magic
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        u32(n); u32(examples.count)
        for e in examples {
            precondition(e.planes.size == n && e.planes.planes == GoGame.alphaGoValuePlanes, "value positions must be \(n)×\(n) with 49 planes")
            for w in e.planes.words { withUnsafeBytes(of: w.littleEndian) { out.append(contentsOf: $0) } }
            withUnsafeBytes(of: e.outcome.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    public static func decode(_ bytes: [UInt8], path: String = "positions") throws -> (boardSize: Int, examples: [ValueExample]) {
        func fail(_ why: String) -> AlphaGoError { AlphaGoError("\(path): \(why) (expected a DOJOAGV1 file written by dojo train value)") }
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw fail("wrong magic") }
        func u32(_ at: Int) -> Int { Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24) }
        let n = u32(8), k = u32(12)
        guard (5...19).contains(n) else { throw fail("board size \(n) is outside 5…19") }
        let words = (GoGame.alphaGoValuePlanes * n * n + 63) / 64, per = 8 * words + 4
        guard bytes.count == 16 + k * per else { throw fail("\(bytes.count) bytes do not hold \(k) positions of \(per) bytes") }
        var examples: [ValueExample] = []
        examples.reserveCapacity(k)
        var at = 16
        for _ in 0..<k {
            var w = [UInt64](repeating: 0, count: words)
            for i in 0..<words {
                for b in 0..<8 { w[i] |= UInt64(bytes[at + b]) << UInt64(8 * b) }
                at += 8
            }
            let outcome = Float(bitPattern: UInt32(u32(at)))
            at += 4
            guard outcome.isFinite, abs(outcome) <= 1 else { throw fail("an outcome of \(outcome) is outside −1…1") }
            examples.append(ValueExample(planes: PackedPlanes(words: w, planes: GoGame.alphaGoValuePlanes, size: n), outcome: outcome))
        }
        return (n, examples)
    }

    public static func write(_ examples: [ValueExample], boardSize: Int, to path: String) throws {
        try AtomicFile.write(encode(examples, boardSize: boardSize), to: path)
    }

    public static func read(_ path: String) throws -> (boardSize: Int, examples: [ValueExample]) {
        guard let data = try? BoundedFile.read(path, limit: 1 << 32) else { throw AlphaGoError("\(path): cannot read the positions file") }
        return try decode(Array(data), path: path)
    }
}
