// Single-player tournaments: every player plays the same list of episode seeds (a paired
// comparison: the environment's randomness, sticky actions included, is the same for each
// player in episode k), `parallel` episodes at a time, each result committed before the next.
// Episode k of player p is game number k·players + p, so a run stopped early stays paired.
import Foundation
import RL

public final class EpisodeTournament: @unchecked Sendable {   // shared state is guarded by `lock`
    public let store: ResultsStore
    let makeEnvironment: () throws -> any Environment
    let makePlayer: (_ player: Int, _ seed: UInt64) throws -> any Player
    public var onEpisode: ((EpisodeRow, Int) -> Void)?

    private let lock = NSLock()
    private var pending: [Int] = []
    private var done = 0

    public init(store: ResultsStore, makeEnvironment: @escaping () throws -> any Environment,
                makePlayer: @escaping (_ player: Int, _ seed: UInt64) throws -> any Player) throws {
        self.store = store
        self.makeEnvironment = makeEnvironment
        self.makePlayer = makePlayer
        let finished = Set(try store.episodes().map(\.index))
        done = finished.count
        pending = (0..<(store.settings.games * store.settings.players.count)).filter { !finished.contains($0) }
    }

    public func run(parallel: Int, shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        try WorkerThreads.run(parallel) { [self] _ in
            while !shouldStop(), let index = lock.withLock({ pending.isEmpty ? nil : pending.removeFirst() }) {
                do {
                    let row = try play(index)
                    try lock.withLock {
                        try store.record(row)
                        done += 1
                        onEpisode?(row, done)
                    }
                } catch {
                    lock.withLock { pending.removeAll() }   // the others stop after their current episode
                    throw error
                }
            }
        }
    }

    func play(_ index: Int) throws -> EpisodeRow {
        let s = store.settings
        let player = index % s.players.count, episode = index / s.players.count
        let seed = s.episodeSeed(episode)
        var env = try makeEnvironment()
        var policy = try makePlayer(player, s.playerSeed(game: episode, player: 0))   // common random numbers: same spec ⇒ same episode
        let start = Date()
        let (total, steps, reason) = Self.runEpisode(&env, &policy, seed: seed)
        return EpisodeRow(index: index, player: player, episode: episode, seed: seed, episodeReturn: total, length: steps,
                          reason: reason, seconds: Date().timeIntervalSince(start))
    }

    /// One episode with concrete types (the existentials are opened once, not at every step).
    static func runEpisode<E: Environment, P: Player>(_ env: inout E, _ policy: inout P, seed: UInt64) -> (Double, Int, String) {
        env.reset(seed: seed)
        policy.beginEpisode()
        let cap = env.maxEpisodeSteps ?? 1_000_000
        var total = 0.0, steps = 0
        var last = StepResult()
        while !env.isOver && steps < cap {
            guard let action = policy.move(in: env, secondsLeft: nil).action else { return (total, steps, "resigned") }
            last = env.step(action)
            total += Double(last.reward)
            steps += 1
        }
        return (total, steps, last.terminated ? "terminated" : (last.truncated ? "truncated" : "step cap"))
    }
}
