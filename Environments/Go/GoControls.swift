// Go in the window: a click on (or near) an intersection plays there, `p` passes, `u` undoes
// (the viewer keeps the positions); the status bar shows captures and the Tromp-Taylor count.
import RL

extension GoGame: BoardControls, StatusReporting {
    public func action(forClickAt x: Int, _ y: Int) -> Int? {
        guard let (row, col) = boardPoint(x: x, y: y) else { return nil }
        let a = row * size + col
        return isLegal(action: a) ? a : nil
    }

    public var passMove: Int? { passAction }

    public var statusText: String {
        let who = isOver ? "GAME OVER \(resultString)" : (toPlay == .black ? "BLACK TO PLAY" : "WHITE TO PLAY")
        return "\(who)  CAPTURES B \(captures.black) W \(captures.white)  COUNT \(resultString)"
    }
}
