// The registry of environments: ids → constructors (DESIGN.md §1). Environments and agents
// never know about each other; only this floor and the CLI see both. Adding an environment is
// one entry here, and the shared conformance suite (Tests/CatalogTests) then runs on it.
import BoardGames
import Files
import Foundation
import Go
import GridWorld
import MinAtar
import RL
import Tensors

public struct EnvironmentEntry: Sendable {
    /// The id users type (`minatar/breakout`); `idPattern` for parametrised families.
    public let id: String
    public let summary: String
    /// Options the id accepts, for `dojo envs` (e.g. "sticky=0.1 ramping=on actions=full").
    public let optionsHelp: String
    let make: @Sendable (EnvironmentSpec) throws -> any Environment
    /// The id names a family rather than one environment (`gridworld/file:PATH`).
    public var isTemplate: Bool { id.hasSuffix("PATH") }
    /// Ids this entry also answers to (parametrised families such as `gridworld/empty-N`).
    var matches: @Sendable (String) -> Bool = { _ in false }
}

public enum EnvironmentCatalog {
    public static let entries: [EnvironmentEntry] = minAtarEntries + gridWorldEntries + goEntries + boardGameEntries

    /// Families sized by a number in the id, with the sizes they take.
    static let sizedFamilies: [(prefix: String, family: String, sizes: ClosedRange<Int>)] = [
        ("go:", "go:N", 2...19), ("gridworld/empty-", "gridworld/empty-N", emptyRoomSizes),
        ("gridworld/memory-", "gridworld/memory-N", memoryLengths),
    ]
    /// An empty room needs a 2×2 inside at least, so that start and goal are different cells.
    static let emptyRoomSizes = 4...64
    /// T-maze corridors (cells between the start and the junction).
    static let memoryLengths = 1...60

    /// Builds the environment a spec names; unknown ids and bad options are one-sentence errors.
    public static func make(_ spec: EnvironmentSpec) throws -> any Environment {
        guard let entry = entries.first(where: { $0.id == spec.id }) ?? entries.first(where: { $0.matches(spec.id) }) else {
            for (prefix, family, range) in sizedFamilies {
                if spec.id.hasPrefix(prefix), let n = Int(spec.id.dropFirst(prefix.count)) {
                    throw CatalogError("\(family) takes N in \(range.lowerBound)…\(range.upperBound), got \(n)")
                }
            }
            let ids = entries.filter { !$0.isTemplate }.map(\.id) + ["go:19", "go:13", "go:5"]
            throw CatalogError("unknown environment '\(spec.id)'\(Suggestion.phrase(for: spec.id, among: ids)); run `dojo envs` to list them")
        }
        return try entry.make(spec)
    }

    public static func make(_ text: String) throws -> any Environment {
        try make(EnvironmentSpec(parsing: text))
    }

    // MARK: MinAtar

    static let minAtarOptionsHelp = "sticky=0.1 ramping=on actions=full|minimal max_steps=N flicker=p"

    static func minAtarEntry<Game: MinAtarGame>(_ game: Game.Type) -> EnvironmentEntry {
        EnvironmentEntry(id: "minatar/\(Game.name)", summary: Game.summary, optionsHelp: minAtarOptionsHelp) { spec in
            var reader = OptionReader(spec)
            let options = MinAtarOptions(
                stickyActionProbability: try reader.double("sticky", default: 0.1, in: 0...1),
                ramping: try reader.bool("ramping", default: true),
                minimalActions: try reader.choice("actions", default: "full", among: ["full", "minimal"]) == "minimal")
            // A step cap, as gymnax's MinAtar has one (1,000 steps for Breakout): the last step is `truncated`.
            let cap = reader.string("max_steps") == nil ? nil : try reader.int("max_steps", default: 0, in: 1...100_000_000)
            // Flickering observations (blanked with probability p), the memory task of DRQN.
            let flicker = try reader.double("flicker", default: 0, in: 0...1)
            try reader.finish()
            let game = Game(options: options)
            switch (cap, flicker > 0) {
            case (let cap?, true): return TimeLimit(Flicker(game, probability: Float(flicker)), limit: cap)
            case (let cap?, false): return TimeLimit(game, limit: cap)
            case (nil, true): return Flicker(game, probability: Float(flicker))
            case (nil, false): return game
            }
        }
    }

    static let minAtarEntries = [
        minAtarEntry(Breakout.self), minAtarEntry(SpaceInvaders.self), minAtarEntry(Freeway.self),
        minAtarEntry(Asterix.self), minAtarEntry(Seaquest.self),
    ]
}

// MARK: Grid worlds

extension EnvironmentCatalog {
    static let gridOptionsHelp = "slippery=on|off step_penalty=0 max_steps=N view=k (odd)"

    static func gridWorld(_ map: GridMap, _ spec: EnvironmentSpec) throws -> any Environment {
        var reader = OptionReader(spec)
        var map = map
        map.settings.slippery = try reader.bool("slippery", default: map.settings.slippery)
        map.settings.stepPenalty = Float(try reader.double("step_penalty", default: Double(map.settings.stepPenalty), in: -1e6...1e6))
        if reader.string("max_steps") != nil {
            map.settings.maxSteps = try reader.int("max_steps", default: 0, in: 1...100_000_000)
        }
        var view: Int?
        if reader.string("view") != nil {
            let k = try reader.int("view", default: 0, in: 1...99)
            guard k % 2 == 1 else { throw CatalogError("option view=\(k) of \(spec.id) must be odd so the agent sits in the middle") }
            view = k
        }
        try reader.finish()
        return GridWorld(map: map, view: view)
    }

