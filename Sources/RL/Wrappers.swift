// Wrappers: environments built around another environment, each changing one thing
// (DESIGN.md §2). They are value types like what they wrap, so copies stay independent.
// Wrappers pass rendering, players and legality through unchanged unless they say otherwise.
import Tensors

/// The parts of `Environment` a wrapper forwards to its `base` unchanged.
public protocol EnvironmentWrapper: Environment {
    associatedtype Base: Environment
    var base: Base { get set }
}

extension EnvironmentWrapper {
    public var playerCount: Int { base.playerCount }
    public var currentPlayer: Int { base.currentPlayer }
    public var actionCount: Int { base.actionCount }
    public var legalActions: [Int] { base.legalActions }
    public var sensibleActions: [Int] { base.sensibleActions }
    public func legalMask(into mask: UnsafeMutableBufferPointer<Bool>) { base.legalMask(into: mask) }
    public var observationShape: ObservationShape { base.observationShape }
    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) { base.observe(into: buffer) }
    public var maxEpisodeSteps: Int? { base.maxEpisodeSteps }
    public var observationsAreBinary: Bool { base.observationsAreBinary }
    public var everyActionAlwaysLegal: Bool { base.everyActionAlwaysLegal }
    public var isOver: Bool { base.isOver }
    public var frameSize: FrameSize { base.frameSize }
    public func render(into frame: inout Frame) { base.render(into: &frame) }
}

/// Sticky actions (Machado et al. 2018): with probability `probability` the previous executed
/// action is repeated instead of the chosen one. The previous action starts as 0 each episode.
/// (MinAtar has its own, reference-exact sticky actions; this wrapper is for everything else.)
public struct StickyActions<Base: Environment>: EnvironmentWrapper {
    public var base: Base
    public let probability: Float
    public private(set) var lastAction = 0
    private var generator: SeededGenerator

    public init(_ base: Base, probability: Float = 0.25, seed: UInt64 = 0) {
        precondition((0...1).contains(probability), "sticky-action probability must be in 0…1, got \(probability)")
        self.base = base; self.probability = probability
        generator = SeededGenerator(seed: seed ^ 0x5717_C4A0)
    }

    public mutating func reset(seed: UInt64?) {
        if let seed { generator = SeededGenerator(seed: seed ^ 0x5717_C4A0) }
        lastAction = 0
        base.reset(seed: seed)
    }

    public mutating func step(_ action: Int) -> StepResult {
        var executed = action
        if generator.nextUniform() < probability, base.isLegalAction(lastAction) { executed = lastAction }
        lastAction = executed
        return base.step(executed)
    }
}

/// Ends episodes after `limit` steps with `truncated` (unless the step also terminated).
public struct TimeLimit<Base: Environment>: EnvironmentWrapper {
    public var base: Base
    public let limit: Int
    public private(set) var elapsed = 0

    public init(_ base: Base, limit: Int) {
        precondition(limit > 0, "a time limit must be positive, got \(limit)")
        self.base = base; self.limit = limit
    }

    public var maxEpisodeSteps: Int? { min(limit, base.maxEpisodeSteps ?? limit) }
    public var isOver: Bool { base.isOver || elapsed >= limit }

    public mutating func reset(seed: UInt64?) { elapsed = 0; base.reset(seed: seed) }

    public mutating func step(_ action: Int) -> StepResult {
        var result = base.step(action)
        elapsed += 1
        if elapsed >= limit && !result.terminated { result.truncated = true }
        return result
    }
}

/// Flickering observations (Hausknecht & Stone 2015, "Deep Recurrent Q-Learning for Partially
/// Observable MDPs" §5): after each reset and step, with probability `probability` the whole
/// observation is blanked (all zeros) until the next step, so a policy must carry what it saw
/// across the blanks. Only the observation flickers: the game, its rewards and its picture
/// (`render`) are the base's. The draws come from their own stream, seeded by `reset(seed:)`.
public struct Flicker<Base: Environment>: EnvironmentWrapper {
    public var base: Base
    public let probability: Float
    /// Whether the current observation is blanked.
    public private(set) var blanked = false
    private var generator: SeededGenerator

    public init(_ base: Base, probability: Float, seed: UInt64 = 0) {
        precondition((0...1).contains(probability), "flicker probability must be in 0…1, got \(probability)")
        self.base = base; self.probability = probability
        generator = SeededGenerator(seed: seed ^ 0xF11C_4E20)
        blanked = generator.nextUniform() < probability
    }

    public mutating func reset(seed: UInt64?) {
        if let seed { generator = SeededGenerator(seed: seed ^ 0xF11C_4E20) }
        base.reset(seed: seed)
        blanked = generator.nextUniform() < probability
    }

    public mutating func step(_ action: Int) -> StepResult {
        let result = base.step(action)
        blanked = generator.nextUniform() < probability
        return result
    }

    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        if blanked { buffer.update(repeating: 0) } else { base.observe(into: buffer) }
    }
}

