// Text maps for grid worlds. One character per cell, one line per row, row 0 at the top:
//   #  wall            .  floor (a space is floor too)     S  start (exactly one)
//   G  goal: +goal reward, episode ends                     L  lava: +lava reward, episode ends
//   H  hole: +hole reward (0), episode ends                 C  cliff: +cliff reward, back to the start
//   K  key (picked up by walking onto it)                   D  door: opens when entered carrying a key
//   a…z  reward cells: pay the reward set for that letter in the legend, every visit
//   ?  cue: floor showing, each episode at random, which exit pays      A  B  exits: entering
//      one ends the episode with +goal reward if the cue names it, +wrong_exit_reward if not
//      (a map with a cue has both exits and one cue; memory tasks, GridWorld.swift)
// After the grid, an optional legend (a blank line, then `name = value` lines; `;` starts a
// comment) sets rewards and defaults:
//   a = 0.5            goal_reward = 1      lava_reward = -1     hole_reward = 0
//   cliff_reward = -100   step_penalty = 0.01   max_steps = 200   slippery = on   wrong_exit_reward = 0
// Rows must all have the same width. Errors name the line and column of the problem.

public enum GridCell: UInt8, Sendable, Equatable {
    case floor, wall, goal, lava, hole, cliff, key, door, reward, cue, exitA, exitB
}

public struct GridMap: Sendable, Equatable {
    public let width: Int, height: Int
    public internal(set) var cells: [GridCell]
    /// Reward-cell letters per cell (0 where none), and each letter's reward.
    public let rewardLetters: [UInt8]
    public let letterRewards: [UInt8: Float]
    public let start: (x: Int, y: Int)
    public var settings: GridSettings

    public static func == (a: GridMap, b: GridMap) -> Bool {
        a.width == b.width && a.cells == b.cells && a.rewardLetters == b.rewardLetters && a.start == b.start
            && a.settings == b.settings && a.letterRewards == b.letterRewards
    }

    public subscript(x: Int, y: Int) -> GridCell {
        x >= 0 && y >= 0 && x < width && y < height ? cells[y * width + x] : .wall
    }

