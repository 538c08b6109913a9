// `dojo bench env`: environment steps per second on one core, the protocol of
// reference/minatar/bench_env.py ("act+state"): uniform random actions over all actions,
// pre-generated so sampling is not timed; the observation written every step; resets on
// terminal inside the timed loop. Without `--env` it runs the five MinAtar games.
import Catalog
import RL
import Runs
import Tensors

enum EnvironmentWorkload {
    static let defaultIDs = ["minatar/breakout", "minatar/space_invaders", "minatar/freeway", "minatar/asterix", "minatar/seaquest"]
    static let stepsPerCall = 1000

    static func run(_ settings: BenchmarkSettings) throws -> [BenchmarkResult] {
        let ids = settings.environment.map { [$0] } ?? defaultIDs
        return try ids.map { id in measure(try EnvironmentCatalog.make(id), id: id, settings) }
    }

    /// The actions are drawn ahead of time from all actions, so every one must be legal.
    static func check(_ env: any Environment, id: String) throws {
        guard env.everyActionAlwaysLegal else {
            throw ConfigError("the env workload steps uniformly random actions drawn in advance, and \(id) has illegal ones; it measures environments whose every action is always legal (MinAtar, grid worlds)")
        }
    }

    static func measure<E: Environment>(_ start: E, id: String, _ settings: BenchmarkSettings) -> BenchmarkResult {
        var env = start
        env.reset(seed: settings.seed)
        var generator = SeededGenerator(seed: settings.seed &+ 1)
        let actions = (0..<(1 << 16)).map { _ in generator.nextInt(below: env.actionCount) }
        var observation = [Float](repeating: 0, count: env.observationShape.count)
        var next = 0
        var sink: Float = 0
        let seconds = observation.withUnsafeMutableBufferPointer { obs in
            timeRepeats(settings, warmup: 20) { play(&env, actions, &next, obs, &sink) }
        }
        blackHole(sink)
        return makeResult("env", variant: id, batch: 1, unit: "steps/s", itemsPerCall: Double(stepsPerCall),
                          seconds: seconds, settings: settings)
    }

    /// One timed call; `env` is inout so the loop never copies it.
    static func play<E: Environment>(_ env: inout E, _ actions: [Int], _ next: inout Int,
                                     _ obs: UnsafeMutableBufferPointer<Float>, _ sink: inout Float) {
        for _ in 0..<stepsPerCall {
            let r = env.step(actions[next])
            next = (next + 1) & (actions.count - 1)
            if r.isOver { env.reset(seed: nil) }
            env.observe(into: obs)
            sink += obs[0]
        }
    }

    @inline(never) static func blackHole(_ x: Float) { if x.isNaN { print("") } }
}
