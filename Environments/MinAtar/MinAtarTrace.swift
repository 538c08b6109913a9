// Trace lines in the format of the reference's golden traces
// (reference/minatar/golden_traces.py): one JSON object per reset and per step, with `crc` the
// CRC-32 (zlib's) of the observation packed as bits, MSB first, in [y][x][c] order — the
// reference's channels-last layout, not Dojo's channel-major planes.
import RL

public enum MinAtarTrace {
    /// The observation as the reference's packed bits ([y][x][c], MSB first).
    public static func packedObservation(_ env: some Environment) -> [UInt8] {
        let shape = env.observationShape
        let planes = env.observation()
        let bitCount = shape.count
        var bytes = [UInt8](repeating: 0, count: (bitCount + 7) / 8)
        var bit = 0
        for y in 0..<shape.height {
            for x in 0..<shape.width {
                for c in 0..<shape.channels {
                    if planes[(c * shape.height + y) * shape.width + x] != 0 {
                        bytes[bit >> 3] |= 0x80 >> UInt8(bit & 7)
                    }
                    bit += 1
                }
            }
        }
        return bytes
    }

    public static func crcHex(_ env: some Environment) -> String { hex8(CRC32.checksum(packedObservation(env))) }

    public static func resetLine(_ env: some Environment) -> String {
        "{\"k\":\"reset\",\"crc\":\"\(crcHex(env))\"}"
    }

    public static func stepLine(_ env: some Environment, t: Int, action: Int, executed: Int, reward: Float, done: Bool) -> String {
        "{\"k\":\"step\",\"t\":\(t),\"a\":\(action),\"x\":\(executed),\"r\":\(Int(reward)),\"d\":\(done ? 1 : 0),\"crc\":\"\(crcHex(env))\"}"
    }

    static func hex8(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}

/// CRC-32 as zlib computes it (reflected polynomial 0xEDB88320, initial and final XOR ~0).
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// Environments that can say which action they executed (after sticky actions).
public protocol ExecutedActionReporting {
    var lastExecutedAction: Int { get }
}

extension MinAtarTrace {
    /// Runs the golden-trace protocol: the environment as given (already reset), `steps`
    /// actions from `nextAction`, a reset line after every step that ends the episode.
    public static func record<E: Environment>(_ env: inout E, steps: Int, nextAction: (E) throws -> Int,
                                              emit: (String) -> Void) rethrows {
        emit(resetLine(env))
        for t in 0..<steps {
            let a = try nextAction(env)
            let r = env.step(a)
            let executed = (env as? ExecutedActionReporting)?.lastExecutedAction ?? a
            emit(stepLine(env, t: t, action: a, executed: executed, reward: r.reward, done: r.isOver))
            if r.isOver {
                env.reset(seed: nil)
                emit(resetLine(env))
            }
        }
    }
}
