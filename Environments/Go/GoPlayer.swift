// A player made for Go (RL/Player.swift): it sees the game as a `GoGame` (and, when the
// controller gives one, the time it may spend) and answers with a move — an action id
// (row·N + col, pass = N²) or resignation. It plays Go positions of the sizes it supports.
import RL
import Tensors

public protocol GoPlayer: Player {
    /// A legal action for `game.toPlay`, or resignation.
    mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move
    /// Whether it can play on a `size`×`size` board (a network is made for one size).
    func supports(size: Int) -> Bool
}

extension GoPlayer {
    public func supports(size: Int) -> Bool { true }

    public func supports(_ env: some Environment) -> Bool { (env as? GoGame).map { supports(size: $0.size) } ?? false }

    /// A Go player asked about another game resigns (the catalog checks `supports` first).
    public mutating func move(in state: some Environment, secondsLeft: Double?) -> Move {
        guard let game = state as? GoGame else { return .resign }
        return chooseMove(game, secondsLeft: secondsLeft)
    }
}

/// Uniformly random among the legal moves that do not fill one of its own eyes (the
/// light-playout policy); passes only when nothing else is left, so its games end.
public struct RandomGoPlayer: GoPlayer, Sendable {
    public var generator: SeededGenerator
    public let name = "random"
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        let candidates = game.sensibleActions.filter { $0 != game.passAction }
        return .action(candidates.isEmpty ? game.passAction : candidates[generator.nextInt(below: candidates.count)])
    }
}
