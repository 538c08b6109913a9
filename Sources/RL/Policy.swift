// How agents act. A policy looks at an environment value (its observation, legal actions, or
// for search a copy to simulate) and returns an action id: a `Player` (Player.swift) that never
// resigns. Policies that draw random numbers own
// a `SeededGenerator`, so they are reproducible and copyable like environments.
import Tensors

public protocol Policy: Player {
    /// The action to take in `env`'s current state; must be legal.
    mutating func act(on env: some Environment) -> Int
}

/// A policy as a player: it plays any environment and never resigns.
extension Policy {
    public var name: String { String(describing: Self.self) }
    public func supports(_ env: some Environment) -> Bool { true }
    public mutating func move(in state: some Environment, secondsLeft: Double?) -> Move { .action(act(on: state)) }
}

/// Uniformly random over the legal actions.
public struct RandomPolicy: Policy, Sendable {
    public var generator: SeededGenerator
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public mutating func act(on env: some Environment) -> Int {
        let legal = env.legalActions
        precondition(!legal.isEmpty, "no legal action to choose from")
        return legal[generator.nextInt(below: legal.count)]
    }
}

/// A policy given as a closure (fixed scripts in tests, opponents built elsewhere).
public struct ClosurePolicy: Policy {
    public var choose: (any Environment) -> Int
    public init(_ choose: @escaping (any Environment) -> Int) { self.choose = choose }
    public mutating func act(on env: some Environment) -> Int { choose(env) }
}
