// Agents by name (`dojo watch --agent random`). Learning agents join with their issues; each
// entry turns a name (and later a checkpoint) into a policy for a given environment.
import DQN
import Go
import MCTS
import RL

public enum AgentCatalog {
    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        let make: @Sendable (_ seed: UInt64) -> any Policy
    }

    public static let entries: [Entry] = [
        Entry(name: "random", summary: "uniformly random legal actions (seeded)") { RandomPolicy(seed: $0) },
        Entry(name: "mcts", summary: "Monte Carlo tree search with the environment as simulator (mcts:playouts=N,seconds=S,selection=uct|puct)") {
            MCTSPolicy(config: MCTSConfig(), seed: $0)
        },
    ]

    public static func make(_ name: String, seed: UInt64) throws -> any Policy {
        if name == "mcts" || name.hasPrefix("mcts:") {
            return MCTSPolicy(config: try MCTSConfig.parse(String(name.dropFirst(min(name.count, 5)))), seed: seed)
        }
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw CatalogError("unknown agent '\(name)'; choose one of: \(entries.map(\.name).joined(separator: ", ")), or a checkpoint (.safetensors) written by dojo train")
        }
        return entry.make(seed)
    }

    /// The agent as it should play `env`: Go gets its own players (the random Go player does
    /// not fill its own eyes), everything else the generic policies.
    public static func make(_ name: String, seed: UInt64, for env: any Environment) throws -> any Policy {
        if name.hasSuffix(".safetensors") {
            return try DQNPolicy(checkpoint: name, observationShape: env.observationShape, actions: env.actionCount, seed: seed)
        }
        if env is GoGame { return GoPlayerPolicy(player: try GoPlayerCatalog.make(name, seed: seed)) }
        return try make(name, seed: seed)
    }
}

/// Go players by name, for `dojo gtp --agent` and the Go window (search players join later).
public enum GoPlayerCatalog {
    public static let names = ["random", "mcts[:playouts=N,seconds=S,selection=uct|puct]"]

    public static func make(_ spec: String, seed: UInt64) throws -> any GoPlayer {
        if spec == "mcts" || spec.hasPrefix("mcts:") {
            let options = String(spec.dropFirst(min(spec.count, 5)))
            var config = try MCTSConfig.parse(options)
            if !options.contains("rave=") { config.rave = true }   // Go's default: RAVE beats plain UCT 4–0 at equal time
            return MCTSGoPlayer(config: config, seed: seed)
        }
        switch spec {
        case "random": return RandomGoPlayer(seed: seed)
        default: throw CatalogError("unknown Go player '\(spec)'; choose one of: \(names.joined(separator: ", "))")
        }
    }
}

/// A Go player as a `Policy` (for the viewer and other environment-generic code).
public struct GoPlayerPolicy: Policy {
    public var player: any GoPlayer
    public mutating func act(on env: some Environment) -> Int {
        guard let game = env as? GoGame else { preconditionFailure("a Go player only plays Go") }
        let a = player.chooseMove(game, secondsLeft: nil)
        return a == GoPlayerMove.resign ? game.passAction : a     // the window has no resignation: pass instead
    }
}
