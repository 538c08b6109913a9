// Stones and points. Coordinates used throughout the Go module:
// - (row, col) with row 0 at the **top** and col 0 at the left, as in observations and frames;
// - action id = row·N + col, pass = N² (DESIGN.md §2);
// - GTP and SGF vertices are converted at their edges (GTP: letters A–T without I for the
//   column, number 1 at the **bottom** row; SGF: two letters, column then row, from the top left).
// - Inside `GoBoard`, points are indices into a padded (N+2)×(N+2) array with a border ring.

public enum Stone: UInt8, Sendable, Equatable {
    case empty = 0, black = 1, white = 2, border = 3

    /// The other player's colour (only for black and white).
    @inline(__always) public var opponent: Stone { Stone(rawValue: 3 - rawValue)! }

    /// Player index in the Environment protocol: black 0, white 1.
    public var player: Int { self == .black ? 0 : 1 }
    public static func of(player: Int) -> Stone { player == 0 ? .black : .white }
}
