// Self-play positions on disk, so self-play and training can run as separate processes (and
// later on separate machines). One file per game, little-endian, written atomically.
// Format "DOJOAZ04" (version 4, any board game):
//   magic "DOJOAZ04" (8 bytes) · planes C · height H · width W · actions K · ownership points O
//   (0: no auxiliary targets) · network version V (the published network that played the
//   game; 0: the untrained one) · positions P (UInt32 each)
//   then P positions, each:
//     input planes, C·H·W bits packed LSB-first (the observation, channel-major; values 0/1),
//     legal mask, K bits packed LSB-first (1 = legal),
//     visit distribution, K Float32 (sums to 1; zero on illegal moves),
//     outcome z, Float32: the game's result for the player to move (+1 win, −1 loss, 0 draw),
//     flags, UInt8: bit 0 set when the visit distribution is a policy target (playout cap
//       randomization: a cheap search's is not); other bits 0,
//     when O > 0: the final owner of each of the O points for the player to move, Int8 each
//       (+1 own, −1 the opponent's, 0 neither), and the final score margin for the player to
//       move, Float32 (KataGo's auxiliary targets),
//   then the CRC-32C of every byte before it (UInt32), so flipped bits are detected.
// Version 3 ("DOJOAZ03": no O, no flags, no auxiliary targets), version 2 ("DOJOAZ02": version
// 3 without the checksum) and version 1 ("DOJOAZ01", Go only: board size N · planes C ·
// positions P, then as version 2 with H = W = N and K = N² + 1) are still read. Reading trusts
// nothing: the magic, the sizes, the length, the checksum, and every value (a distribution of
// finite values in 0…1 summing to 1 and zero on illegal moves, an outcome in −1…1, owners in
// −1…1, a finite score) are checked before a position is accepted, since training on a NaN
// would end a run.
import Files
import Foundation
import RL
import Tensors

public struct TrainingPosition: Equatable, Sendable {
    public var planes: [Float]
    public var legal: [Bool]
    public var policy: [Float]
    public var outcome: Float
    /// Whether `policy` trains the policy head (a cheap search's visits do not).
    public var policyTarget: Bool
    /// Auxiliary targets, when the game has them: the final owner of every point and the final
    /// score margin, both for the player to move.
    public var ownership: [Float]?
    public var score: Float?
    public init(planes: [Float], legal: [Bool], policy: [Float], outcome: Float, policyTarget: Bool = true,
                ownership: [Float]? = nil, score: Float? = nil) {
        self.planes = planes; self.legal = legal; self.policy = policy; self.outcome = outcome
        self.policyTarget = policyTarget; self.ownership = ownership; self.score = score
    }
}

extension TrainingPosition {
    /// What is wrong with a position read from outside, or nil.
    var problem: String? {
        guard outcome.isFinite, (-1...1).contains(outcome) else { return "outcome \(outcome) is not in −1…1" }
        var sum: Float = 0
        for (action, p) in policy.enumerated() {
            guard p.isFinite, (0...1).contains(p) else { return "visit share \(p) of action \(action) is not in 0…1" }
            guard p == 0 || legal[action] else { return "action \(action) is illegal but has visits" }
            sum += p
        }
        guard abs(sum - 1) <= 1e-3 else { return "the visit distribution sums to \(sum), not 1" }
        if let ownership, let bad = ownership.first(where: { !$0.isFinite || !(-1...1).contains($0) }) {
            return "owner \(bad) is not in −1…1"
        }
        if let score, !(score.isFinite && abs(score) <= SelfPlayRecord.maxScore) { return "score \(score) is not a finite margin" }
        return nil
    }
}

/// What a self-play file's positions are: the network input's shape and the number of actions.
public struct PositionShape: Equatable, Sendable, CustomStringConvertible {
    public var observation: ObservationShape
    public var actions: Int
    public init(observation: ObservationShape, actions: Int) { self.observation = observation; self.actions = actions }
    public init(_ env: some Environment) { self.init(observation: env.observationShape, actions: env.actionCount) }
    public var description: String { "\(observation) planes and \(actions) actions" }
}

public enum SelfPlayRecord {
    static let magic = Array("DOJOAZ04".utf8), version3 = Array("DOJOAZ03".utf8)
    static let uncheckedMagic = Array("DOJOAZ02".utf8), goMagic = Array("DOJOAZ01".utf8)
    /// The largest score margin a record may hold (a 64×64 board's area, with room for komi).
    static let maxScore: Float = 10_000

