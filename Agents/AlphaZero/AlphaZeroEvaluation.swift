// Evaluation after each iteration: the new network (search without noise, most visited move)
// plays, colours alternating, against the uniform-random player, the previous best network,
// and pure MCTS with light playouts and RAVE at the same number of simulations; win rates go to
// the report and the run's metrics. With gating (AlphaGo Zero), a new network that wins less
// than the threshold against the best is discarded and the best weights come back.
import Go
import MCTS
import Neural
import Tensors

extension AlphaZeroTrainer {
    func evaluate(_ report: inout IterationReport) {
        let games = config.evaluationGames, search = evaluationSearch()
        let current = currentEvaluator()
        report.winRateAgainstRandom = winRate(games: games, seed: generator.next()) { RandomGoPlayer(seed: $0) }
        var light = search
        light.rave = true
        report.winRateAgainstMCTS = winRate(games: games, seed: generator.next()) { MCTSGoPlayer(config: light, seed: $0) }
        if best.isEmpty {
            best = network.parameters.map { $0.value.copy() }
            return
        }
        let previous = bestEvaluator()
        let vsBest = winRate(games: games, seed: generator.next(), evaluator: current) { MCTSGoPlayer(config: search, seed: $0, network: previous) }
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
        let copy = Self.makeNetwork(config, generator: &unused)
        for (p, saved) in zip(copy.parameters, best) { p.value.scratchPointer.update(from: saved.pointer, count: saved.count) }
        return Self.inferenceEvaluator(config, parameters: copy.parameters)
    }

    /// The fraction of `games` the current network wins against `opponent(seed)`, colours
    /// alternating. Both searches are deterministic without noise, so each pair of games starts
    /// from its own two random opening moves (the same pair with colours swapped).
    public func winRate(games: Int, seed: UInt64, evaluator: NetworkEvaluator? = nil, opponent: (UInt64) -> any GoPlayer) -> Double {
        let ours = evaluator ?? currentEvaluator(), search = evaluationSearch()
        var g = SeededGenerator(seed: seed)
        var wins = 0
        for k in 0..<games {
            var player = MCTSGoPlayer(config: search, seed: g.next(), network: ours)
            var other = opponent(g.next())
            var game = GoGame(size: config.boardSize, komi: config.komi, maxMoves: config.maxMoves)
            var opening = RandomGoPlayer(seed: seed &+ UInt64(k / 2))
            for _ in 0..<2 where !game.isOver { _ = game.step(opening.chooseMove(game, secondsLeft: nil)) }
            let colour: Stone = k % 2 == 0 ? .black : .white
            var resigned: Stone?
            while !game.isOver {
                let mover = game.toPlay
                let a = mover == colour ? player.chooseMove(game, secondsLeft: nil) : other.chooseMove(game, secondsLeft: nil)
                if a == GoPlayerMove.resign { resigned = mover; break }
                _ = game.step(a)
            }
            if let resigned { if resigned != colour { wins += 1 } } else if game.outcome()[colour.player] > 0 { wins += 1 }
        }
        return Double(wins) / Double(max(1, games))
    }

    /// Win rate against the uniform-random player.
    public func winRateAgainstRandom(games: Int, seed: UInt64) -> Double {
        winRate(games: games, seed: seed) { RandomGoPlayer(seed: $0) }
    }
}
