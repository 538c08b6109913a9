// AlphaZero's settings (Silver et al. 2017/2018) as one documented struct, saved in the run
// directory and in every checkpoint. Presets: `tiny` (seconds; the tests) and `small` (a
// machine-hours run on a CPU), for any two-player game; a game's glue may tune them further
// (Agents/GoSearch/GoAlphaZero.swift). Values are for the player to move; the network is the
// AlphaGo Zero residual network over the game's observation planes.
import Foundation
import Neural
import RL
import Runs

public struct AlphaZeroConfig: Codable, Equatable, Sendable {
    /// The game: an environment id as `dojo envs` lists it (`go:9,komi=7.5`, `tic-tac-toe`,
    /// `connect-four,width=5,height=4`), resolved by the caller's catalog.
    public var environment = ""
    /// Residual blocks and filters of the network; hidden units of the value head.
    public var blocks = 4, filters = 32, valueHidden = 64
    /// Search per self-play move (PUCT, AlphaZero's c(N); leaves batched 8 at a time).
    public var simulations = 100
    /// The self-play search: `puct` (AlphaZero: Dirichlet noise at the root, moves drawn ∝
    /// visits for `temperatureMoves` moves, visit shares as policy targets) or `gumbel`
    /// (Danihelka et al. 2022, Agents/MCTS/MCTS+Gumbel.swift: sequential halving over the
    /// `gumbelActions` moves drawn by Gumbel-top-k, whose improved policy is the target; its
    /// Gumbel draw replaces Dirichlet noise, so `noiseFraction`/`noiseAlpha` are PUCT's only,
    /// and the first `temperatureMoves` moves search with the draw, the move played being a
    /// sample; later moves search the most likely moves without it). Gumbel search learns from
    /// small budgets (the paper trains 9×9 Go with a handful of simulations per move), where
    /// PUCT's visit counts are little more than the prior.
    public enum Search: String, ConfigChoice { case puct, gumbel }
    public var search = Search.puct
    /// Gumbel search's m, c_visit and c_scale (σ(q̂) = (c_visit + max N) · c_scale · q̂).
    public var gumbelActions = 16
    public var gumbelVisitScale = 50.0, gumbelValueScale = 0.1
    /// KataGo's playout cap randomization (Wu 2019, §3.1): a fraction `fullSearchFraction` of
    /// self-play moves get the full search (`simulations`, with noise and forced playouts), the
    /// rest a cheap one of `cheapSimulations` without either, whose visits do not train the
    /// policy (its positions still train the value, so games come faster for the same policy
    /// targets). 0: every move gets the full search. KataGo: 600 and 100, fraction 0.25.
    public var cheapSimulations = 0
    public var fullSearchFraction = 0.25
    /// KataGo's forced playouts and policy target pruning (§3.2) in full searches: k of
    /// n_forced = √(k · P · N) (KataGo: 2; 0: off). Agents/MCTS/MCTS+ForcedPlayouts.swift.
    /// With 100 simulations on 9×9 it made self-play collapse into White passing every move
    /// (docs/results/go.md); KataGo uses it with 600+ visits.
    public var forcedPlayouts = 0.0
    /// KataGo's global pooling (§4.1): channels of every third residual block (the last, with
    /// fewer than three) pooled over the board into biases for the rest (0: off; KataGo's
    /// 96-filter nets pool 32).
    public var globalPoolingChannels = 0
    /// KataGo's auxiliary targets (§4.2), for games that count ownership (Go): weights of the
    /// ownership loss (mean squared error per point; KataGo: 1.5) and of the score loss (squared
    /// error of the margin in units of the board's area). 0: no such head (the network is then
    /// exactly AlphaGo Zero's).
    public var ownershipWeight = 0.0
    public var scoreWeight = 0.0
    /// Dirichlet noise at the root: ε and α (AlphaZero: 0.25, 0.03 on 19×19; ≈ 10 / legal moves).
    public var noiseFraction = 0.25, noiseAlpha = 0.15
    /// Moves played ∝ visit counts (temperature 1) before switching to the most visited.
    public var temperatureMoves = 8
    /// Self-play games per iteration, then `trainSteps` SGD steps on the window.
    public var gamesPerIteration = 20
    public var iterations = 50
    public var trainSteps = 100
    public var batchSize = 64
    /// SGD with momentum and L2 weight decay (AlphaGo Zero: momentum 0.9, c = 1e-4), or
    /// `optimizer` adam (Kingma & Ba; β 0.9/0.999, the same L2 added to the gradient; give it
    /// a smaller learningRate such as 1e-3).
    public enum Optimizer: String, ConfigChoice { case sgd, adam }
    public var optimizer = Optimizer.sgd
    public var learningRate = 0.02, momentum = 0.9, weightDecay = 1e-4
    /// The learning rate over the run's iterations × trainSteps updates: constant; cosine (to 0
    /// at the last update); or step (× 0.1 after each third, AlphaGo Zero's drops).
    public enum Schedule: String, ConfigChoice { case constant, cosine, step }
    public var schedule = Schedule.constant
    /// Positions kept for training (the most recent ones).
    public var windowPositions = 20_000
    /// Resignation in self-play: a side resigns when the root value for it falls below
    /// −`resignThreshold` (0: never). A fraction `resignPlayoutFraction` of games is played out
    /// anyway to count false positives (the side that would have resigned went on to win).
    public var resignThreshold = 0.0
    public var resignPlayoutFraction = 0.1
    /// Moves per self-play game before it is scored as it stands (passes included).
    public var maxMoves = 160
    /// Evaluation games after each iteration against the uniform-random player, the previous
    /// best network and pure MCTS with light playouts (0: none).
    public var evaluationGames = 10
    /// Evaluate after every `evaluateEvery`-th iteration only (long runs: self-play time goes
    /// to self-play); gating then compares against the best of the last evaluation.
    public var evaluateEvery = 1
    /// AlphaGo Zero's gating: keep the new network only if it wins at least `gatingThreshold`
    /// of its evaluation games against the best so far (AlphaGo Zero: 55%); off by default
    /// (AlphaZero always keeps the newest).
    public var gating = false
    public var gatingThreshold = 0.55

