// The AlphaGo input features (Silver et al. 2016, Extended Data Table 2): 48 planes of N×N
// for the player to move, plus a 49th for the value network. Plane by plane:
//    0       own stones
//    1       opponent stones
//    2       empty points
//    3       ones (constant)
//    4…11    turns since a stone was played: 1, 2, …, 7, ≥8 (one-hot, on stones)
//   12…19    liberties of the stone's group: 1, 2, …, 7, ≥8
//   20…27    capture size: stones a legal move here would capture: 0, 1, …, 6, ≥7
//   28…35    self-atari size: stones left in atari by a legal move here: 1, 2, …, 7, ≥8
//   36…43    liberties after a legal move here: 1, 2, …, 7, ≥8
//   44       ladder capture: a move here wins a ladder
//   45       ladder escape: a move here escapes a ladder
//   46       sensibleness: legal (Dojo's rules, superko included) and not filling an own eye
//   47       zeros (constant)
//   48       (value network only) ones when the player to move is black
// Handicap stones count as played ≥ 8 turns ago.

extension GoGame {
    public static let alphaGoPolicyPlanes = 48, alphaGoValuePlanes = 49

    /// The AlphaGo planes (48, or 49 with `valueNetwork`) for the player to move.
    public func alphaGoFeatures(valueNetwork: Bool = false) -> [Float] {
        let n = size, area = n * n
        let planes = valueNetwork ? 49 : 48
        var out = [Float](repeating: 0, count: planes * area)
        let own = toPlay, enemy = toPlay.opponent, b = board
        func set(_ plane: Int, _ a: Int, _ v: Float = 1) { out[plane * area + a] = v }
        var lastMove = [Int](repeating: -1, count: area)
        for (i, m) in moves.enumerated() { if let p = m.point { lastMove[b.action(p)] = i } }
        var libertyCache: [Int: Int] = [:]
        for a in 0..<area {
            let p = b.point(action: a), stone = b[p]
            set(3, a)
            if stone == own || stone == enemy {
                set(stone == own ? 0 : 1, a)
                let age = lastMove[a] >= 0 ? moves.count - lastMove[a] : 8
                set(4 + min(max(age, 1), 8) - 1, a)
                let g = b.group(at: p)
                let libs = libertyCache[g] ?? b.liberties(ofGroupAt: p).count
                libertyCache[g] = libs
                set(12 + min(libs, 8) - 1, a)
                continue
            }
            set(2, a)
            guard isLegal(point: p) else { continue }
            var after = b
            let captured = after.play(p, own)
            set(20 + min(captured, 7), a)
            let libs = after.liberties(ofGroupAt: p).count
            if libs == 1 { set(28 + min(after.stoneCount(ofGroupAt: p), 8) - 1, a) }
            set(36 + min(max(libs, 1), 8) - 1, a)
            if b.isLadderCapture(p, own) { set(44, a) }
            if b.isLadderEscape(p, own) { set(45, a) }
            if !b.isEye(p, own) { set(46, a) }
        }
        if valueNetwork && own == .black { for a in 0..<area { set(48, a) } }
        return out
    }
}
