// Go's moves as action ids (pass = size²), so search can keep its tree between moves.
import RL

extension GoGame: ActionHistory {
    public var actionHistory: [Int] { moves.map { m in m.point.map { board.action($0) } ?? passAction } }
}
