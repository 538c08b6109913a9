// Tabular Q-learning (Watkins 1989), the baseline for small environments such as grid worlds:
// one table row per distinct observation, ε-greedy behaviour, the off-policy update
// Q(s,a) ← Q(s,a) + α·(r + γ·max_a′ Q(s′,a′)·[not terminal] − Q(s,a)). Truncation bootstraps;
// termination does not. Illegal actions are never chosen or maximised over.
import RL
import Runs
import Tensors

public struct QLearningConfig: Codable, Equatable, Sendable {
    public var frames = 100_000
    public var learningRate = 0.1
    public var gamma = 0.99
    /// ε decays linearly from `epsilonStart` to `epsilonEnd` over `epsilonDecayFrames`.
    public var epsilonStart = 1.0, epsilonEnd = 0.05
    public var epsilonDecayFrames = 50_000
    public init() {}

    public func validate() throws {
        let c = ConfigCheck()
        try c.count("frames", frames, 1...1_000_000_000)
        try c.number("learningRate", learningRate, "in (0, 1]") { $0 > 0 && $0 <= 1 }
        try c.number("gamma", gamma, in: 0...1)
        try c.number("epsilonStart", epsilonStart, in: 0...1)
        try c.number("epsilonEnd", epsilonEnd, in: 0...1)
        try c.count("epsilonDecayFrames", epsilonDecayFrames, 0...1_000_000_000)
    }
}

public final class QLearner<E: Environment> {
    public let config: QLearningConfig
    public private(set) var env: E
    public private(set) var table: [[Float]: [Double]] = [:]
    private var generator: SeededGenerator
    public private(set) var frame = 0, episodes = 0
    public private(set) var returns: [Double] = []
    public var onEpisode: ((_ frame: Int, _ episodeReturn: Double, _ length: Int) -> Void)?

    public init(env: E, config: QLearningConfig, seed: UInt64) {
        self.config = config
        self.env = env
        generator = SeededGenerator(seed: seed)
        var seeds = generator.derived(stream: 1)
        self.env.reset(seed: seeds.next())
    }

    private func legal(_ e: E) -> [Int] { e.everyActionAlwaysLegal ? Array(0..<e.actionCount) : e.legalActions }

    public func values(_ state: [Float]) -> [Double] { table[state] ?? [Double](repeating: 0, count: env.actionCount) }

    /// The greedy legal action in `e` (ties to the lowest id).
    public func greedy(_ e: E) -> Int {
        let q = values(e.observation())
        return legal(e).max { q[$0] < q[$1] || (q[$0] == q[$1] && $0 > $1) }!
    }

    public func epsilon(atFrame f: Int) -> Double {
        let t = min(1, Double(f) / Double(max(1, config.epsilonDecayFrames)))
        return config.epsilonStart + (config.epsilonEnd - config.epsilonStart) * t
    }

    public func train() {
        var episodeReturn = 0.0, length = 0
        while frame < config.frames {
            let s = env.observation()
            let actions = legal(env)
            let a = Double(generator.nextUniform()) < epsilon(atFrame: frame)
                ? actions[generator.nextInt(below: actions.count)] : greedy(env)
            let r = env.step(a)
            frame += 1
            episodeReturn += Double(r.reward); length += 1
            var next = 0.0
            if !r.terminated {
                let q = values(env.observation())
                next = legal(env).map { q[$0] }.max() ?? 0
            }
            var row = values(s)
            row[a] += config.learningRate * (Double(r.reward) + config.gamma * next - row[a])
            table[s] = row
            if r.isOver {
                episodes += 1
                returns.append(episodeReturn)
                onEpisode?(frame, episodeReturn, length)
                episodeReturn = 0; length = 0
                env.reset(seed: nil)
            }
        }
    }
}
