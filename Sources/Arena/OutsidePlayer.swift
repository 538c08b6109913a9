// The one refinement of `Player` (RL/Player.swift) the referee needs: a player that keeps its
// own copy of the game — an outside engine over GTP — is told every move as it is played (so an
// engine that refuses a move is seen at once, and the game is void rather than lost), and says
// why an answer was a resignation when it was a fault rather than a choice. Faults carry the
// end reasons of the match harness (`../shared/reference/go/match.py`): timeout, crash,
// gtp-error, illegal move.
import Go

public struct PlayerFault: Error, CustomStringConvertible {
    /// "timeout", "crash", "gtp-error" or "illegal move" (the harness's end reasons).
    public let reason: String
    public let detail: String
    public var description: String { "\(reason): \(detail)" }

    init(_ error: Error) {
        if let fault = error as? PlayerFault { self = fault; return }
        switch error as? GTPEngineError {
        case .timeout?: reason = "timeout"
        case .exited?, .couldNotStart?: reason = "crash"
        default: reason = "gtp-error"
        }
        detail = "\(error)"
    }

    public init(reason: String, detail: String) { self.reason = reason; self.detail = detail }
}

public protocol OutsidePlayer: AnyObject {
    /// Brings its copy of the game to `game`; a game without moves starts a new one. Throws a
    /// `PlayerFault`.
    func follow(_ game: GoGame) throws
    /// Why its last answer was a resignation, when that was a fault (nil after a real move or a
    /// resignation by choice).
    var lastFault: PlayerFault? { get }
}
