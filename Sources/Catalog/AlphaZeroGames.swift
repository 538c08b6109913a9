// Where AlphaZero meets the games: a run's preset and its trainer for the game an environment id
// names. Go gets its glue (Agents/GoSearch/GoAlphaZero.swift); every other two-player game the
// generic agent as it is.
import AlphaZero
import Go
import GoSearch
import RL

public enum AlphaZeroGames {
    /// The preset `name` for the game `id` names (`game`, made from it).
    public static func preset(_ name: String, environment id: String, game: any Environment) throws -> AlphaZeroConfig {
        if let go = game as? GoGame { return try GoAlphaZero.preset(name, environment: id, game: go) }
        return try AlphaZeroConfig.preset(name, environment: id, game: game)
    }

    /// A trainer for `config` (its game made from `config.environment`), validated for that game.
    public static func trainer(_ config: AlphaZeroConfig, seed: UInt64, selfPlayDirectory: String? = nil) throws -> AlphaZeroTrainer {
        let game = try start(config)
        let players: any EvaluationPlayers = game is GoGame ? GoEvaluationPlayers() : GenericEvaluationPlayers()
        return AlphaZeroTrainer(config: config, seed: seed, selfPlayDirectory: selfPlayDirectory, start: game, players: players)
    }

    /// The position `config`'s self-play games start from (Go's with its move cap), validated.
    public static func start(_ config: AlphaZeroConfig) throws -> any Environment {
        let game = try EnvironmentCatalog.make(config.environment)
        if let why = AlphaZeroConfig.unsupported(game, id: config.environment) { throw CatalogError(why) }
        try config.validate(for: game)
        if let go = game as? GoGame { return GoAlphaZero.start(config, game: go) }
        return game
    }
}
