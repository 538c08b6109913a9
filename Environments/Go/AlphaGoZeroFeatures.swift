// The AlphaGo Zero input planes (Silver et al. 2017), the Go environment's observation.
// 17 planes of N×N, for the player to move ("own"):
//   0…7   own stones in the current position and the 7 before it (plane k = k plies ago)
//   8…15  opponent stones, same order
//   16    all ones when black is to move, all zeros when white is
// Positions before the start of the game read as empty boards.
import RL

extension GoGame {
    public static let alphaGoZeroPlanes = 17

    /// Every plane is 0/1 (self-play files and replay buffers store them as bits).
    public var observationsAreBinary: Bool { true }

    public var observationShape: ObservationShape {
        ObservationShape(channels: Self.alphaGoZeroPlanes, height: size, width: size)
    }

    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        let n = size * size
        precondition(buffer.count == 17 * n, "observation needs \(17 * n) floats, got \(buffer.count)")
        buffer.update(repeating: 0)
        let own = toPlay.rawValue, enemy = toPlay.opponent.rawValue
        recentPositions.withUnsafeBufferPointer { r in
            for k in 0..<min(8, moves.count + 1) {
                let slot = ((newestSlot - k) % 8 + 8) % 8
                for a in 0..<n {
                    let c = r[slot * n + a]
                    if c == own { buffer[k * n + a] = 1 } else if c == enemy { buffer[(8 + k) * n + a] = 1 }
                }
            }
        }
        if toPlay == .black { for a in 0..<n { buffer[16 * n + a] = 1 } }
    }
}
