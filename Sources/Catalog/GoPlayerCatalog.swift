// Go players by spec, for `dojo gtp --agent`, the Go window and Go tournaments: random, MCTS
// with playouts or a Leela Zero network, AlphaZero and AlphaGo checkpoints, a policy network.
// Specs are checked against the board size before a game starts.
import AlphaGo
import AlphaZero
import Arena
import Foundation
import Go
import GoSearch
import MCTS
import RL
import Tensors

/// Go players by name, for `dojo gtp --agent`, the Go window and Go tournaments.
public enum GoPlayerCatalog {
    public static let names = ["random", "mcts[:playouts=N,seconds=S,selection=uct|puct|gumbel,batch=B,network=lz:FILE]",
                               "alphazero:checkpoint=FILE[,playouts=N,seconds=S]", "az:go9[,playouts=N,seconds=S]",
                               "alphago:policy=FILE[,value=FILE,lambda=0.5,threshold=15,prior=3,playouts=N,seconds=S]", "policy:checkpoint=FILE[,sample=true]",
                               "gtp:COMMAND (an outside GTP engine, e.g. \"gtp:gnugo --mode gtp --level 10\")"]

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
        if !options.contains(where: { $0.hasPrefix("rave=") }) && config.selection != .gumbel { config.rave = true }
        if !options.contains(where: { $0.hasPrefix("rollout=") }) { config.rollout = .heavy }
        return config
    }

    /// `lz:FILE`: a Leela Zero weights file (19×19, plain or gzipped).
    static func network(_ spec: String) throws -> NetworkEvaluator {
        guard spec.hasPrefix("lz:") else {
            throw CatalogError("network=\(spec): give a Leela Zero weights file as network=lz:FILE (Dojo's own networks play as alphazero:checkpoint=FILE)")
        }
        let path = String(spec.dropFirst(3))
        return try NetworkCaches.leelaZero.value(for: path) { try NetworkEvaluator.leelaZero(file: path) }
    }

    /// `boardSize`: when given, a network for another board size is an error here rather than
    /// a failure mid-game.
    public static func make(_ spec: String, seed: UInt64, boardSize: Int? = nil) throws -> any GoPlayer {
        if spec.hasPrefix("az:") { return try make(BundledNetworks.expand(spec), seed: seed, boardSize: boardSize) }
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
        if spec.hasPrefix("gtp:") {
            let player = try engine(spec, name: nil)
            try player.probe()
            return player
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

    /// `gtp:COMMAND`: an outside engine, named `name` or after its program; not started yet.
    public static func engine(_ spec: String, name: String?, stderrPath: String? = nil) throws -> GTPEnginePlayer {
        let command = try PlayerCatalog.splitCommandLine(String(spec.dropFirst("gtp:".count)))
        guard let program = command.first else { throw CatalogError("gtp: needs a command line, like \"gtp:gnugo --mode gtp --level 10\"") }
        return GTPEnginePlayer(name: name ?? (program as NSString).lastPathComponent, command: command, stderrPath: stderrPath)
    }
}
