// One rollout: `steps` steps of `environments` copies, stored step-major (row = step·copies +
// copy), and the advantages computed from it by GAE (Schulman et al. 2016).
//
// Terminated and truncated steps differ (Huang et al. 2022, and Pardo et al. 2018, "Time Limits
// in Reinforcement Learning"): after a terminated step the next state is worth 0; after a
// truncated one it is worth V(the state the episode was cut off in), which the trainer evaluates
// and stores in `truncationValues`. Either way the advantage chain stops there, since the copy's
// next row belongs to a new episode.
//
// For agents with memory the rollout also keeps what the update needs to replay the copies'
// memory: each row's episode number, the recurrent state before the first step, and for
// attention the observations of the steps before the first that the window still holds.
import Neural
import Tensors

public struct Rollout {
    public let steps: Int, environments: Int, observationCount: Int, actionCount: Int
    /// [steps·environments·observationCount]
    public var observations: [Float]
    /// Legal masks [steps·environments·actionCount] (1 legal, 0 not); empty when every action
    /// is always legal.
    public var masks: [Float]
    public var actions: [Int], logProbabilities: [Float], values: [Float], rewards: [Float]
    public var terminated: [Bool], truncated: [Bool]
    /// V(final observation) for truncated rows, 0 elsewhere.
    public var truncationValues: [Float]
    public var advantages: [Float], returns: [Float]
    /// Memory only: each row's episode number (per copy, counted from the run's start).
    public var episodes: [Int]
    /// Recurrent memory: the state before step 0, [1, environments, units].
    public var initialState = RecurrentState.empty
    /// Attention memory: the `context` steps before step 0, time-major, oldest first
    /// ([context·environments·observationCount]), and their episode numbers (−1: none yet).
    public var contextObservations: [Float] = [], contextEpisodes: [Int] = []
    /// Attention memory: each copy's first context row's index in its episode (the
    /// positional encoding counts on from there).
    public var firstPositions: [Int] = []

    public init(steps: Int, environments: Int, observationCount: Int, actionCount: Int, masked: Bool) {
        self.steps = steps; self.environments = environments
        self.observationCount = observationCount; self.actionCount = actionCount
        let rows = steps * environments
        observations = [Float](repeating: 0, count: rows * observationCount)
        masks = masked ? [Float](repeating: 0, count: rows * actionCount) : []
        actions = [Int](repeating: 0, count: rows)
        logProbabilities = [Float](repeating: 0, count: rows)
        values = logProbabilities; rewards = logProbabilities; truncationValues = logProbabilities
        advantages = logProbabilities; returns = logProbabilities
        terminated = [Bool](repeating: false, count: rows); truncated = terminated
        episodes = [Int](repeating: 0, count: rows)
    }

    public var rows: Int { steps * environments }

    /// Fills `advantages` and `returns` (advantage + value, the value target) by GAE(λ).
    /// `lastValues[i]`: V of copy i's observation after the last step (the bootstrap).
    public mutating func computeAdvantages(lastValues: [Float], gamma: Float, lambda: Float) {
        precondition(lastValues.count == environments, "need one bootstrap value per copy")
        for i in 0..<environments {
            var next: Float = 0   // the advantage of the row after this one in the same copy
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let row = t * environments + i
                let ended = terminated[row] || truncated[row]
                let nextValue: Float
                if terminated[row] { nextValue = 0 } else if truncated[row] { nextValue = truncationValues[row] }
                else { nextValue = t == steps - 1 ? lastValues[i] : values[row + environments] }
                let delta = rewards[row] + gamma * nextValue - values[row]
                next = delta + (ended ? 0 : gamma * lambda * next)
                advantages[row] = next
                returns[row] = next + values[row]
            }
        }
    }
}