    /// Parses a map; `name` prefixes error messages (a file path or built-in id).
    public init(parsing text: String, name: String = "map") throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        // Leading blank lines are ignored; the grid ends at the first blank line.
        var lineOffset = 0
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.removeFirst(); lineOffset += 1
        }
        let gridEnd = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).isEmpty } ?? lines.count
        let rows = Array(lines[..<gridEnd])
        guard !rows.isEmpty else { throw GridMapError(name, line: 1, column: 1, "the map has no rows") }
        let width = rows[0].count
        var cells: [GridCell] = [], letters: [UInt8] = []
        var start: (Int, Int)?
        for (y, row) in rows.enumerated() {
            let lineNumber = lineOffset + y + 1
            guard row.count == width else {
                throw GridMapError(name, line: lineNumber, column: min(row.count, width) + 1,
                                   "row has \(row.count) cells but the first row has \(width); rows must be equally wide")
            }
            for (x, ch) in row.enumerated() {
                var letter: UInt8 = 0
                let cell: GridCell
                switch ch {
                case "#": cell = .wall
                case ".", " ": cell = .floor
                case "S":
                    if start != nil {
                        throw GridMapError(name, line: lineNumber, column: x + 1, "a second start 'S'; a map has exactly one")
                    }
                    start = (x, y); cell = .floor
                case "G": cell = .goal
                case "L": cell = .lava
                case "H": cell = .hole
                case "C": cell = .cliff
                case "K": cell = .key
                case "D": cell = .door
                case "a"..."z": cell = .reward; letter = ch.asciiValue!
                case "?": cell = .cue
                case "A": cell = .exitA
                case "B": cell = .exitB
                default:
                    throw GridMapError(name, line: lineNumber, column: x + 1,
                                       "unknown cell '\(ch)'; use # . S G L H C K D ? A B or a–z")
                }
                cells.append(cell); letters.append(letter)
            }
        }
        guard let start else { throw GridMapError(name, line: lineOffset + 1, column: 1, "the map has no start 'S'") }
        let cues = cells.filter { $0 == .cue }.count, exits = (cells.contains(.exitA), cells.contains(.exitB))
        guard cues <= 1, (cues == 1) == exits.0, (cues == 1) == exits.1 else {
            throw GridMapError(name, line: lineOffset + 1, column: 1, "a memory map has one cue '?' and both exits 'A' and 'B' (this one has \(cues) cues, \(exits.0 ? "an" : "no") A and \(exits.1 ? "a" : "no") B)")
        }
        var settings = GridSettings()
        var rewards: [UInt8: Float] = [:]
        for index in gridEnd..<lines.count {
            let lineNumber = lineOffset + index + 1
            var line = lines[index]
            if let comment = line.firstIndex(of: ";") { line = String(line[..<comment]) }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw GridMapError(name, line: lineNumber, column: 1, "legend lines are `name = value`, got '\(line)'")
            }
            let (key, value) = (parts[0], parts[1])
            func number() throws -> Float {
                guard let v = Float(value), v.isFinite else {
                    throw GridMapError(name, line: lineNumber, column: line.count - value.count + 1, "'\(value)' is not a number")
                }
                return v
            }
            switch key {
            case "goal_reward": settings.goalReward = try number()
            case "lava_reward": settings.lavaReward = try number()
            case "hole_reward": settings.holeReward = try number()
            case "cliff_reward": settings.cliffReward = try number()
            case "wrong_exit_reward": settings.wrongExitReward = try number()
            case "step_penalty": settings.stepPenalty = try number()
            case "max_steps":
                guard let v = Int(value), v > 0 else {
                    throw GridMapError(name, line: lineNumber, column: 1, "max_steps must be a positive integer, got '\(value)'")
                }
                settings.maxSteps = v
            case "slippery":
                guard ["on", "off"].contains(value) else {
                    throw GridMapError(name, line: lineNumber, column: 1, "slippery must be on or off, got '\(value)'")
                }
                settings.slippery = value == "on"
            default:
                guard key.count == 1, let c = key.first, ("a"..."z").contains(c) else {
                    throw GridMapError(name, line: lineNumber, column: 1,
                                       "unknown legend entry '\(key)'; use a–z, goal_reward, lava_reward, hole_reward, cliff_reward, wrong_exit_reward, step_penalty, max_steps or slippery")
                }
                rewards[c.asciiValue!] = try number()
            }
        }
        for (i, letter) in letters.enumerated() where letter != 0 && rewards[letter] == nil {
            throw GridMapError(name, line: lineOffset + i / width + 1, column: i % width + 1,
                               "reward cell '\(Character(UnicodeScalar(letter)))' has no value; add `\(Character(UnicodeScalar(letter))) = 1` after a blank line")
        }
        self.width = width; self.height = rows.count
        self.cells = cells; self.rewardLetters = letters; self.letterRewards = rewards
        self.start = start; self.settings = settings
    }

    func reward(atLetter index: Int) -> Float { letterRewards[rewardLetters[index]] ?? 0 }

    /// Whether the map is a memory task (a cue and two exits).
    public var hasCue: Bool { cells.contains(.cue) }
}

/// Rewards and limits of a map (legend values, overridable by environment options).
public struct GridSettings: Sendable, Equatable {
    public var goalReward: Float = 1, lavaReward: Float = -1, holeReward: Float = 0, cliffReward: Float = -100
    /// Entering the exit the cue does not name (memory maps).
    public var wrongExitReward: Float = 0
    public var stepPenalty: Float = 0
    /// Steps before truncation; nil: 4·width·height.
    public var maxSteps: Int?
    /// Gymnasium's slippery ice: the move goes the intended way or to either side, 1/3 each.
    public var slippery = false
    public init() {}
}

public struct GridMapError: Error, CustomStringConvertible, Equatable {
    public let name: String, line: Int, column: Int, problem: String
    init(_ name: String, line: Int, column: Int, _ problem: String) {
        self.name = name; self.line = line; self.column = column; self.problem = problem
    }
    public var description: String { "\(name):\(line):\(column): \(problem)" }
}
