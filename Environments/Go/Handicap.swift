// Fixed handicap placement as GTP's `fixed_handicap` defines it: star points on the third line
// (fourth from 13×13 up), in the order corners (lower-left, upper-right, upper-left,
// lower-right), then the sides and the centre as the count requires. Up to 9 stones on odd
// boards from 9×9, up to 4 on other boards from 7×7.

extension GoGame {
    public static func maxFixedHandicap(size: Int) -> Int {
        size < 7 ? 0 : (size % 2 == 1 && size >= 9 ? 9 : 4)
    }

    /// Points of `count` fixed handicap stones, or nil when the board has no such placement.
    public static func fixedHandicapPoints(_ count: Int, board: GoBoard) -> [Int]? {
        let n = board.size
        guard count >= 2, count <= maxFixedHandicap(size: n) else { return nil }
        let d = n >= 13 ? 3 : 2
        let low = d, high = n - 1 - d, mid = n / 2
        // (column, line from the bottom)
        let corners = [(low, low), (high, high), (low, high), (high, low)]
        let sides = [(low, mid), (high, mid)], tops = [(mid, low), (mid, high)]
        var chosen = Array(corners.prefix(min(count, 4)))
        if count >= 6 { chosen += sides }
        if count >= 8 { chosen += tops }
        if count % 2 == 1 && count >= 5 { chosen.append((mid, mid)) }
        return chosen.map { board.point(row: n - 1 - $0.1, col: $0.0) }
    }
}
