// GTP vertices: a column letter A–T without I, then the row number counted from the bottom
// (A1 is the bottom-left corner); "pass" for passing. Case-insensitive on input.

public enum GTPVertex {
    static let letters = Array("ABCDEFGHJKLMNOPQRST")

    /// "D4" for a point of `board`.
    public static func format(_ p: Int, board: GoBoard) -> String {
        let (row, col) = board.rowCol(p)
        return "\(letters[col])\(board.size - row)"
    }

    /// "D4", "pass", or "PASS" → action id (pass = N²); nil when malformed or off the board.
    public static func parse(_ text: String, size: Int) -> Int? {
        let t = text.uppercased()
        if t == "PASS" { return size * size }
        guard let first = t.first, let col = letters.firstIndex(of: first), col < size,
              let number = Int(t.dropFirst()), (1...size).contains(number) else { return nil }
        return (size - number) * size + col
    }

    /// Action id → "D4" / "pass".
    public static func format(action: Int, size: Int) -> String {
        if action == size * size { return "pass" }
        return "\(letters[action % size])\(size - action / size)"
    }
}
