// AlphaZero checkpoints as players: `alphazero:checkpoint=FILE[,playouts=N,seconds=S]` — PUCT
// search with the checkpoint's network, no noise — as a Go player (its game must be Go of the
// board's size) or as a policy for the game it was trained on.
import AlphaZero
import Go
import GoSearch
import MCTS
import RL

extension GoPlayerCatalog {
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
        let (config, evaluator) = try NetworkCaches.alphaZero.value(for: path) { try AlphaZeroTrainer.evaluator(checkpoint: path) }
        var search = try networkSearch(parts)
        if !parts.contains(where: { $0.hasPrefix("playouts=") || $0.hasPrefix("simulations=") || $0.hasPrefix("seconds=") }) {
            // The training search's budget, but at least 100: Gumbel self-play searches few
            // moves by design (32 for az:go9), which PUCT at play time would not do well with.
            search.simulations = max(config.simulations, 100)
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
}
