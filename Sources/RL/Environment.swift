// The one protocol every environment implements: single-agent games (grid worlds, MinAtar) and
// two-player turn-based games (Go) alike (DESIGN.md §2).
//
// Contract, which the shared conformance suite (Tests/CatalogTests) checks for every registered
// environment:
// - Value semantics. Conformers are structs; `var copy = env` is an independent snapshot, and
//   all randomness lives in a seeded generator stored inside the value, so stepping a copy twice
//   gives the same result twice. Search relies on this.
// - Actions are dense ids `0..<actionCount`. `legalActions` is sorted ascending and
//   `legalMask(into:)` marks exactly those ids.
// - `observe(into:)` writes `observationShape.count` floats, channel-major (C, H, W), for the
//   player to move, into the caller's buffer without allocating. The shape never changes, not
//   even in terminal states.
// - `reset(seed:)` starts a new episode. A seed makes the episode a function of the seed alone;
//   `nil` continues the environment's own random stream (Gymnasium's rule).
// - `step(_:)` applies a legal action and returns the rewards with *separate* `terminated`
//   (the game ended by its rules) and `truncated` (cut off by a step limit) flags; never a
//   single `done`. Stepping after the episode ended is the caller's mistake; environments may
//   ignore it but must not crash.
// - Value convention for two-player games: rewards are per player (index = player id), and any
//   value estimate is "for the player to move, in −1…1".
// - `render(into:)` draws the current state into a `Frame` of `frameSize` without touching a
//   display.
public protocol Environment: Sendable {
    /// 1 for single-agent environments, 2 for turn-based two-player games.
    var playerCount: Int { get }
    /// The player whose turn it is (always 0 for single-agent environments).
    var currentPlayer: Int { get }
    /// Number of action ids; every step's action is in `0..<actionCount`.
    var actionCount: Int { get }
    /// Legal action ids in the current state, sorted ascending.
    var legalActions: [Int] { get }
    /// The legal actions worth trying in search and rollouts, sorted ascending (Go: every
    /// legal move but filling one's own eye, and pass); by default all of them. A requirement,
    /// not an optional protocol, so search asks for it without a cast at every expansion.
    var sensibleActions: [Int] { get }
    /// Sets `mask[a]` to whether action `a` is legal; `mask.count == actionCount`.
    func legalMask(into mask: UnsafeMutableBufferPointer<Bool>)
    /// (channels, height, width) of `observe(into:)`.
    var observationShape: ObservationShape { get }
    /// Writes the observation for the player to move; `buffer.count == observationShape.count`.
    func observe(into buffer: UnsafeMutableBufferPointer<Float>)
    /// The longest episode the environment itself allows (a built-in time limit or move cap),
    /// or nil when only the game's rules end it.
    var maxEpisodeSteps: Int? { get }
    /// Whether the episode has ended (terminated or truncated).
    var isOver: Bool { get }
    mutating func reset(seed: UInt64?)
    mutating func step(_ action: Int) -> StepResult
    /// Every observation value is 0 or 1 (replay buffers then pack them as bits).
    var observationsAreBinary: Bool { get }
    /// Every action is legal in every state (learners then skip legal masks).
    var everyActionAlwaysLegal: Bool { get }
    /// Pixel size of `render(into:)`.
    var frameSize: FrameSize { get }
    func render(into frame: inout Frame)
}

extension Environment {
    public var playerCount: Int { 1 }
    public var currentPlayer: Int { 0 }
    public var maxEpisodeSteps: Int? { nil }
    public var observationsAreBinary: Bool { false }
    public var everyActionAlwaysLegal: Bool { false }

    /// All actions legal: the common case for single-agent games.
    public var legalActions: [Int] { Array(0..<actionCount) }

    public var sensibleActions: [Int] { legalActions }

    public func legalMask(into mask: UnsafeMutableBufferPointer<Bool>) {
        precondition(mask.count == actionCount, "legal mask needs \(actionCount) entries, got \(mask.count)")
        mask.initialize(repeating: false)
        for a in legalActions { mask[a] = true }
    }

    /// The legal mask as an array, or nil when every action is always legal (learners then
    /// skip masking without building anything).
    public func legalMaskIfNeeded() -> [Bool]? {
        guard !everyActionAlwaysLegal else { return nil }
        var mask = [Bool](repeating: false, count: actionCount)
        mask.withUnsafeMutableBufferPointer { legalMask(into: $0) }
        return mask
    }

    /// A freshly allocated observation (convenience for tests and tools, not for hot loops).
    public func observation() -> [Float] {
        var out = [Float](repeating: 0, count: observationShape.count)
        out.withUnsafeMutableBufferPointer { observe(into: $0) }
        return out
    }

    /// A freshly rendered frame.
    public func frame() -> Frame {
        var frame = Frame(size: frameSize)
        render(into: &frame)
        return frame
    }
}

/// (channels, height, width) of an observation, stored channel-major.
public struct ObservationShape: Hashable, Sendable, CustomStringConvertible {
    public var channels: Int, height: Int, width: Int
    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels; self.height = height; self.width = width
    }
    public var count: Int { channels * height * width }
    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// What one step returns: per-player rewards and the two end flags.
public struct StepResult: Equatable, Sendable {
    /// Reward of player 0 and player 1 (single-agent environments use player 0 only).
    public var rewards: SIMD2<Float>
    /// The episode ended by the rules of the game (a terminal state).
    public var terminated: Bool
    /// The episode was cut off (a step limit) in a non-terminal state; bootstrap from it.
    public var truncated: Bool

    public init(reward: Float = 0, terminated: Bool = false, truncated: Bool = false) {
        self.rewards = SIMD2(reward, 0); self.terminated = terminated; self.truncated = truncated
    }

    public init(rewards: SIMD2<Float>, terminated: Bool, truncated: Bool = false) {
        self.rewards = rewards; self.terminated = terminated; self.truncated = truncated
    }

    /// The single-agent reward (player 0's).
    public var reward: Float { rewards[0] }
    public var isOver: Bool { terminated || truncated }
    public func reward(for player: Int) -> Float { rewards[player] }
}
