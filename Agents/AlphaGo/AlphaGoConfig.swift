// The AlphaGo pipeline's settings (Silver et al. 2016, "Mastering the game of Go with deep
// neural networks and tree search") as one documented struct, saved in every run directory and
// checkpoint. The three training stages read their own part:
//   sl-policy   supervised policy p_σ from expert game records (SGF)
//   pg-policy   policy-gradient self-play p_ρ, initialised from p_σ, against a pool of its
//               earlier selves
//   value       value network v_θ on one position per self-play game
// Presets: `tiny` (5×5, seconds; the tests), `small` (9×9, machine-hours on a CPU) and `paper`
// (19×19 with the paper's 13 layers of 192 filters). Values are for the player to move.
import RL
import Runs

public struct AlphaGoConfig: Codable, Equatable, Sendable {
    public var boardSize = 9
    public var komi = 7.5
    /// Convolution layers and filters of both networks (paper: 13 and k = 192); the first
    /// layer is 5×5, the rest 3×3. Hidden units of the value network's dense layer (paper: 256).
    public var layers = 6, filters = 64, valueHidden = 256

    // Supervised policy. Paper: SGD, lr 0.003 halved every 80M steps, minibatch 16, 8-fold
    // symmetry augmentation; here SGD with momentum (faster on small data), lr halved every
    // `slHalvingSteps`.
    public var slSteps = 20_000
    public var slBatchSize = 64
    public var slLearningRate = 0.05, slMomentum = 0.9, slWeightDecay = 1e-4
    public var slHalvingSteps = 8_000
    /// Fraction of the games (not positions: moves of one game are correlated) held out for
    /// the accuracy report.
    public var heldOutFraction = 0.1
    /// Steps between held-out evaluations and checkpoints.
    public var slReportEvery = 1_000

    // Policy-gradient self-play (REINFORCE, reward ±1 at the end, paper lr 0.001, minibatches
    // of 128 games, the opponent drawn from a pool of earlier checkpoints, refreshed every 500
    // iterations).
    public var pgIterations = 200
    public var pgGamesPerIteration = 32
    public var pgLearningRate = 0.001
    public var poolEvery = 20
    /// Subtract the minibatch's mean reward from each reward (a variance-reducing baseline; the
    /// paper's first version used none). Off by default.
    public var pgBaseline = false
    /// Games against the supervised policy (both sides sampling) between reports (0: none).
    public var evaluationGames = 32
    public var pgReportEvery = 10

    // Value network (MSE on the outcome, one position per game: U ~ uniform{0 … maxMoves−1}
    // moves by p_σ, one uniformly random legal move, then p_ρ to the end; the position after
    // the random move is kept).
    public var valueGames = 20_000
    public var valueSteps = 10_000
    public var valueBatchSize = 64
    public var valueLearningRate = 0.01, valueMomentum = 0.9, valueWeightDecay = 1e-4
    public var valueReportEvery = 1_000

    /// Moves before a self-play game is scored as it stands (passes included).
    public var maxMoves = 162

    public init() {}

    public func validate() throws {
        let c = ConfigCheck(prefix: "AlphaGo config: ")
        do {
            try c.count("boardSize", boardSize, 5...19)
            try c.number("komi", komi, in: -1_000...1_000)
            try c.count("layers", layers, 2...64)   // a 5×5 first layer and a 1×1 last
            try c.count("filters", filters, 1...1_024)
            try c.count("valueHidden", valueHidden, 1...65_536)
            try c.count("slSteps", slSteps, 0...100_000_000)
            try c.count("slBatchSize", slBatchSize, 1...65_536)
            try c.count("slHalvingSteps", slHalvingSteps, 1...100_000_000)
            try c.count("slReportEvery", slReportEvery, 1...100_000_000)
            for (name, rate) in [("slLearningRate", slLearningRate), ("pgLearningRate", pgLearningRate), ("valueLearningRate", valueLearningRate)] {
                try c.number(name, rate, "in (0, 10]") { $0 > 0 && $0 <= 10 }
            }
            try c.number("slMomentum", slMomentum, "in [0, 1)") { (0..<1).contains($0) }
            try c.number("valueMomentum", valueMomentum, "in [0, 1)") { (0..<1).contains($0) }
            try c.number("slWeightDecay", slWeightDecay, in: 0...1)
            try c.number("valueWeightDecay", valueWeightDecay, in: 0...1)
            try c.number("heldOutFraction", heldOutFraction, "in [0, 1)") { (0..<1).contains($0) }
            try c.count("pgIterations", pgIterations, 0...10_000_000)
            try c.count("pgGamesPerIteration", pgGamesPerIteration, 1...1_000_000)
            try c.count("poolEvery", poolEvery, 1...10_000_000)
            try c.count("evaluationGames", evaluationGames, 0...1_000_000)
            try c.count("pgReportEvery", pgReportEvery, 1...10_000_000)
            try c.count("valueGames", valueGames, 1...100_000_000)
            try c.count("valueSteps", valueSteps, 0...100_000_000)
            try c.count("valueBatchSize", valueBatchSize, 1...65_536)
            try c.count("valueReportEvery", valueReportEvery, 1...100_000_000)
            try c.count("maxMoves", maxMoves, 1...100_000)
        } catch let error as ConfigError {
            throw AlphaGoError(error.description)
        }
    }

    public static func preset(_ name: String, boardSize: Int) throws -> AlphaGoConfig {
        var c = AlphaGoConfig()
        switch name {
        case "tiny":
            c.layers = 3; c.filters = 16; c.valueHidden = 32
            c.slSteps = 300; c.slBatchSize = 32; c.slReportEvery = 100; c.slHalvingSteps = 10_000
            c.pgIterations = 30; c.pgGamesPerIteration = 16; c.pgLearningRate = 0.01; c.poolEvery = 10
            c.evaluationGames = 32; c.pgReportEvery = 10
            c.valueGames = 600; c.valueSteps = 300; c.valueBatchSize = 32; c.valueReportEvery = 100
        case "small":
            break
        case "paper":
            c.layers = 13; c.filters = 192
        default:
            throw AlphaGoError("unknown AlphaGo preset '\(name)'; choose tiny, small or paper")
        }
        c.boardSize = boardSize
        c.komi = boardSize <= 7 ? 0.5 : 7.5
        c.maxMoves = 2 * boardSize * boardSize
        return c
    }
}

public struct AlphaGoError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
