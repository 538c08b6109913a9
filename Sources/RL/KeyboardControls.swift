// How a person at the keyboard drives an environment (`dojo play`). The window and terminal
// front ends translate physical keys into `ControlKey`s; each environment says which action a
// control means, and whether the game runs in real time (MinAtar: the world moves on without
// input) or waits for a key (grid worlds, board games).

public enum ControlKey: Sendable, Equatable {
    case up, down, left, right, fire
}

public protocol KeyboardControls {
    /// The action a control key means, or nil when the key does nothing in this environment.
    func action(for key: ControlKey) -> Int?
    /// The action taken on a tick without a key in real-time games; nil: wait for a key.
    var idleAction: Int? { get }
    /// One line for the help screen, e.g. "arrows move, space fires".
    var controlsHelp: String { get }
}

/// Board games played with the mouse (`dojo play go:9`): a click names a point, `p` passes,
/// `u` takes a move back.
public protocol BoardControls {
    /// The action a click at frame pixel (x, y) means, or nil off the board or when illegal.
    func action(forClickAt x: Int, _ y: Int) -> Int?
    /// The pass action, when the game has one.
    var passMove: Int? { get }
}

/// Board games small enough to name a move by one digit (tic-tac-toe's cells, Connect Four's
/// columns), so they can be played in a terminal as well as with the mouse.
public protocol DigitControls {
    /// The action digit `d` (1…9) names, or nil when it names none or an illegal one.
    func action(forDigit d: Int) -> Int?
    /// What the digits mean, for the status line ("1-9 CELLS, ROWS FROM THE TOP").
    var digitsHelp: String { get }
}

/// A line of game state for the status bar (captures, score), beyond episode and step.
public protocol StatusReporting {
    var statusText: String { get }
}