    /// A game's positions as a version 4 file, played by network `networkVersion`. Positions
    /// of one game all have auxiliary targets or none do.
    public static func encode(_ positions: [TrainingPosition], shape: PositionShape, networkVersion: Int = 0) throws -> [UInt8] {
        var out = magic
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        func f32(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        func bits(_ values: [Bool]) {
            var bytes = [UInt8](repeating: 0, count: (values.count + 7) / 8)
            for (i, v) in values.enumerated() where v { bytes[i >> 3] |= 1 << UInt8(i & 7) }
            out.append(contentsOf: bytes)
        }
        let o = shape.observation
        let owned = positions.first?.ownership?.count ?? 0
        for v in [o.channels, o.height, o.width, shape.actions, owned, networkVersion, positions.count] { u32(v) }
        for (index, position) in positions.enumerated() {
            guard position.planes.count == o.count && position.policy.count == shape.actions && position.legal.count == shape.actions
                    && (position.ownership?.count ?? 0) == owned && (position.score != nil) == (owned > 0) else {
                throw AlphaZeroError("position \(index) does not fit a file of \(shape)\(owned > 0 ? " with \(owned) owners" : ""); nothing was written")
            }
            bits(position.planes.map { $0 != 0 })
            bits(position.legal)
            for v in position.policy + [position.outcome] { f32(v) }
            out.append(position.policyTarget ? 1 : 0)
            if let ownership = position.ownership, let score = position.score {
                out.append(contentsOf: ownership.map { UInt8(bitPattern: Int8($0.rounded())) })
                f32(score)
            }
        }
        withUnsafeBytes(of: CRC32C.checksum(out).littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// The shape, the positions and the version of the network that played them (0 in files
    /// older than version 4).
    public static func decode(_ bytes: [UInt8], path: String = "record") throws -> (shape: PositionShape, positions: [TrainingPosition], networkVersion: Int) {
        func fail(_ why: String) -> AlphaZeroError { AlphaZeroError("\(path): \(why) (expected a DOJOAZ04, 03, 02 or 01 self-play file)") }
        guard bytes.count >= 20 else { throw fail("only \(bytes.count) bytes") }
        let head = Array(bytes[0..<8])
        guard [magic, version3, uncheckedMagic, goMagic].contains(head) else { throw fail("wrong magic") }
        let checked = head == magic || head == version3, hasFlags = head == magic
        // Checked versions end with the checksum of the bytes before it; `length` excludes it.
        var length = bytes.count
        var at = 8
        func u32() -> Int {
            defer { at += 4 }
            return Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        let shape: PositionShape
        var owned = 0, networkVersion = 0
        if head == goMagic {
            let n = u32(), p = u32()
            guard (2...19).contains(n), (1...64).contains(p) else { throw fail("board \(n) or planes \(p) out of range") }
            shape = PositionShape(observation: ObservationShape(channels: p, height: n, width: n), actions: n * n + 1)
        } else {
            let header = 8 + 4 * (hasFlags ? 7 : 5)
            guard bytes.count >= header + (checked ? 4 : 0) else { throw fail("only \(bytes.count) bytes") }
            if checked {
                length -= 4
                at = length
                guard CRC32C.checksum(bytes[..<length]) == UInt32(u32()) else { throw fail("the checksum does not match: the file is damaged") }
                at = 8
            }
            let c = u32(), h = u32(), w = u32(), k = u32()
            guard (1...256).contains(c), (1...64).contains(h), (1...64).contains(w), (1...65_536).contains(k) else {
                throw fail("planes \(c), height \(h), width \(w) or actions \(k) out of range")
            }
            if hasFlags {
                owned = u32()
                guard owned == 0 || owned == h * w else { throw fail("\(owned) owned points on a \(h)×\(w) board") }
                networkVersion = u32()
            }
            shape = PositionShape(observation: ObservationShape(channels: c, height: h, width: w), actions: k)
        }
        let count = u32(), cells = shape.observation.count, k = shape.actions
        let per = (cells + 7) / 8 + (k + 7) / 8 + 4 * (k + 1) + (hasFlags ? 1 : 0) + (owned > 0 ? owned + 4 : 0)
        guard length == at + count * per else { throw fail("\(length) bytes do not hold \(count) positions of \(per) bytes") }
        func bits(_ count: Int) -> [Bool] {
            defer { at += (count + 7) / 8 }
            return (0..<count).map { bytes[at + ($0 >> 3)] & (1 << UInt8($0 & 7)) != 0 }
        }
        func float() -> Float {
            defer { at += 4 }
            return Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        var positions: [TrainingPosition] = []
        positions.reserveCapacity(count)
        for index in 0..<count {
            let planes = bits(cells).map { $0 ? Float(1) : 0 }
            let legal = bits(k)
            let policy = (0..<k).map { _ in float() }
            var position = TrainingPosition(planes: planes, legal: legal, policy: policy, outcome: float())
            if hasFlags {
                let flags = bytes[at]
                at += 1
                guard flags & ~1 == 0 else { throw fail("position \(index): unknown flags \(flags)") }
                position.policyTarget = flags & 1 != 0
            }
            if owned > 0 {
                position.ownership = bytes[at..<(at + owned)].map { Float(Int8(bitPattern: $0)) }
                at += owned
                position.score = float()
            }
            if let problem = position.problem { throw fail("position \(index): \(problem)") }
            positions.append(position)
        }
        return (shape, positions, networkVersion)
    }

    /// Whether `name` is a self-play file's plain name (no folder, no hidden or temporary file).
    public static func isPlainName(_ name: String) -> Bool {
        name.hasSuffix(".dojoaz") && !name.hasPrefix(".") && !name.contains("/") && name.count <= 255
    }

    public static func write(_ positions: [TrainingPosition], shape: PositionShape, networkVersion: Int = 0, to path: String) throws {
        try AtomicFile.write(try encode(positions, shape: shape, networkVersion: networkVersion), to: path)
    }

    public static func read(_ path: String) throws -> (shape: PositionShape, positions: [TrainingPosition], networkVersion: Int) {
        guard let data = try? BoundedFile.read(path, limit: 1 << 30) else { throw AlphaZeroError("\(path): cannot read the self-play file") }
        return try decode(Array(data), path: path)
    }
}
