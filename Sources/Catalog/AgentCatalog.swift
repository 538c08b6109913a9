// Agents by name for any environment — the one spec grammar of `dojo play --opponent`,
// `dojo watch --agent`, `dojo gtp --agent` and `dojo tournament --player`: `random`,
// `mcts:playouts=400`, a DQN, R2D2, PPO/A2C or Q-table checkpoint (`PATH.safetensors` or `checkpoint:PATH`),
// `alphazero:checkpoint=FILE`; Go adds its own players, outside GTP engines among them
// (GoPlayerCatalog.swift).
import AlphaZero
import Baselines
import DQN
import Foundation
import Go
import GoSearch
import MCTS
import PPO
import R2D2
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
        Entry(name: "mcts", summary: "Monte Carlo tree search with the environment as simulator (mcts:playouts=N,seconds=S,selection=uct|puct|gumbel)") {
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
        if PPOCheckpointInfo.claims(path) { return try PPOCheckpointInfo.read(path).environmentID }
        if R2D2CheckpointInfo.claims(path) { return try R2D2CheckpointInfo.read(path).environmentID }
        return try DQNCheckpointInfo.read(path).environmentID
    }

    /// The agent as it should play `env`: Go gets its own players (the random Go player does
    /// not fill its own eyes), everything else the generic policies. A bare AlphaZero
    /// checkpoint file plays as `alphazero:checkpoint=FILE`.
    public static func make(_ name: String, seed: UInt64, for env: any Environment) throws -> any Player {
        if name.hasPrefix("az:") { return try make(BundledNetworks.expand(name), seed: seed, for: env) }
        if let go = env as? GoGame { return try goPlayer(name, seed: seed, boardSize: go.size) }
        if name.hasPrefix("checkpoint:") { return try make(String(name.dropFirst("checkpoint:".count)), seed: seed, for: env) }
        if name.hasSuffix(".safetensors"), (try? AlphaZeroTrainer.config(inCheckpoint: name)) != nil {
            return try make("alphazero:checkpoint=\(name)", seed: seed, for: env)
        }
        if name.hasPrefix("gtp:") { throw CatalogError("GTP engines play Go only, and this game is not Go") }
        if name.hasPrefix("alphazero:") { return try GoPlayerCatalog.alphaZeroPolicy(String(name.dropFirst("alphazero:".count)), seed: seed, for: env) }
        if name.hasSuffix(".safetensors"), let table = try QTable.loadIfQTable(name) {
            return try table.policy(for: env)
        }
        if name.hasSuffix(".safetensors"), PPOCheckpointInfo.claims(name) {
            return try ActorCriticPolicy(checkpoint: name, observationShape: env.observationShape, actions: env.actionCount, seed: seed)
        }
        if name.hasSuffix(".safetensors"), R2D2CheckpointInfo.claims(name) {
            return try R2D2Policy(checkpoint: name, observationShape: env.observationShape, actions: env.actionCount, seed: seed)
        }
        if name.hasSuffix(".safetensors") {
            return try DQNPolicy(checkpoint: name, observationShape: env.observationShape, actions: env.actionCount, seed: seed)
        }
        return try make(name, seed: seed)
    }

    /// The agent as a Go player (GTP sessions need one): the same grammar, with Go's players.
    public static func goPlayer(_ name: String, seed: UInt64, boardSize: Int) throws -> any GoPlayer {
        if name.hasPrefix("checkpoint:") { return try goPlayer(String(name.dropFirst("checkpoint:".count)), seed: seed, boardSize: boardSize) }
        let isBarePath = name.hasSuffix(".safetensors") && !name.contains(":")
        if isBarePath, (try? AlphaZeroTrainer.config(inCheckpoint: name)) != nil {
            return try GoPlayerCatalog.make("alphazero:checkpoint=\(name)", seed: seed, boardSize: boardSize)
        }
        if isBarePath {
            throw CatalogError("'\(name)' is a DQN, R2D2 or PPO checkpoint, which plays single-player environments; for Go use alphazero:checkpoint=FILE, alphago:policy=FILE, policy:checkpoint=FILE, random, mcts:... or gtp:...")
        }
        return try GoPlayerCatalog.make(name, seed: seed, boardSize: boardSize)
    }
}