    public init() {}

    /// One sentence for the first setting that cannot work (a --set typo such as simulations=0,
    /// or a damaged config read from a checkpoint). Sizes are bounded so that no config asks
    /// for absurd memory; the window's positions are bounded together with the board.
    public func validate() throws {
        let c = ConfigCheck(prefix: "AlphaZero config: ")
        do {
            try c.require(!environment.isEmpty && environment.count <= 256, "environment must name a game (an id as dojo envs lists it)")
            try c.count("blocks", blocks, 0...128)
            try c.count("filters", filters, 1...1_024)
            try c.count("valueHidden", valueHidden, 1...65_536)
            try c.count("simulations", simulations, 1...10_000_000)
            try c.count("cheapSimulations", cheapSimulations, 0...max(0, simulations - 1))
            try c.number("fullSearchFraction", fullSearchFraction, "in (0, 1]") { $0 > 0 && $0 <= 1 }
            try c.number("forcedPlayouts", forcedPlayouts, in: 0...100)
            try c.require(search == .puct || forcedPlayouts == 0, "forcedPlayouts are PUCT's (KataGo §3.2); Gumbel search visits its moves by sequential halving, so set forcedPlayouts=0 with search=gumbel")
            try c.count("gumbelActions", gumbelActions, 1...100_000)
            try c.number("gumbelVisitScale", gumbelVisitScale, in: 0...1_000_000)
            try c.number("gumbelValueScale", gumbelValueScale, in: 0...1_000_000)
            try c.count("globalPoolingChannels", globalPoolingChannels, 0...(filters - 1))
            try c.number("ownershipWeight", ownershipWeight, in: 0...100)
            try c.number("scoreWeight", scoreWeight, in: 0...100)
            try c.count("temperatureMoves", temperatureMoves, 0...100_000)
            try c.count("gamesPerIteration", gamesPerIteration, 1...10_000_000)
            try c.count("iterations", iterations, 0...10_000_000)
            try c.count("trainSteps", trainSteps, 0...100_000_000)
            try c.count("batchSize", batchSize, 1...65_536)
            try c.number("learningRate", learningRate, "in (0, 10]") { $0 > 0 && $0 <= 10 }
            try c.number("momentum", momentum, "in [0, 1)") { (0..<1).contains($0) }
            try c.number("weightDecay", weightDecay, in: 0...1)
            try c.count("windowPositions", windowPositions, 1...100_000_000)
            try c.number("noiseFraction", noiseFraction, in: 0...1)
            try c.number("noiseAlpha", noiseAlpha, "in (0, 100]") { $0 > 0 && $0 <= 100 }
            try c.number("resignThreshold", resignThreshold, in: 0...1)
            try c.number("resignPlayoutFraction", resignPlayoutFraction, in: 0...1)
            try c.count("maxMoves", maxMoves, 1...100_000)
            try c.count("evaluationGames", evaluationGames, 0...1_000_000)
            try c.count("evaluateEvery", evaluateEvery, 1...10_000_000)
            try c.number("gatingThreshold", gatingThreshold, in: 0...1)
        } catch let error as ConfigError {
            throw AlphaZeroError(error.description)
        }
    }

