// Agents by name (`dojo watch --agent random`). Learning agents join with their issues; each
// entry turns a name (and later a checkpoint) into a policy for a given environment.
import AlphaGo
import AlphaZero
import Baselines
import DQN
import Foundation
import Go
import GoSearch
import MCTS
import RL
import Tensors

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
            let typed = String(name.prefix { $0 != ":" })
            throw CatalogError("unknown agent '\(name)'\(Suggestion.phrase(for: typed, among: entries.map(\.name) + ["mcts"])); choose one of: \(entries.map(\.name).joined(separator: ", ")), or a checkpoint (.safetensors) written by dojo train")
        }
        return entry.make(seed)
    }

    /// The environment id a checkpoint was trained on (DQN and AlphaZero checkpoints).
    public static func environment(ofCheckpoint path: String) throws -> String {
        if let az = try? AlphaZeroTrainer.config(inCheckpoint: path) { return az.environment }
        if let table = try QTable.loadIfQTable(path) { return table.environmentID }
        return try DQNCheckpointInfo.read(path).environmentID
    }

    /// The agent as it should play `env`: Go gets its own players (the random Go player does
    /// not fill its own eyes), everything else the generic policies. A bare AlphaZero
    /// checkpoint file plays as `alphazero:checkpoint=FILE`.
    public static func make(_ name: String, seed: UInt64, for env: any Environment) throws -> any Policy {
        if name.hasSuffix(".safetensors"), (try? AlphaZeroTrainer.config(inCheckpoint: name)) != nil {
            return try make("alphazero:checkpoint=\(name)", seed: seed, for: env)
        }
        if env is GoGame { return GoPlayerPolicy(player: try GoPlayerCatalog.make(name, seed: seed)) }
        if name.hasPrefix("alphazero:") { return try GoPlayerCatalog.alphaZeroPolicy(String(name.dropFirst("alphazero:".count)), seed: seed, for: env) }
        if name.hasSuffix(".safetensors"), let table = try QTable.loadIfQTable(name) {
            return try table.policy(for: env)
        }
        if name.hasSuffix(".safetensors") {
            return try DQNPolicy(checkpoint: name, observationShape: env.observationShape, actions: env.actionCount, seed: seed)
        }
        return try make(name, seed: seed)
    }
}

/// Go players by name, for `dojo gtp --agent` and the Go window (search players join later).
public enum GoPlayerCatalog {
    public static let names = ["random", "mcts[:playouts=N,seconds=S,selection=uct|puct,batch=B,network=lz:FILE]",
                               "alphazero:checkpoint=FILE[,playouts=N,seconds=S]",
                               "alphago:policy=FILE[,value=FILE,lambda=0.5,threshold=15,prior=3,playouts=N,seconds=S]", "policy:checkpoint=FILE[,sample=true]"]

    /// `checkpoint=FILE` (written by dojo train alphazero) plus MCTS budget options: PUCT with
    /// the checkpoint's network, no noise, leaves batched 8 per thread.
    static func alphaZeroPlayer(_ options: String, seed: UInt64, boardSize: Int?) throws -> any GoPlayer {
        let (path, config, evaluator, search) = try alphaZeroSearch(options)
        guard let go = try? EnvironmentCatalog.make(config.environment) as? GoGame else {
            throw CatalogError("\(path) plays \(config.environment), not Go; watch it with dojo watch --env \(config.environment) --agent alphazero:checkpoint=\(path)")
        }
        if let boardSize, boardSize != go.size {
            throw CatalogError("\(path) plays \(go.size)×\(go.size) only; this game is \(boardSize)×\(boardSize)")
        }
        return MCTSGoPlayer(config: search, seed: seed, network: evaluator)
    }

    /// The checkpoint, its config and network, and the search the options describe.
    static func alphaZeroSearch(_ options: String) throws -> (path: String, config: AlphaZeroConfig, evaluator: NetworkEvaluator, search: MCTSConfig) {
        var parts = options.split(separator: ",").map(String.init)
        guard let checkpoint = parts.first(where: { $0.hasPrefix("checkpoint=") }) else {
            throw CatalogError("alphazero needs checkpoint=FILE, e.g. alphazero:checkpoint=runs/<dir>/checkpoints/latest.safetensors")
        }
        parts.removeAll { $0.hasPrefix("checkpoint=") }
        let path = String(checkpoint.dropFirst("checkpoint=".count))
        let (config, evaluator) = try perThread("az:\(path)") { try AlphaZeroTrainer.evaluator(checkpoint: path) }
        var search = try networkSearch(parts)
        if !parts.contains(where: { $0.hasPrefix("playouts=") || $0.hasPrefix("simulations=") || $0.hasPrefix("seconds=") }) {
            search.simulations = config.simulations
        }
        return (path, config, evaluator, search)
    }

