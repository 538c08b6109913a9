// Leela Zero's 18 input planes, for networks imported from Leela Zero files (19×19):
//   0…7   stones of the side to move, now and 1…7 plies ago
//   8…15  the opponent's stones, same order
//   16    all ones when Black is to move
//   17    all ones when White is to move
// Point order is Leela Zero's: index = y·N + x with y counted from the BOTTOM row (GTP row 1),
// while Dojo's action ids count rows from the top; `leelaZeroIndex` maps between the two (a
// vertical flip) for inputs and for the policy output (pass is N² in both).
extension GoGame {
    public static let leelaZeroPlanes = 18

    /// Leela Zero's index of a Dojo action id (and, being a flip, the reverse too).
    public func leelaZeroIndex(_ action: Int) -> Int {
        let n = size
        if action == n * n { return action }
        return (n - 1 - action / n) * n + action % n
    }

    public func leelaZeroPlanes(into buffer: UnsafeMutableBufferPointer<Float>) {
        let n = size * size
        precondition(buffer.count == 18 * n, "Leela Zero planes need \(18 * n) floats, got \(buffer.count)")
        var ours = [Float](repeating: 0, count: 17 * n)
        ours.withUnsafeMutableBufferPointer { observe(into: $0) }
        buffer.update(repeating: 0)
        for plane in 0..<16 {
            for a in 0..<n where ours[plane * n + a] != 0 { buffer[plane * n + leelaZeroIndex(a)] = 1 }
        }
        let colourPlane = toPlay == .black ? 16 : 17
        for i in 0..<n { buffer[colourPlane * n + i] = 1 }
    }
}
