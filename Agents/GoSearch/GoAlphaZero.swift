// AlphaZero on Go: what the generic agent (Agents/AlphaZero) is given when the game is Go.
// - Presets: the generic sizes with Go's own search budget and noise (tiny: 24 simulations,
//   6 iterations of 120 steps, α 0.3; small: α 0.15 — AlphaZero's 0.03 is for 19×19), komi 0.5
//   on boards up to 7×7 unless the id names one (7.5 is more than a small board is worth);
//   the move cap is the id's (2·N² unless it names max_moves).
// - The start: the id's game with the config's move cap, so a game stopped at the cap is
//   counted by Tromp-Taylor as Go ends it, not called a draw.
// - Evaluation players: the random Go player (never fills its own eyes), RAVE over Go
//   playouts as pure MCTS, and the Go search player for the network (tree reuse, resignation,
//   never passing first while it has a move).
import AlphaZero
import Go
import MCTS
import RL

public enum GoAlphaZero {
    /// The preset `name` for `game`, named `id` as the user wrote it.
    public static func preset(_ name: String, environment id: String, game: GoGame) throws -> AlphaZeroConfig {
        var c = try AlphaZeroConfig.preset(name, environment: id, game: game)
        if name == "tiny" {
            c.simulations = 24; c.iterations = 6; c.trainSteps = 120
        }
        c.noiseAlpha = name == "tiny" ? 0.3 : 0.15
        let namesKomi = id.split(separator: ",").dropFirst().contains { $0.hasPrefix("komi=") }
        if !namesKomi && game.size <= 7 { c.environment = id + ",komi=0.5" }
        return c
    }

    /// The start of every game of a run: `game` (made from `config.environment`) with the
    /// config's move cap.
    public static func start(_ config: AlphaZeroConfig, game: GoGame) -> GoGame {
        GoGame(size: game.size, komi: game.komi, maxMoves: config.maxMoves)
    }
}

/// Go's players for AlphaZero's evaluation games.
public struct GoEvaluationPlayers: EvaluationPlayers {
    public init() {}

    public func random(seed: UInt64) -> any Player { RandomGoPlayer(seed: seed) }

    public func playoutSearch(_ search: MCTSConfig, seed: UInt64) -> any Player {
        var search = search
        search.rave = true
        return MCTSGoPlayer(config: search, seed: seed)
    }

    public func network(_ evaluator: NetworkEvaluator, search: MCTSConfig, seed: UInt64) -> any Player {
        MCTSGoPlayer(config: search, seed: seed, network: evaluator)
    }
}
