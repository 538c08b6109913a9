// A grid world from a text map (GridMap.swift): the agent moves up, right, down or left;
// walls and closed doors block; keys open doors; goal, lava and holes end the episode; cliffs
// send the agent back to the start.
//
// Actions: 0 up, 1 right, 2 down, 3 left. Slippery maps (Gymnasium's rule): the move goes the
// intended way or to either perpendicular side, probability 1/3 each.
// Rewards: the cell's reward on entering it (goal, lava, hole, cliff, reward letters) minus
// `stepPenalty` every step. Episodes end `terminated` on goal/lava/hole and `truncated` after
// `maxSteps`.
//
// Memory maps (a cue '?' and exits A and B): each reset draws which exit the cue names; the
// cue shows it only on its own cell, so with a small `view` an agent that cannot remember
// what it saw at the cue is at chance at the exits (a T-maze: `BuiltInMaps.memory`).
//
// Observation planes (C = 8, or 10 on memory maps), over the whole map, or with `view = k`
// over the k×k window centred on the agent (cells outside the map read as walls):
//   0 agent   1 wall   2 goal   3 hazard (lava, hole, cliff)   4 key   5 closed door
//   6 carrying a key (the whole plane)   7 reward cells (the letter's reward value)
//   8 exit A, and the cue when it names A   9 exit B, and the cue when it names B
// Coordinates: (x, y) with x the column and y the row, row 0 at the top.
import RL
import Tensors

public struct GridWorld: Environment {
    public static let actionNames = ["up", "right", "down", "left"]
    static let dx = [0, 1, 0, -1], dy = [-1, 0, 1, 0]
    public static let channelCount = 8
    /// Pixels per cell in `render(into:)`.
    public static let cellPixels = 12

    public private(set) var map: GridMap
    /// The map as the episode started (doors closed, keys in place).
    private let initialMap: GridMap
    public let view: Int?
    public private(set) var x: Int, y: Int
    /// Direction of the last move (an action id), drawn as the agent's heading.
    public private(set) var heading = 1
    public private(set) var hasKey = false
    public private(set) var elapsed = 0
    public private(set) var isOver = false
    /// The exit the cue names this episode (0: A, 1: B); memory maps only.
    public private(set) var cue = 0
    private var generator: SeededGenerator

    public init(map: GridMap, view: Int? = nil, seed: UInt64 = 0) {
        precondition(view.map { $0 >= 1 && $0 % 2 == 1 } ?? true, "the view must be an odd size ≥ 1")
        self.map = map; initialMap = map; self.view = view
        (x, y) = map.start
        generator = SeededGenerator(seed: seed)
    }

    public var actionCount: Int { 4 }
    public var everyActionAlwaysLegal: Bool { true }
    /// Binary unless the map has reward cells (plane 7 holds their values).
    public var observationsAreBinary: Bool { !map.cells.contains(.reward) }
    public var maxEpisodeSteps: Int? { map.settings.maxSteps ?? 4 * map.width * map.height }
    public var observationShape: ObservationShape {
        ObservationShape(channels: map.hasCue ? Self.channelCount + 2 : Self.channelCount, height: view ?? map.height, width: view ?? map.width)
    }

    public mutating func reset(seed: UInt64?) {
        if let seed { generator = SeededGenerator(seed: seed) }
        map = initialMap
        (x, y) = map.start
        heading = 1; hasKey = false; elapsed = 0; isOver = false
        if map.hasCue { cue = generator.nextInt(below: 2) }
    }

