// Every MinAtar game as a Dojo `Environment`, reproducing MinAtar 1.0.15's `Environment`
// wrapper (reference/minatar/SPEC.md §1) bit for bit:
// - Sticky actions: every step first draws `u = rand()` from the shared stream — even with
//   probability 0 and even after the game ended — and executes the previous executed action
//   when u < p.
// - The previous executed action is *not* cleared by `reset(seed: nil)` (the reference never
//   clears it, so it carries into the next episode). A seeded reset is a fresh start: new
//   stream `RandomState(seed)` and previous action 0, exactly what the reference's freshly
//   built environment does after `seed(s); reset()`.
// - No built-in time limit (Freeway ends itself after 2501 steps, reported as terminated).
// - With `minimalActions`, action i means `Game.minimalActions[i]` (Gymnasium's `-v1` ids).
// Value convention: single player; rewards are the reference's non-negative integers.
import RL

public struct MinAtarOptions: Sendable, Equatable {
    /// Probability of repeating the previous action (the reference's default is 0.1).
    public var stickyActionProbability: Double = 0.1
    /// Difficulty ramping (on in the reference).
    public var ramping = true
    /// Use the game's minimal action set instead of all six actions.
    public var minimalActions = false
    public init(stickyActionProbability: Double = 0.1, ramping: Bool = true, minimalActions: Bool = false) {
        self.stickyActionProbability = stickyActionProbability
        self.ramping = ramping
        self.minimalActions = minimalActions
    }
}

/// The reference wrapper's state, carried inside each game.
public struct MinAtarCore: Sendable {
    public internal(set) var random: NumpyRandomState
    public let options: MinAtarOptions
    /// The action the game executed in the last step (after the sticky draw).
    public internal(set) var lastExecutedAction = 0
    /// Actions of the minimal set, or nil for all six.
    let actionMap: [Int]?

    init(options: MinAtarOptions, seed: UInt64, minimalActions: [Int]) {
        precondition((0...1).contains(options.stickyActionProbability),
                     "sticky-action probability must be in 0…1, got \(options.stickyActionProbability)")
        self.options = options
        random = NumpyRandomState(seed: Self.referenceSeed(seed))
        actionMap = options.minimalActions ? minimalActions : nil
    }

    /// numpy accepts seeds in 0…2³²−1; larger seeds are folded into that range.
    static func referenceSeed(_ seed: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: seed ^ (seed >> 32)) }
}

extension MinAtarGame {
    public init(options: MinAtarOptions = MinAtarOptions(), seed: UInt64 = 0) {
        self.init(core: MinAtarCore(options: options, seed: seed, minimalActions: Self.minimalActions))
        startEpisode()
    }

    public var options: MinAtarOptions { core.options }
    public var lastExecutedAction: Int { core.lastExecutedAction }
    public var actionCount: Int { core.actionMap?.count ?? 6 }
    public var observationShape: ObservationShape { ObservationShape(channels: Self.channelNames.count, height: 10, width: 10) }
    public var isOver: Bool { isTerminal }
    public var observationsAreBinary: Bool { true }
    public var everyActionAlwaysLegal: Bool { true }

    public mutating func reset(seed: UInt64?) {
        if let seed {
            core.random = NumpyRandomState(seed: MinAtarCore.referenceSeed(seed))
            core.lastExecutedAction = 0
        }
        startEpisode()
    }

    public mutating func step(_ action: Int) -> StepResult {
        precondition(action >= 0 && action < actionCount, "\(Self.name): action \(action) is outside 0..<\(actionCount)")
        let chosen = core.actionMap?[action] ?? action
        let u = core.random.rand()
        let executed = u < core.options.stickyActionProbability ? core.lastExecutedAction : chosen
        core.lastExecutedAction = executed
        let (reward, terminal) = advance(executed)
        return StepResult(reward: Float(reward), terminated: terminal)
    }

    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(buffer.count == observationShape.count, "observation needs \(observationShape.count) floats, got \(buffer.count)")
        if !Self.drawsEveryPlane { buffer.update(repeating: 0) }
        drawPlanes(into: buffer.baseAddress!)
    }

    public var frameSize: FrameSize { FrameSize(width: 10, height: 10) }

    public func render(into frame: inout Frame) {
        MinAtarPalette.render(self, into: &frame)
    }
}

extension MinAtarGame {
    /// Arrows and space (`dojo play`); the game runs on with no-op between keys.
    public func action(for key: ControlKey) -> Int? {
        let full: Int
        switch key {
        case .up: full = MinAtarAction.up
        case .down: full = MinAtarAction.down
        case .left: full = MinAtarAction.left
        case .right: full = MinAtarAction.right
        case .fire: full = MinAtarAction.fire
        }
        guard let map = core.actionMap else { return full }
        return map.firstIndex(of: full)
    }

    public var idleAction: Int? { 0 }
    public var controlsHelp: String { "arrows/WASD move, space fires" }
}
