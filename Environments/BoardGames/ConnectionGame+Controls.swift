// Connection games in the window (`dojo play tic-tac-toe`, `dojo play connect-four --opponent
// ...`): a click on a cell plays there — with gravity anywhere in a column drops a stone into
// it —, and the status bar says whose turn it is (red moves first) or how the game ended.
import RL

extension ConnectionGame: BoardControls, StatusReporting, DigitControls {
    /// Gravity games: digit d is column d; others (up to 9 cells): cell d, row by row from the top.
    public func action(forDigit d: Int) -> Int? {
        let action = d - 1
        guard d >= 1, action < actionCount, gravity || width * height <= 9 else { return nil }
        return isLegal(action) ? action : nil
    }

    public var digitsHelp: String {
        gravity ? "KEYS 1-\(min(9, width)) DROP INTO A COLUMN" : "KEYS 1-\(width * height) PLAY A CELL, ROWS FROM THE TOP"
    }

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