    /// The keys whose change from `stored` would change the network (and so the tensors a
    /// checkpoint holds) or its game: what a resumed run cannot change.
    public func networkChanges(from stored: AlphaZeroConfig) -> [String] {
        let shape: [(String, Bool)] = [
            ("environment", environment != stored.environment), ("blocks", blocks != stored.blocks),
            ("filters", filters != stored.filters), ("valueHidden", valueHidden != stored.valueHidden),
            ("globalPoolingChannels", globalPoolingChannels != stored.globalPoolingChannels),
            // The auxiliary heads exist when their weight is positive.
            ("ownershipWeight", (ownershipWeight > 0) != (stored.ownershipWeight > 0)),
            ("scoreWeight", (scoreWeight > 0) != (stored.scoreWeight > 0)),
        ]
        return shape.filter(\.1).map(\.0)
    }

    /// `validate()`, and the window's memory for `game`'s positions against this machine's.
    public func validate(for game: some Environment) throws {
        try validate()
        if (ownershipWeight > 0 || scoreWeight > 0) && !(game is any OwnershipScoring) {
            throw AlphaZeroError("AlphaZero config: ownershipWeight and scoreWeight need a game that counts who owns the board (Go); \(environment) does not, so set both to 0")
        }
        // A position keeps its planes (Float), visit shares (Float) and legal mask (Bool).
        let bytes = Double(windowPositions) * Double(4 * game.observationShape.count + 5 * game.actionCount + 64)
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        guard bytes <= memory else {
            throw AlphaZeroError(String(format: "AlphaZero config: windowPositions %d would hold %.1f GB of positions, more than this machine's %.1f GB; lower windowPositions",
                                        windowPositions, bytes / 1e9, memory / 1e9))
        }
    }

    /// A preset for `game` (named `id` in the catalog): the network, search and training sizes
    /// of `name`, the game's own move limit, and Dirichlet α ≈ 10 / actions (AlphaZero's rule
    /// of thumb, at most 1).
    public static func preset(_ name: String, environment id: String, game: some Environment) throws -> AlphaZeroConfig {
        var c = AlphaZeroConfig()
        switch name {
        case "tiny":
            // 64 simulations see a one-move threat among 7 replies (24 do not, and self-play
            // stays blind to it); small games are cheap, so search and train more per iteration.
            c.blocks = 1; c.filters = 16; c.valueHidden = 32
            c.simulations = 64; c.temperatureMoves = 4
            c.gamesPerIteration = 8; c.iterations = 10; c.trainSteps = 200; c.batchSize = 32
            c.windowPositions = 4_000; c.evaluationGames = 0
        case "small":
            break
        default:
            throw AlphaZeroError("unknown AlphaZero preset '\(name)'; choose tiny or small")
        }
        c.environment = id
        c.maxMoves = game.maxEpisodeSteps ?? 1_000
        c.noiseAlpha = min(1, 10 / Double(max(1, game.actionCount)))
        return c
    }

    /// Pretty JSON for config.json and the start of a run, keys sorted.
    public var json: String { ConfigOverrides.prettyJSON(self) }

    /// The learning rate at each update of the whole run.
    public var learningRateSchedule: LearningRateSchedule {
        let rate = Float(learningRate), total = max(1, iterations * trainSteps)
        switch schedule {
        case .cosine: return .cosine(start: rate, end: 0, steps: total)
        case .step: return .step(start: rate, factor: 0.1, every: max(1, (total + 2) / 3))
        case .constant: return .constant(rate)
        }
    }

    /// A stored config (JSON): keys missing from configs older than this build take their
    /// defaults, and configs from before other games name their Go game the old way
    /// (`legacyGoEnvironment`).
    public static func decode(_ json: String) throws -> AlphaZeroConfig {
        let decoded = try ConfigOverrides.decodeStored(json, defaults: AlphaZeroConfig()) { stored in
            if let legacy = try legacyGoEnvironment(stored) { stored["environment"] = legacy }
            stored["boardSize"] = nil
            stored["komi"] = nil
        }
        guard let config = decoded else {
            throw AlphaZeroError("the stored AlphaZero config is not a JSON object of keys with the right types; the file is damaged")
        }
        try config.validate()
        return config
    }

    /// Why AlphaZero cannot learn `game`, or nil when it can: two players taking turns, and
    /// observations of 0s and 1s (self-play files store them as bits).
    public static func unsupported(_ game: some Environment, id: String) -> String? {
        if game.playerCount != 2 { return "AlphaZero learns two-player games; \(id) has \(game.playerCount) player (try dojo train dqn)" }
        if !game.observationsAreBinary { return "AlphaZero stores observations as bits, and \(id)'s are not all 0 or 1" }
        return nil
    }
}

public struct AlphaZeroError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
