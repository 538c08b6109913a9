// The moves worth trying in search and playouts: every legal move but filling one's own eye
// (a true eye, `GoBoard.isEye`), and pass. Without that rule a losing search plays anything,
// its own eyes included, and loses every stone.

extension GoGame {
    public var sensibleActions: [Int] {
        legalActions.filter { $0 == passAction || !board.isEye(board.point(action: $0), toPlay) }
    }
}