    public mutating func step(_ action: Int) -> StepResult {
        precondition((0..<4).contains(action), "grid world actions are 0…3, got \(action)")
        guard !isOver else { return StepResult(terminated: true) }
        var direction = action
        if map.settings.slippery {
            direction = (action + [0, 1, 3][generator.nextInt(below: 3)]) % 4
        }
        heading = direction
        elapsed += 1
        var reward = -map.settings.stepPenalty
        var terminated = false
        let nx = x + Self.dx[direction], ny = y + Self.dy[direction]
        let target = map[nx, ny]
        let blocked = target == .wall || (target == .door && !hasKey)
        if !blocked {
            x = nx; y = ny
            let index = y * map.width + x
            switch target {
            case .goal: reward += map.settings.goalReward; terminated = true
            case .lava: reward += map.settings.lavaReward; terminated = true
            case .hole: reward += map.settings.holeReward; terminated = true
            case .cliff: reward += map.settings.cliffReward; (x, y) = map.start
            case .key: hasKey = true; map.cells[index] = .floor
            case .door: map.cells[index] = .floor   // opened with the key, stays open
            case .reward: reward += map.reward(atLetter: index)
            case .exitA, .exitB:
                reward += (target == .exitA) == (cue == 0) ? map.settings.goalReward : map.settings.wrongExitReward
                terminated = true
            case .floor, .wall, .cue: break
            }
        }
        let truncated = !terminated && elapsed >= maxEpisodeSteps!
        isOver = terminated || truncated
        return StepResult(reward: reward, terminated: terminated, truncated: truncated)
    }

    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        let shape = observationShape
        precondition(buffer.count == shape.count, "observation needs \(shape.count) floats, got \(buffer.count)")
        buffer.update(repeating: 0)
        let h = shape.height, w = shape.width, area = h * w
        // Window origin in map coordinates (the whole map without a view).
        let ox = view.map { x - $0 / 2 } ?? 0, oy = view.map { y - $0 / 2 } ?? 0
        for wy in 0..<h {
            for wx in 0..<w {
                let mx = ox + wx, my = oy + wy, i = wy * w + wx
                let cell = map[mx, my]
                switch cell {
                case .wall: buffer[area + i] = 1
                case .goal: buffer[2 * area + i] = 1
                case .lava, .hole, .cliff: buffer[3 * area + i] = 1
                case .key: buffer[4 * area + i] = 1
                case .door: buffer[5 * area + i] = 1
                case .reward: buffer[7 * area + i] = map.reward(atLetter: my * map.width + mx)
                case .exitA: buffer[8 * area + i] = 1
                case .exitB: buffer[9 * area + i] = 1
                case .cue: buffer[(8 + cue) * area + i] = 1
                case .floor: break
                }
                if mx == x && my == y { buffer[i] = 1 }
                if hasKey { buffer[6 * area + i] = 1 }
            }
        }
    }

    // MARK: Rendering

    public var frameSize: FrameSize {
        FrameSize(width: map.width * Self.cellPixels, height: map.height * Self.cellPixels)
    }

    /// Each cell's colour (a switch, so every cell has one and no lookup can fail).
    public static func color(_ cell: GridCell) -> RGB {
        switch cell {
        case .floor, .cue: RGB(24, 24, 28)
        case .wall: RGB(110, 110, 120)
        case .goal: RGB(60, 190, 90)
        case .lava: RGB(230, 90, 30)
        case .hole: RGB(20, 40, 110)
        case .cliff: RGB(120, 30, 40)
        case .key: RGB(240, 200, 40)
        case .door: RGB(150, 95, 40)
        case .reward: RGB(150, 80, 200)
        case .exitA: RGB(40, 200, 220)
        case .exitB: RGB(230, 60, 200)
        }
    }
    public static let agentColor = RGB(235, 60, 60)

    public func render(into frame: inout Frame) {
        let c = Self.cellPixels
        for my in 0..<map.height {
            for mx in 0..<map.width {
                let cell = map[mx, my]
                frame.fillRect(x: mx * c, y: my * c, width: c, height: c, Self.color(.floor))
                switch cell {
                case .key:   // a small key-coloured square on the floor
                    frame.fillRect(x: mx * c + c / 3, y: my * c + c / 3, width: c / 3, height: c / 3, Self.color(.key))
                case .door:
                    frame.fillRect(x: mx * c + 1, y: my * c, width: c - 2, height: c, Self.color(.door))
                    frame.fillRect(x: mx * c + c - 4, y: my * c + c / 2, width: 2, height: 2, Self.color(.key))
                case .floor: break
                case .cue:   // a dot in the colour of the exit it names
                    frame.fillRect(x: mx * c + c / 4, y: my * c + c / 4, width: c / 2, height: c / 2, Self.color(cue == 0 ? .exitA : .exitB))
                default:
                    frame.fillRect(x: mx * c + (cell == .wall ? 0 : 1), y: my * c + (cell == .wall ? 0 : 1),
                                   width: c - (cell == .wall ? 0 : 2), height: c - (cell == .wall ? 0 : 2), Self.color(cell))
                }
            }
        }
        drawAgent(into: &frame)
    }

    /// A triangle pointing along `heading`, with a key-coloured dot while carrying the key.
    private func drawAgent(into frame: inout Frame) {
        let c = Self.cellPixels, x0 = x * c, y0 = y * c
        for v in 0..<c {          // along the heading, 0 = back
            let half = (c - v) * (c - 2) / (2 * c)
            for u in -half...half {
                let (px, py): (Int, Int)
                switch heading {
                case 0: (px, py) = (c / 2 + u, c - 1 - v)
                case 1: (px, py) = (v, c / 2 + u)
                case 2: (px, py) = (c / 2 + u, v)
                default: (px, py) = (c - 1 - v, c / 2 + u)
                }
                if (1..<(c - 1)).contains(px) && (1..<(c - 1)).contains(py) {
                    frame.plot(x: x0 + px, y: y0 + py, Self.agentColor)
                }
            }
        }
        if hasKey { frame.fillRect(x: x0 + c / 2 - 1, y: y0 + c / 2 - 1, width: 3, height: 3, Self.color(.key)) }
    }
}

extension GridWorld: KeyboardControls {
    public func action(for key: ControlKey) -> Int? {
        switch key {
        case .up: 0
        case .right: 1
        case .down: 2
        case .left: 3
        case .fire: nil
        }
    }
    /// Turn-based: nothing happens until a key is pressed.
    public var idleAction: Int? { nil }
    public var controlsHelp: String { "arrows/WASD move" }
}
