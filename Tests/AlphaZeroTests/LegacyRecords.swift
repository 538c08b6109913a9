// Self-play files as older builds wrote them (version 3: no ownership count, no flags), so the
// tests can check that they still read. Written from the format's description at the top of
// SelfPlayRecord.swift, not by the code under test.
import AlphaZero
import Files

enum LegacyRecords {
    static func version3(_ positions: [TrainingPosition], shape: PositionShape) -> [UInt8] {
        var out = Array("DOJOAZ03".utf8)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        func bits(_ values: [Bool]) {
            var bytes = [UInt8](repeating: 0, count: (values.count + 7) / 8)
            for (i, v) in values.enumerated() where v { bytes[i >> 3] |= 1 << UInt8(i & 7) }
            out.append(contentsOf: bytes)
        }
        let o = shape.observation
        for v in [o.channels, o.height, o.width, shape.actions, positions.count] { u32(v) }
        for p in positions {
            bits(p.planes.map { $0 != 0 })
            bits(p.legal)
            for v in p.policy + [p.outcome] { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        withUnsafeBytes(of: CRC32C.checksum(out).littleEndian) { out.append(contentsOf: $0) }
        return out
    }
}
