// Evaluation after each iteration: the new network (search without noise, most visited move)
// plays, colours alternating, against the uniform-random player, the previous best network,
// and pure MCTS at the same number of simulations (UCT with random rollouts, unless the game's
// glue gives its own players: `EvaluationPlayers`); scores go to the report and the run's
// metrics. With gating
// (AlphaGo Zero), a new network that scores less than the threshold against the best is
// discarded and the best weights come back. A score is the fraction of games won, draws
// counting half.
import MCTS
import Neural
import RL
import Tensors

/// The players a run's evaluation games are played by, for one game. The generic ones below
/// suit any game; a game's glue may give its own (Go's random player never fills its own eyes,
/// its playout search is RAVE over Go playouts, its network player reuses its tree).
public protocol EvaluationPlayers: Sendable {
    /// Uniformly random legal moves.
    func random(seed: UInt64) -> any Player
    /// Search without a network at `search`'s budget.
    func playoutSearch(_ search: MCTSConfig, seed: UInt64) -> any Player
    /// PUCT search with `evaluator`'s priors and values.
    func network(_ evaluator: NetworkEvaluator, search: MCTSConfig, seed: UInt64) -> any Player
}

/// Uniform random moves, UCT with random rollouts, and `MCTSPolicy` with the network.
public struct GenericEvaluationPlayers: EvaluationPlayers {
    public init() {}
    public func random(seed: UInt64) -> any Player { RandomPolicy(seed: seed) }
    public func playoutSearch(_ search: MCTSConfig, seed: UInt64) -> any Player {
        var search = search
        search.selection = .uct
        search.batch = 1
        return MCTSPolicy(config: search, seed: seed)
    }
    public func network(_ evaluator: NetworkEvaluator, search: MCTSConfig, seed: UInt64) -> any Player {
        MCTSPolicy(config: search, seed: seed, network: evaluator)
    }
}

extension AlphaZeroTrainer {
    func evaluate(_ report: inout IterationReport) {
        let games = config.evaluationGames
        let current = currentEvaluator()
        report.winRateAgainstRandom = winRate(games: games, seed: generator.next(), evaluator: current) { self.randomPlayer(seed: $0) }
        report.winRateAgainstMCTS = winRate(games: games, seed: generator.next(), evaluator: current) { self.playoutSearchPlayer(seed: $0) }
        if best.isEmpty {
            best = network.parameters.map { $0.value.copy() }
            return
        }
        let previous = bestEvaluator()
        let vsBest = winRate(games: games, seed: generator.next(), evaluator: current) { self.networkPlayer(previous, seed: $0) }
        report.winRateAgainstBest = vsBest
        if config.gating && vsBest < config.gatingThreshold {
            for (p, saved) in zip(network.parameters, best) { p.value.scratchPointer.update(from: saved.pointer, count: saved.count) }
            report.rejected = true
        } else {
            best = network.parameters.map { $0.value.copy() }
        }
    }

    func evaluationSearch() -> MCTSConfig {
        var search = SelfPlay.searchConfig(config, noise: false)
        search.temperature = 0
        return search
    }

    func bestEvaluator() -> NetworkEvaluator {
        var unused = SeededGenerator(seed: 0)
        let copy = Self.makeNetwork(config, shape: shape, generator: &unused)
        for (p, saved) in zip(copy.parameters, best) { p.value.scratchPointer.update(from: saved.pointer, count: saved.count) }
        return Self.inferenceEvaluator(config, shape: shape, parameters: copy.parameters)
    }

    /// PUCT search with `evaluator`, without noise.
    public func networkPlayer(_ evaluator: NetworkEvaluator, seed: UInt64) -> any Player {
        players.network(evaluator, search: evaluationSearch(), seed: seed)
    }

    /// Uniformly random legal moves.
    public func randomPlayer(seed: UInt64) -> any Player { players.random(seed: seed) }

    /// Search without a network at the same simulations.
    func playoutSearchPlayer(seed: UInt64) -> any Player { players.playoutSearch(evaluationSearch(), seed: seed) }

    /// The score (wins + half the draws, over `games`) of the current network — or `evaluator`
    /// — against `opponent(seed)`, colours alternating. Both searches are deterministic without
    /// noise, so each pair of games starts from its own two random opening moves (the same pair
    /// with colours swapped).
    public func winRate(games: Int, seed: UInt64, evaluator: NetworkEvaluator? = nil, opponent: (UInt64) -> any Player) -> Double {
        let ours = evaluator ?? currentEvaluator()
        var g = SeededGenerator(seed: seed)
        var score = 0.0
        for k in 0..<games {
            var player = networkPlayer(ours, seed: g.next())
            var other = opponent(g.next())
            var opening = randomPlayer(seed: seed &+ UInt64(k / 2))
            var game = start, outcome = SIMD2<Float>.zero, played = 0
            while played < 2 && !game.isOver, let a = opening.move(in: game, secondsLeft: nil).action {
                outcome += game.step(a).rewards
                played += 1
            }
            let colour = k % 2
            var resigned: Int?
            while !game.isOver && played < config.maxMoves {
                let mover = game.currentPlayer
                let move = mover == colour ? player.move(in: game, secondsLeft: nil) : other.move(in: game, secondsLeft: nil)
                guard let a = move.action else { resigned = mover; break }
                outcome += game.step(a).rewards
                played += 1
            }
            if let resigned {
                score += resigned == colour ? 0 : 1
            } else {
                score += outcome[colour] > outcome[1 - colour] ? 1 : outcome[colour] == outcome[1 - colour] ? 0.5 : 0
            }
        }
        return score / Double(max(1, games))
    }

    /// Score against the uniform-random player.
    public func winRateAgainstRandom(games: Int, seed: UInt64) -> Double {
        winRate(games: games, seed: seed) { self.randomPlayer(seed: $0) }
    }
}
