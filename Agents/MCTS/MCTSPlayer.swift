// Search as a player: `MCTSPolicy` for any environment (random rollouts; for Go, light
// playouts) and `MCTSGoPlayer` for GTP and the Go window. Specs as users type them:
// `mcts`, `mcts:playouts=20000`, `mcts:seconds=1,selection=puct,c=1.0`.
import Foundation
import Go
import RL
import Tensors

extension MCTSConfig {
    /// A config from `key=value` options (`playouts`/`simulations`, `seconds`, `selection`,
    /// `c`, `temperature`); unknown keys and bad values are one-sentence errors.
    public static func parse(_ options: String) throws -> MCTSConfig {
        var c = MCTSConfig()
        guard !options.isEmpty else { return c }
        var timeGiven = false, simulationsGiven = false
        for part in options.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw ConfigError("MCTS option '\(part)' is not key=value (example: mcts:playouts=20000)") }
            switch kv[0] {
            case "playouts", "simulations":
                guard let n = Int(kv[1]), n > 0 else { throw ConfigError("MCTS \(kv[0])=\(kv[1]) must be a positive integer") }
                c.simulations = n; simulationsGiven = true
            case "seconds":
                guard let s = Double(kv[1]), s > 0 else { throw ConfigError("MCTS seconds=\(kv[1]) must be a positive number") }
                c.seconds = s; timeGiven = true
            case "selection":
                guard let s = Selection(rawValue: kv[1]) else { throw ConfigError("MCTS selection=\(kv[1]) must be uct or puct") }
                c.selection = s
            case "c":
                guard let v = Double(kv[1]), v >= 0 else { throw ConfigError("MCTS c=\(kv[1]) must be a number ≥ 0") }
                c.uctC = v; c.puctInit = v
            case "noise":
                guard let v = Double(kv[1]), (0...1).contains(v) else { throw ConfigError("MCTS noise=\(kv[1]) must be a fraction in 0…1") }
                c.rootNoiseFraction = v
            case "resign":
                guard let v = Double(kv[1]), (0...1).contains(v) else { throw ConfigError("MCTS resign=\(kv[1]) must be a value in 0…1 (resign below −value)") }
                c.resignThreshold = v
            case "rave":
                guard let b = Bool(kv[1]) ?? (kv[1] == "on" ? true : kv[1] == "off" ? false : nil) else { throw ConfigError("MCTS rave=\(kv[1]) must be on or off") }
                c.rave = b
            case "batch":
                guard let n = Int(kv[1]), (1...4096).contains(n) else { throw ConfigError("MCTS batch=\(kv[1]) must be an integer in 1…4096") }
                c.batch = n
            case "rollout":
                guard let r = Rollout(rawValue: kv[1]) else { throw ConfigError("MCTS rollout=\(kv[1]) must be light or heavy") }
                c.rollout = r
            case "threshold":
                guard let n = Int(kv[1]), n >= 1 else { throw ConfigError("MCTS threshold=\(kv[1]) must be a positive integer (visits before a node asks the network)") }
                c.knowledgeThreshold = n
            case "prior":
                guard let v = Double(kv[1]), v >= 0 else { throw ConfigError("MCTS prior=\(kv[1]) must be a number ≥ 0 (weight of the policy's prior bonus)") }
                c.priorWeight = v
            case "lambda":
                guard let v = Double(kv[1]), (0...1).contains(v) else { throw ConfigError("MCTS lambda=\(kv[1]) must be a number in 0…1 (the rollouts' share of a value)") }
                c.lambda = v
            case "temperature":
                guard let v = Double(kv[1]), v >= 0 else { throw ConfigError("MCTS temperature=\(kv[1]) must be a number ≥ 0") }
                c.temperature = v
            default:
                throw ConfigError("unknown MCTS option '\(kv[0])'; use playouts, seconds, selection, c, rave, rollout, noise, resign, batch, temperature, threshold, prior, lambda (and, for Go, network=lz:FILE)")
            }
        }
        if timeGiven && !simulationsGiven { c.simulations = 0 }   // seconds alone: search until the time is up
        return c
    }
}

/// Search with a fresh tree each move, as a `Policy` for any environment: random rollouts (for
/// Go, playouts), or a policy/value network when one is given (AlphaZero's agent on any game).
public struct MCTSPolicy: Policy {
    public let config: MCTSConfig
    public let network: NetworkEvaluator?
    private var seeds: SeededGenerator
    public init(config: MCTSConfig, seed: UInt64, network: NetworkEvaluator? = nil) {
        self.config = config
        self.network = network
        seeds = SeededGenerator(seed: seed)
    }

    public mutating func act(on env: some Environment) -> Int {
        let evaluator: any Evaluator = network ?? GoPlayoutEvaluator(seed: seeds.next(), recordsMoves: config.rave, heavy: config.rollout == .heavy)
        let tree = MCTS(root: env, config: config, evaluator: evaluator, seed: seeds.next())
        tree.search()
        return tree.bestAction()
    }
}

/// Search with light playouts as a Go player; the clock (GTP `time_left`) caps the time per
/// move. The tree is reused between moves when the game continued from the position searched
/// (our move, then the opponent's reply).
public struct MCTSGoPlayer: GoPlayer {
    public let config: MCTSConfig
    var seeds: SeededGenerator
    var previous: (tree: MCTS<GoGame>, moves: Int)?
    /// The network (or networks and rollouts), when they evaluate positions instead of light
    /// playouts.
    public let network: (any GoBoardEvaluator)?
    /// Priors (and values) for nodes visited often enough, on top of playouts (AlphaGo).
    public let knowledge: (any GoNodeKnowledge)?
    public var name: String { "mcts" }
    public init(config: MCTSConfig, seed: UInt64, network: (any GoBoardEvaluator)? = nil, knowledge: (any GoNodeKnowledge)? = nil) {
        self.config = config
        self.network = network
        self.knowledge = knowledge
        seeds = SeededGenerator(seed: seed)
    }