/// Running return and length of the current episode, and those of the last finished one
/// (Gymnasium's RecordEpisodeStatistics). Returns are player 0's.
public struct EpisodeStatistics<Base: Environment>: EnvironmentWrapper {
    public var base: Base
    public private(set) var episodeReturn: Float = 0
    public private(set) var episodeLength = 0
    /// (return, length) of the most recently finished episode.
    public private(set) var lastEpisode: (return: Float, length: Int)?
    public private(set) var episodesFinished = 0

    public init(_ base: Base) { self.base = base }

    public mutating func reset(seed: UInt64?) {
        episodeReturn = 0; episodeLength = 0
        base.reset(seed: seed)
    }

    public mutating func step(_ action: Int) -> StepResult {
        let result = base.step(action)
        episodeReturn += result.reward
        episodeLength += 1
        if result.isOver {
            lastEpisode = (episodeReturn, episodeLength)
            episodesFinished += 1
        }
        return result
    }
}

/// Stacks the last `count` observations along the channel axis, oldest first. After a reset the
/// first observation fills every slot.
public struct FrameStack<Base: Environment>: EnvironmentWrapper {
    public var base: Base
    public let count: Int
    private var history: [Float]      // `count` observations, ring-ordered
    private var newest = 0

    public init(_ base: Base, count: Int) {
        precondition(count >= 1, "a frame stack needs at least one frame, got \(count)")
        self.base = base; self.count = count
        history = [Float](repeating: 0, count: base.observationShape.count * count)
        fillHistory()
    }

    public var observationShape: ObservationShape {
        var shape = base.observationShape
        shape.channels *= count
        return shape
    }

    private mutating func fillHistory() {
        let n = base.observationShape.count, base = self.base, count = self.count
        history.withUnsafeMutableBufferPointer { h in
            base.observe(into: UnsafeMutableBufferPointer(rebasing: h[0..<n]))
            for k in stride(from: 1, to: count, by: 1) {
                _ = UnsafeMutableBufferPointer(rebasing: h[k * n..<(k + 1) * n]).update(fromContentsOf: h[0..<n])
            }
        }
        newest = 0
    }

    public mutating func reset(seed: UInt64?) {
        base.reset(seed: seed)
        fillHistory()
    }

    public mutating func step(_ action: Int) -> StepResult {
        let result = base.step(action)
        let n = base.observationShape.count
        newest = (newest + 1) % count
        let slot = newest, base = self.base
        history.withUnsafeMutableBufferPointer { h in
            base.observe(into: UnsafeMutableBufferPointer(rebasing: h[slot * n..<(slot + 1) * n]))
        }
        return result
    }

    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        let n = base.observationShape.count
        history.withUnsafeBufferPointer { h in
            for k in 0..<count {   // oldest first
                let slot = (newest + 1 + k) % count
                _ = UnsafeMutableBufferPointer(rebasing: buffer[k * n..<(k + 1) * n])
                    .update(fromContentsOf: h[slot * n..<(slot + 1) * n])
            }
        }
    }
}

/// A two-player game as a single-agent environment: the agent plays `agentPlayer`, and
/// `opponent` answers inside `step` (and moves first after a reset when it is its turn).
/// The reward is the agent's.
public struct OpponentInside<Base: Environment, Opponent: Policy & Sendable>: EnvironmentWrapper {
    public var base: Base
    public var opponent: Opponent
    public let agentPlayer: Int

    public init(_ base: Base, opponent: Opponent, agentPlayer: Int = 0) {
        precondition(base.playerCount == 2, "OpponentInside needs a two-player game")
        precondition(agentPlayer == 0 || agentPlayer == 1, "agentPlayer is 0 or 1, got \(agentPlayer)")
        self.base = base; self.opponent = opponent; self.agentPlayer = agentPlayer
        _ = opponentMoves()
    }

    public var playerCount: Int { 1 }
    public var currentPlayer: Int { 0 }

    /// Lets the opponent move until it is the agent's turn; returns what it collected.
    private mutating func opponentMoves() -> StepResult {
        var total = StepResult()
        while !base.isOver && base.currentPlayer != agentPlayer {
            let r = base.step(opponent.act(on: base))
            total.rewards += r.rewards
            total.terminated = r.terminated; total.truncated = r.truncated
        }
        return total
    }

    public mutating func reset(seed: UInt64?) {
        base.reset(seed: seed)
        _ = opponentMoves()
    }

    public mutating func step(_ action: Int) -> StepResult {
        var result = base.step(action)
        if !result.isOver {
            let answer = opponentMoves()
            result.rewards += answer.rewards
            result.terminated = answer.terminated; result.truncated = answer.truncated
        }
        return StepResult(reward: result.reward(for: agentPlayer), terminated: result.terminated,
                          truncated: result.truncated)
    }
}

extension Environment {
    /// Whether `action` is legal now (through the mask, without building the action list).
    public func isLegalAction(_ action: Int) -> Bool {
        guard action >= 0 && action < actionCount else { return false }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: actionCount) { mask in
            legalMask(into: mask)
            return mask[action]
        }
    }
}
