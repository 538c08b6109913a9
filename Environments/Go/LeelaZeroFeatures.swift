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
        let n = size, area = n * n
        precondition(buffer.count == 18 * area, "Leela Zero planes need \(18 * area) floats, got \(buffer.count)")
        // Dojo's 17 planes in place, then the 16 stone planes flipped top to bottom and the
        // colour planes rewritten (no allocation: this runs for every searched leaf).
        observe(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<(17 * area)]))
        let base = buffer.baseAddress!
        for plane in 0..<16 {
            for r in 0..<(n / 2) {
                let top = base + plane * area + r * n, bottom = base + plane * area + (n - 1 - r) * n
                for c in 0..<n { swap(&top[c], &bottom[c]) }
            }
        }
        let black: Float = toPlay == .black ? 1 : 0
        (base + 16 * area).update(repeating: black, count: area)
        (base + 17 * area).update(repeating: 1 - black, count: area)
    }
}
