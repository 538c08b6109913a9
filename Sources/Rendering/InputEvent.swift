// What a person did, from either front end (window or terminal), in one vocabulary.
import RL

public enum InputEvent: Equatable, Sendable {
    /// A game control (arrows/WASD, space).
    case control(ControlKey)
    /// `p`: pause or resume.
    case pause
    /// `n`: advance one step while paused.
    case step
    /// `+` / `-`: change the frame rate.
    case faster, slower
    /// `u`: take back a move (board games).
    case undo
    /// `q`, Esc, or closing the window.
    case quit
    /// A mouse click at window pixel (x, y) (board games place stones with it; the viewer turns
    /// it into the environment's frame pixels).
    case click(x: Int, y: Int)
    /// A digit key 1…9 (small board games: a cell or a column by number, also in a terminal).
    case digit(Int)
}

/// A front-end failure a person can act on (no display, no terminal), in one sentence.
public struct ViewerError: Error, CustomStringConvertible {
    public let description: String
    /// No display could be reached (the caller may know a better way out than the terminal).
    public let isNoDisplay: Bool
    public init(_ description: String, isNoDisplay: Bool = false) {
        self.description = description
        self.isNoDisplay = isNoDisplay
    }
}