    public func supports(size: Int) -> Bool { (network?.boardSize ?? knowledge?.boardSize).map { $0 == size } ?? true }

    mutating func tree(_ game: GoGame, _ c: MCTSConfig) -> MCTS<GoGame> {
        let tree = MCTS(root: game, config: c, evaluator: evaluator(seeds.next(), rave: c.rave), seed: seeds.next())
        tree.knowledge = knowledge
        return tree
    }

    func evaluator(_ seed: UInt64, rave: Bool) -> any Evaluator {
        if let network { return network }
        return GoPlayoutEvaluator(seed: seed, recordsMoves: rave, heavy: config.rollout == .heavy)
    }

    public mutating func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Int {
        var c = config
        if let s = secondsLeft, s > 0 {
            c.seconds = c.seconds > 0 ? min(c.seconds, 0.9 * s) : 0.9 * s
        }
        if Parallel.threads > 1 && network == nil && knowledge == nil {   // a network uses the threads inside each batch instead
            // One tree per worker thread, merged at the root (no tree reuse in this mode).
            let rave = c.rave, heavy = c.rollout == .heavy
            let result = MCTS<GoGame>.rootParallel(root: game, config: c, workers: Parallel.threads, seed: seeds.next()) {
                GoPlayoutEvaluator(seed: $0, recordsMoves: rave, heavy: heavy)
            }
            previous = nil
            if c.resignThreshold > 0 && result.value < -c.resignThreshold { return GoPlayerMove.resign }
            return Self.avoidingPass(result.bestAction, visits: result.visits.map { ($0.key, $0.value) }, game)
        }
        var tree = tree(game, c)
        if let (old, count) = previous, game.moves.count == count + 2, Array(old.root.moves) == Array(game.moves.prefix(count)) {
            let since = game.moves.suffix(2).map { $0.point.map { game.board.action($0) } ?? game.passAction }
            if let reused = old.reused(after: since, newRoot: game, config: c) { tree = reused }
        }
        tree.search()
        previous = (tree, game.moves.count)
        return tree.shouldResign ? GoPlayerMove.resign : Self.avoidingPass(tree.bestAction(), visits: tree.rootVisits, game)
    }

    /// Search never passes first while it has a move to make: in a position it thinks lost every
    /// move scores −1 and pass can come out on top, after which the opponent takes the board
    /// unanswered. So a pass stands only after the opponent's pass (or with nothing else to
    /// play); otherwise the most visited other move is played. (Own eyes never reach the root:
    /// the tree expands Go's sensible moves only.)
    static func avoidingPass(_ action: Int, visits: [(action: Int, visits: Int)], _ game: GoGame) -> Int {
        guard action == game.passAction, game.moves.last.map({ $0.point != nil }) ?? true else { return action }
        let others = visits.filter { $0.action != game.passAction }
        return others.max { $0.visits < $1.visits || ($0.visits == $1.visits && $0.action > $1.action) }?.action ?? action
    }
}

extension MCTS {
    /// The root's moves with their statistics (for the player to move at the root), most
    /// visited first, each with its principal variation of at most `pvLength` moves.
    public func analysis(pvLength: Int = 10) -> [(action: Int, visits: Int, value: Double, prior: Double, pv: [Int])] {
        let root = nodes[0]
        guard root.expanded else { return [] }
        let mover = Int(root.player)
        var lines: [(action: Int, visits: Int, value: Double, prior: Double, pv: [Int])] = []
        for c in Int(root.firstChild)..<Int(root.firstChild + root.childCount) where nodes[c].visits > 0 {
            var pv = [Int(nodes[c].action)], n = c
            while pv.count < pvLength, nodes[n].expanded, nodes[n].childCount > 0 {
                let first = Int(nodes[n].firstChild)
                let best = (first..<(first + Int(nodes[n].childCount))).max { nodes[$0].visits < nodes[$1].visits }!
                guard nodes[best].visits > 0 else { break }
                pv.append(Int(nodes[best].action))
                n = best
            }
            lines.append((Int(nodes[c].action), Int(nodes[c].visits), Double(nodes[c].valueSum[mover]) / Double(nodes[c].visits),
                          Double(nodes[c].prior), pv))
        }
        return lines.sorted { $0.visits > $1.visits || ($0.visits == $1.visits && $0.action < $1.action) }
    }
}

extension MCTSGoPlayer: AnalyzingGoPlayer {
    public mutating func analyze(_ game: GoGame, interval: Double, budget: Bool,
                                 shouldStop: () -> Bool, report: ([MoveAnalysis]) -> Void) -> Int {
        var slice = config
        slice.simulations = 0
        slice.seconds = max(0.01, interval)
        let tree = tree(game, slice)
        let start = Date()
        var done = 0
        while !shouldStop() {
            done += tree.search()
            report(tree.analysis().map { line in
                let winrate = (line.value + 1) / 2
                return MoveAnalysis(action: line.action, visits: line.visits, winrate: winrate, prior: line.prior,
                                    lcb: winrate - 0.98 / Double(line.visits).squareRoot(), pv: line.pv)
            })
            if budget && ((config.simulations > 0 && done >= config.simulations)
                          || (config.seconds > 0 && Date().timeIntervalSince(start) >= config.seconds)) { break }
        }
        previous = nil
        // Analysis stopped by the next command before its first visit has no move to name;
        // only a budgeted search (genmove) plays what it returns, and it always searches.
        guard !tree.rootVisits.isEmpty else { return game.passAction }
        return tree.shouldResign ? GoPlayerMove.resign : tree.bestAction()
    }
}
