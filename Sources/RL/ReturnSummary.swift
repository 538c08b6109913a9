// A policy's mean return over seeded episodes: what `dojo eval` and the end of a training run
// report, for any agent.

/// Mean return over episodes with its 95% confidence interval (normal approximation).
public struct ReturnSummary: Sendable {
    public let returns: [Double]
    public var mean: Double { MeanInterval(returns).mean }
    public var halfWidth95: Double { MeanInterval(returns).halfWidth95 }
    public init(returns: [Double]) { self.returns = returns }

    /// Plays `episodes` episodes with `policy` from a seeded reset; returns player 0's returns.
    public static func evaluate<E: Environment>(_ env: E, policy: inout some Policy, episodes: Int, seed: UInt64, maxSteps: Int = 1_000_000) -> ReturnSummary {
        var e = env
        var returns: [Double] = []
        for i in 0..<episodes {
            e.reset(seed: i == 0 ? seed : nil)
            policy.beginEpisode()
            var total = 0.0, steps = 0
            while !e.isOver && steps < maxSteps {
                total += Double(e.step(policy.act(on: e)).reward)
                steps += 1
            }
            returns.append(total)
        }
        return ReturnSummary(returns: returns)
    }
}
