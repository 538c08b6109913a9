// Connection games in the window (`dojo play tic-tac-toe`, `dojo play connect-four --opponent
// ...`): a click on a cell plays there — with gravity anywhere in a column drops a stone into
// it —, and the status bar says whose turn it is (red moves first) or how the game ended.
import RL

extension ConnectionGame: BoardControls, StatusReporting {
    public func action(forClickAt x: Int, _ y: Int) -> Int? {
        let p = Self.cellPixels
        guard x >= 0, y >= 0, x < width * p, y < height * p else { return nil }
        let action = gravity ? x / p : (y / p) * width + x / p
        return isLegal(action) ? action : nil
    }

    public var passMove: Int? { nil }

    public var statusText: String {
        let names = gravity ? ["RED", "YELLOW"] : ["X", "O"]
        if let winner { return "\(names[winner]) WINS" }
        if isOver { return "DRAW" }
        return "\(names[currentPlayer]) TO PLAY"
    }
}
