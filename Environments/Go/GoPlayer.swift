// Who chooses moves when Dojo plays Go through GTP or the window: a `GoPlayer` sees the game
// (and, when the controller gives one, the time it may spend) and returns an action id
// (row·N + col, pass = N²).
import Tensors

/// Special answers a player may give instead of an action id.
public enum GoPlayerMove {
    /// Resign the game (GTP answers `resign`).
    public static let resign = -1
}

public protocol GoPlayer {
    var name: String { get }
    /// A legal action for `game.toPlay`, or `GoPlayerMove.resign`.
    mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Int
    /// Whether it can play on a `size`×`size` board (a network is made for one size).
    func supports(size: Int) -> Bool
}

extension GoPlayer {
    public func supports(size: Int) -> Bool { true }
}

/// Uniformly random among the legal moves that do not fill one of its own eyes (the
/// light-playout policy); passes only when nothing else is left, so its games end.
public struct RandomGoPlayer: GoPlayer, Sendable {
    public var generator: SeededGenerator
    public let name = "random"
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Int {
        let candidates = game.sensibleActions.filter { $0 != game.passAction }
        return candidates.isEmpty ? game.passAction : candidates[generator.nextInt(below: candidates.count)]
    }
}