    /// An AlphaZero network's search as a policy for a game other than Go; the checkpoint must
    /// have been trained on a game with `env`'s observations and actions.
    static func alphaZeroPolicy(_ options: String, seed: UInt64, for env: any Environment) throws -> any Policy {
        let (path, config, evaluator, search) = try alphaZeroSearch(options)
        guard evaluator.accepts(env) else {
            throw CatalogError("\(path) was trained on \(config.environment) (\(evaluator.observationShape) observations, \(evaluator.actionCount) actions); this environment has \(env.observationShape) and \(env.actionCount)")
        }
        return MCTSPolicy(config: search, seed: seed, network: evaluator)
    }

    /// Search options for a network player: PUCT with its priors and 8 leaves per worker
    /// thread per batch, unless the spec says otherwise.
    static func networkSearch(_ options: [String]) throws -> MCTSConfig {
        var config = try MCTSConfig.parse(options.joined(separator: ","))
        if !options.contains(where: { $0.hasPrefix("selection=") }) { config.selection = .puct }
        if !options.contains(where: { $0.hasPrefix("batch=") }) { config.batch = 8 * max(1, Parallel.threads) }
        return config
    }

    /// Search options for playout search in Go: RAVE and heavy playouts unless the spec says
    /// otherwise (RAVE beat plain UCT 4–0 at equal time, heavy playouts light ones 6–2 at
    /// 0.25 s/move; docs/results/go.md).
    static func goSearch(_ options: [String]) throws -> MCTSConfig {
        var config = try MCTSConfig.parse(options.joined(separator: ","))
        if !options.contains(where: { $0.hasPrefix("rave=") }) { config.rave = true }
        if !options.contains(where: { $0.hasPrefix("rollout=") }) { config.rollout = .heavy }
        return config
    }

    /// Networks loaded once per thread (a tournament builds a player per game; a network's
    /// layers keep scratch buffers, so threads must not share one), under a key naming the
    /// kind and the file.
    nonisolated(unsafe) static var networks: [String: Any] = [:]
    static let networksLock = NSLock()

    static func perThread<T>(_ key: String, load: () throws -> T) throws -> T {
        let key = "\(key)#\(pthread_self())"
        return try networksLock.withLock {
            if let cached = networks[key] as? T { return cached }
            let loaded = try load()
            networks[key] = loaded
            return loaded
        }
    }

    /// `lz:FILE`: a Leela Zero weights file (19×19, plain or gzipped).
    static func network(_ spec: String) throws -> NetworkEvaluator {
        guard spec.hasPrefix("lz:") else {
            throw CatalogError("network=\(spec): give a Leela Zero weights file as network=lz:FILE (Dojo's own networks play as alphazero:checkpoint=FILE)")
        }
        let path = String(spec.dropFirst(3))
        return try perThread("lz:\(path)") { try NetworkEvaluator.leelaZero(file: path) }
    }

    /// `boardSize`: when given, a network for another board size is an error here rather than
    /// a failure mid-game.
    public static func make(_ spec: String, seed: UInt64, boardSize: Int? = nil) throws -> any GoPlayer {
        if spec == "mcts" || spec.hasPrefix("mcts:") {
            var options = String(spec.dropFirst(min(spec.count, 5))).split(separator: ",").map(String.init)
            let networkOption = options.first { $0.hasPrefix("network=") }
            options.removeAll { $0.hasPrefix("network=") }
            guard let networkOption else { return MCTSGoPlayer(config: try goSearch(options), seed: seed) }
            let config = try networkSearch(options)
            let evaluator = try network(String(networkOption.dropFirst("network=".count)))
            if let boardSize, boardSize != evaluator.boardSize {
                throw CatalogError("\(networkOption) plays \(evaluator.boardSize)×\(evaluator.boardSize) only; this game is \(boardSize)×\(boardSize)")
            }
            return MCTSGoPlayer(config: config, seed: seed, network: evaluator)
        }
        if spec.hasPrefix("alphazero:") { return try alphaZeroPlayer(String(spec.dropFirst("alphazero:".count)), seed: seed, boardSize: boardSize) }
        if spec.hasPrefix("alphago:") { return try alphaGoPlayer(String(spec.dropFirst("alphago:".count)), seed: seed, boardSize: boardSize) }
        if spec.hasPrefix("policy:") { return try policyPlayer(String(spec.dropFirst("policy:".count)), seed: seed, boardSize: boardSize) }
        switch spec {
        case "random": return RandomGoPlayer(seed: seed)
        default:
            let typed = String(spec.prefix { $0 != ":" })
            let known = names.map { String($0.prefix { $0 != ":" && $0 != "[" }) }
            throw CatalogError("unknown Go player '\(spec)'\(Suggestion.phrase(for: typed, among: known)); choose one of: \(names.joined(separator: ", "))")
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
