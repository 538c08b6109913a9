// Self-play positions on disk, so self-play and training can run as separate processes (and
// later on separate machines). Format "DOJOAZ01", version 1, little-endian, one file per game:
//   magic "DOJOAZ01" (8 bytes) · board size N (UInt32) · planes P (UInt32) · positions K (UInt32)
//   then K positions, each:
//     input planes, P·N² bits packed LSB-first (the planes are 0/1),
//     legal mask, N²+1 bits packed LSB-first (1 = legal; the last bit is pass),
//     visit distribution, N²+1 Float32 (sums to 1; zero on illegal moves),
//     outcome z, Float32: the game's result for the player to move (+1 win, −1 loss, 0 draw).
// Files are written atomically; reading checks the magic, the sizes and the length.
import Foundation
import Tensors

public struct TrainingPosition: Equatable, Sendable {
    public var planes: [Float]
    public var legal: [Bool]
    public var policy: [Float]
    public var outcome: Float
    public init(planes: [Float], legal: [Bool], policy: [Float], outcome: Float) {
        self.planes = planes; self.legal = legal; self.policy = policy; self.outcome = outcome
    }
}

public enum SelfPlayRecord {
    static let magic = Array("DOJOAZ01".utf8)

    public static func encode(_ positions: [TrainingPosition], boardSize n: Int, planes p: Int) -> [UInt8] {
        var out = magic
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        func bits(_ values: [Bool]) {
            var bytes = [UInt8](repeating: 0, count: (values.count + 7) / 8)
            for (i, v) in values.enumerated() where v { bytes[i >> 3] |= 1 << UInt8(i & 7) }
            out.append(contentsOf: bytes)
        }
        u32(n); u32(p); u32(positions.count)
        for position in positions {
            precondition(position.planes.count == p * n * n && position.policy.count == n * n + 1, "position size mismatch")
            bits(position.planes.map { $0 != 0 })
            bits(position.legal)
            for v in position.policy + [position.outcome] { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }

    public static func decode(_ bytes: [UInt8], path: String = "record") throws -> (boardSize: Int, planes: Int, positions: [TrainingPosition]) {
        func fail(_ why: String) -> AlphaZeroError { AlphaZeroError("\(path): \(why) (expected a DOJOAZ01 self-play file)") }
        guard bytes.count >= 20, Array(bytes[0..<8]) == magic else { throw fail("wrong magic") }
        var at = 8
        func u32() -> Int {
            defer { at += 4 }
            return Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        let n = u32(), p = u32(), k = u32()
        guard (2...19).contains(n), p > 0, p <= 64 else { throw fail("board \(n) or planes \(p) out of range") }
        let area = n * n, moves = area + 1
        let per = (p * area + 7) / 8 + (moves + 7) / 8 + 4 * (moves + 1)
        guard bytes.count == 20 + k * per else { throw fail("\(bytes.count) bytes do not hold \(k) positions of \(per) bytes") }
        func bits(_ count: Int) -> [Bool] {
            defer { at += (count + 7) / 8 }
            return (0..<count).map { bytes[at + ($0 >> 3)] & (1 << UInt8($0 & 7)) != 0 }
        }
        func float() -> Float {
            defer { at += 4 }
            return Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        var positions: [TrainingPosition] = []
        positions.reserveCapacity(k)
        for _ in 0..<k {
            let planes = bits(p * area).map { $0 ? Float(1) : 0 }
            let legal = bits(moves)
            let policy = (0..<moves).map { _ in float() }
            positions.append(TrainingPosition(planes: planes, legal: legal, policy: policy, outcome: float()))
        }
        return (n, p, positions)
    }

    public static func write(_ positions: [TrainingPosition], boardSize: Int, planes: Int, to path: String) throws {
        try AtomicFile.write(encode(positions, boardSize: boardSize, planes: planes), to: path)
    }

    public static func read(_ path: String) throws -> (boardSize: Int, planes: Int, positions: [TrainingPosition]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw AlphaZeroError("\(path): cannot read the self-play file") }
        return try decode(Array(data), path: path)
    }
}
