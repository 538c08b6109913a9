// One kind of player for everything that plays a game: given a state — and, when the game is
// played on a clock, the seconds left — a player answers with a `Move`: a legal action, or
// resignation. Policies (Policy.swift) are players that never resign and play any
// environment; a game's own players (Go's search player, networks made for one board size)
// say which environments they can play, and the catalog checks that before a game starts.
// Whoever plays a player through several episodes calls `beginEpisode` before each one, so a
// player that remembers (a recurrent network) starts every episode afresh.

public enum Move: Equatable, Sendable {
    case action(Int)
    case resign

    /// The action, or nil for a resignation.
    public var action: Int? {
        if case .action(let a) = self { return a }
        return nil
    }
}

public protocol Player {
    /// What tables and logs call it.
    var name: String { get }
    /// Whether it can play `env` (a network is made for one game and board size).
    func supports(_ env: some Environment) -> Bool
    /// Its move in `state`, which it supports: a legal action, or resignation.
    mutating func move(in state: some Environment, secondsLeft: Double?) -> Move
    /// A new episode starts: forget the last one (the default remembers nothing anyway).
    mutating func beginEpisode()
}

extension Player {
    public mutating func beginEpisode() {}
}
