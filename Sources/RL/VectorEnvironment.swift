// N copies of one environment stepped together, spread over `Parallel.threads` workers.
//
// Seeds: copy i is reset with `seed(forCopy: i)`, derived from the one run seed, so a run is a
// function of (run seed, copy count) and not of the thread count or scheduling.
//
// Auto-reset rule (one rule, Gymnasium's "same-step" mode): when copy i's step ends its episode
// (terminated or truncated), the copy is reset at once *within the same call*. `results[i]`
// carries that step's reward and flags, `finalObservation(i)` holds the observation of the state
// the episode ended in (bootstrap from it when truncated), and `observations` already shows the
// first observation of the next episode. Later resets continue each copy's own random stream.
import Tensors

public struct VectorEnvironment<Base: Environment>: Sendable {
    public private(set) var copies: [Base]
    public let observationShape: ObservationShape
    /// copies·C·H·W floats: the current observation of every copy, copy-major.
    public private(set) var observations: [Float]
    /// The observation each copy's last finished episode ended in (valid where `results[i].isOver`).
    public private(set) var finalObservations: [Float]
    public private(set) var results: [StepResult]
    public let runSeed: UInt64

    public init(copies count: Int, seed: UInt64, make: (Int) -> Base) {
        precondition(count > 0, "a vector environment needs at least one copy")
        runSeed = seed
        var copies = (0..<count).map(make)
        let shape = copies[0].observationShape
        observationShape = shape
        for i in 0..<count { copies[i].reset(seed: Self.seed(forCopy: i, runSeed: seed)) }
        self.copies = copies
        observations = [Float](repeating: 0, count: count * shape.count)
        finalObservations = observations
        results = Array(repeating: StepResult(), count: count)
        let n = shape.count
        observations.withUnsafeMutableBufferPointer { o in
            for i in 0..<count { copies[i].observe(into: UnsafeMutableBufferPointer(rebasing: o[i * n..<(i + 1) * n])) }
        }
    }

    public var count: Int { copies.count }

    /// The seed copy `i` starts from.
    public static func seed(forCopy i: Int, runSeed: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: runSeed).derived(stream: UInt64(i))
        return g.next()
    }

    /// Copy i's current observation.
    public func observation(_ i: Int) -> ArraySlice<Float> {
        observations[i * observationShape.count..<(i + 1) * observationShape.count]
    }

    public func finalObservation(_ i: Int) -> ArraySlice<Float> {
        finalObservations[i * observationShape.count..<(i + 1) * observationShape.count]
    }

    /// Steps every copy with its action, auto-resetting finished copies (see the rule above).
    public mutating func step(_ actions: [Int]) {
        precondition(actions.count == copies.count, "need one action per copy: \(copies.count), got \(actions.count)")
        let n = observationShape.count
        copies.withUnsafeMutableBufferPointer { envs in
            observations.withUnsafeMutableBufferPointer { obs in
                finalObservations.withUnsafeMutableBufferPointer { finals in
                    results.withUnsafeMutableBufferPointer { res in
                        nonisolated(unsafe) let (envs, obs, finals, res) = (envs, obs, finals, res)
                        let chunks = Parallel.workers(for: envs.count)
                        Parallel.forEach(chunks, split: chunks > 1) { chunk, _ in
                            // Contiguous block of copies per worker.
                            let lo = chunk * envs.count / chunks, hi = (chunk + 1) * envs.count / chunks
                            for i in lo..<hi {
                                let slot = UnsafeMutableBufferPointer(rebasing: obs[i * n..<(i + 1) * n])
                                let r = envs[i].step(actions[i])
                                res[i] = r
                                if r.isOver {
                                    envs[i].observe(into: UnsafeMutableBufferPointer(rebasing: finals[i * n..<(i + 1) * n]))
                                    envs[i].reset(seed: nil)
                                }
                                envs[i].observe(into: slot)
                            }
                        }
                    }
                }
            }
        }
    }
}