    static func builtInGridEntry(_ name: String, _ text: String, _ summary: String) -> EnvironmentEntry {
        EnvironmentEntry(id: "gridworld/\(name)", summary: summary, optionsHelp: gridOptionsHelp) { spec in
            try gridWorld(try GridMap(parsing: text, name: spec.id), spec)
        }
    }

    /// A grid-world family sized by the number ending its id (`prefix` + N, N in `sizes`), listed
    /// under its `example` size.
    static func sizedGridEntry(_ prefix: String, example: Int, sizes: ClosedRange<Int>, _ summary: String,
                               map: @escaping @Sendable (Int) -> String) -> EnvironmentEntry {
        @Sendable func size(_ id: String) -> Int? { id.hasPrefix(prefix) ? Int(id.dropFirst(prefix.count)).flatMap { sizes.contains($0) ? $0 : nil } : nil }
        return EnvironmentEntry(id: "\(prefix)\(example)", summary: summary, optionsHelp: gridOptionsHelp, make: { spec in
            guard let n = size(spec.id) else { throw CatalogError("\(prefix)N takes N in \(sizes.lowerBound)…\(sizes.upperBound), got '\(spec.id)'") }
            return try gridWorld(try GridMap(parsing: map(n), name: spec.id), spec)
        }, matches: { size($0) != nil })
    }

    static let gridWorldEntries: [EnvironmentEntry] = [
        sizedGridEntry("gridworld/empty-", example: 8, sizes: emptyRoomSizes,
                       "An empty room (any size: gridworld/empty-N, N = 4…64 counting walls); reach the far corner.", map: BuiltInMaps.empty),
        sizedGridEntry("gridworld/memory-", example: 4, sizes: memoryLengths,
                       "A T-maze (any corridor: gridworld/memory-N, N = 1…60): the cue by the start names the exit that pays; with view=3 only memory can tell at the end.",
                       map: BuiltInMaps.memory),
        builtInGridEntry("four-rooms", BuiltInMaps.fourRooms, "Sutton, Precup & Singh's four rooms joined by doorways."),
        builtInGridEntry("cliff-walking", BuiltInMaps.cliffWalking, "Sutton & Barto's cliff: −1 per step, −100 and back to the start for falling."),
        builtInGridEntry("frozen-lake", BuiltInMaps.frozenLake, "Gymnasium's 4×4 frozen lake: slippery ice, holes end the episode."),
        builtInGridEntry("key-door", BuiltInMaps.keyDoor, "Pick up the key, open the door, reach the goal."),
        EnvironmentEntry(id: "gridworld/file:PATH", summary: "A grid world from a text map file (format: Environments/GridWorld/GridMap.swift).",
                         optionsHelp: gridOptionsHelp, make: { spec in
            let path = String(spec.id.dropFirst("gridworld/file:".count))
            guard let text = try? BoundedFile.text(path, limit: 1 << 20) else {
                throw CatalogError("cannot read map file '\(path)'; check the path (ids look like gridworld/file:maps/room.txt)")
            }
            do { return try gridWorld(try GridMap(parsing: text, name: path), spec) } catch let e as GridMapError {
                throw CatalogError("\(e)")
            }
        }, matches: { $0.hasPrefix("gridworld/file:") }),
    ]
}

// MARK: Go

extension EnvironmentCatalog {
    static let goEntries: [EnvironmentEntry] = [
        EnvironmentEntry(id: "go:9", summary: "Go on an N×N board (go:9, go:13, go:19, any N in 2…19): Tromp-Taylor, positional superko.",
                         optionsHelp: "komi=7.5 max_moves=2·N²", make: { spec in
            let n = Int(spec.id.dropFirst(3))!
            var reader = OptionReader(spec)
            let komi = try reader.double("komi", default: 7.5, in: GoGame.komiRange)
            let cap = try reader.int("max_moves", default: 2 * n * n, in: 1...100_000)
            try reader.finish()
            return GoGame(size: n, komi: komi, maxMoves: cap)
        }, matches: { id in id.hasPrefix("go:") && Int(id.dropFirst(3)).map { (2...19).contains($0) } == true }),
    ]
}

// MARK: Small two-player games

extension EnvironmentCatalog {
    static func connectionGame(_ spec: EnvironmentSpec, _ base: ConnectionGame) throws -> any Environment {
        var reader = OptionReader(spec)
        let width = try reader.int("width", default: base.width, in: 2...16)
        let height = try reader.int("height", default: base.height, in: 2...16)
        let connect = try reader.int("connect", default: base.connect, in: 2...16)
        try reader.finish()
        guard connect <= max(width, height) else {
            throw CatalogError("connect=\(connect) cannot fit on a \(width)×\(height) board; use at most \(max(width, height))")
        }
        return ConnectionGame(width: width, height: height, connect: connect, gravity: base.gravity)
    }

    static let boardGameEntries: [EnvironmentEntry] = [
        EnvironmentEntry(id: "tic-tac-toe", summary: "Tic-tac-toe (an m,n,k-game): two players, three in a row on 3×3.",
                         optionsHelp: "width=3 height=3 connect=3") { try connectionGame($0, .ticTacToe()) },
        EnvironmentEntry(id: "connect-four", summary: "Connect Four: two players drop stones into 7 columns of 6, four in a row wins.",
                         optionsHelp: "width=7 height=6 connect=4") { try connectionGame($0, .connectFour()) },
    ]
}

extension EnvironmentCatalog {
    /// Option variants the conformance suite also runs (behaviour-changing options).
    public static let conformanceVariants = [
        "minatar/seaquest,sticky=0,ramping=off", "minatar/breakout,actions=minimal",
        "go:5", "go:19,max_moves=60", "gridworld/four-rooms,view=5", "gridworld/empty-5,slippery=on", "gridworld/key-door,view=3,max_steps=50",
        "connect-four,width=5,height=4,connect=3",
    ]
}
