// What a tournament is: its players, format and rules (saved in the results store so
// `--resume` needs nothing else), and the fixed list of games that follows from them.
//
// Game order and colours: games are numbered from 0 in rounds; in round r every pairing (i, j),
// i listed before j, plays once, i taking Black when r is even and White when r is odd, so
// colours alternate and a tournament stopped early is still balanced. With random openings,
// rounds 2m and 2m+1 of a pairing play the same opening with colours swapped. Every seed a game
// uses derives from the tournament seed and the game's number, so results do not depend on how
// many games ran in parallel.
import Tensors

public enum TournamentFormat: String, Codable, Sendable, CaseIterable {
    /// Every player against every other.
    case roundRobin = "round-robin"
    /// The first player (the challenger) against each of the others.
    case gauntlet
    /// Exactly two players, optionally stopped early by an SPRT.
    case match
}

public struct PlayerEntry: Codable, Sendable, Equatable {
    public var name: String
    public var spec: String
    /// Content hash of the checkpoint file the spec names, if any (FNV-1a 64, hex).
    public var checkpointHash: String?
    public init(name: String, spec: String, checkpointHash: String? = nil) {
        self.name = name; self.spec = spec; self.checkpointHash = checkpointHash
    }
}

public struct TournamentSettings: Codable, Sendable, Equatable {
    public static let version = 1
    public var env: String
    public var players: [PlayerEntry]
    public var format: TournamentFormat
    /// Two-player: games per pairing (even). Single-player: episodes per player.
    public var games: Int
    /// Go's rules; nil for other games.
    public var rules: GoRules?
    /// A two-player game other than Go (nil in results files from before such games).
    public var boardGame: Bool?
    public var randomOpeningMoves: Int
    public var scorer: String
    public var sgfDir: String?
    public var sprt: SPRT?
    public var seed: UInt64
    /// Player rated 0.
    public var anchor: String
    public var priorDraws: Double

    public init(env: String, players: [PlayerEntry], format: TournamentFormat, games: Int, rules: GoRules?, boardGame: Bool = false,
                randomOpeningMoves: Int = 0, scorer: String = "auto", sgfDir: String? = nil, sprt: SPRT? = nil,
                seed: UInt64 = 0, anchor: String? = nil, priorDraws: Double = 1) {
        self.env = env; self.players = players; self.format = format; self.games = games; self.rules = rules
        self.boardGame = boardGame ? true : nil
        self.randomOpeningMoves = randomOpeningMoves; self.scorer = scorer; self.sgfDir = sgfDir; self.sprt = sprt
        self.seed = seed; self.priorDraws = priorDraws
        self.anchor = anchor ?? (players.first { $0.spec == "random" } ?? players.first)?.name ?? ""
    }

    public var isTwoPlayer: Bool { rules != nil || boardGame == true }

    /// Checks what a user could get wrong, with one sentence each.
    public func validate() throws {
        guard players.count >= (isTwoPlayer ? 2 : 1) else {
            throw ArenaError("a tournament needs at least \(isTwoPlayer ? 2 : 1) players (--player NAME=SPEC, repeated)")
        }
        var names = Set<String>()
        for p in players where !names.insert(p.name).inserted {
            throw ArenaError("two players are named '\(p.name)'; give each a distinct name with --player NAME=SPEC")
        }
        guard names.contains(anchor) else { throw ArenaError("--anchor '\(anchor)' is not one of the players: \(players.map(\.name).joined(separator: ", "))") }
        guard (1...1_000_000).contains(games) else { throw ArenaError("--games must be 1…1000000 (got \(games))") }
        guard players.count <= 1_000 else { throw ArenaError("a tournament takes at most 1000 players (got \(players.count))") }
        if isTwoPlayer {
            guard games % 2 == 0 else { throw ArenaError("--games must be even so each pairing plays both colours equally (got \(games))") }
            if format == .match && players.count != 2 { throw ArenaError("--format match takes exactly two players (got \(players.count))") }
            if format == .gauntlet && players.count < 2 { throw ArenaError("--format gauntlet needs a challenger and at least one opponent") }
        }
        if sprt != nil && format != .match { throw ArenaError("--sprt works with --format match") }
        guard (0...1_000).contains(randomOpeningMoves) else { throw ArenaError("--random-opening-moves must be 0…1000 (got \(randomOpeningMoves))") }
    }

    /// Player index pairs that meet, in order.
    public var pairings: [(Int, Int)] {
        let n = players.count
        switch format {
        case .roundRobin, .match: return (0..<n).flatMap { i in ((i + 1)..<n).map { (i, $0) } }
        case .gauntlet: return (1..<max(1, n)).map { (0, $0) }
        }
    }

    /// The full list of two-player games.
    public var schedule: [ScheduledGame] {
        let pairs = pairings
        var games: [ScheduledGame] = []
        for round in 0..<self.games {
            for (p, (i, j)) in pairs.enumerated() {
                let (black, white) = round % 2 == 0 ? (i, j) : (j, i)
                games.append(ScheduledGame(index: games.count, black: black, white: white,
                                           openingSeed: derive(1, UInt64(p), UInt64(round / 2))))
            }
        }
        return games
    }

    /// Seed of episode `k` in single-player tournaments (the same for every player: paired).
    public func episodeSeed(_ k: Int) -> UInt64 { derive(2, UInt64(k), 0) }

    /// Seed for a player's own randomness in game (or episode) `index`.
    public func playerSeed(game index: Int, player: Int) -> UInt64 { derive(3, UInt64(index), UInt64(player)) }

    func derive(_ purpose: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: seed).derived(stream: purpose).derived(stream: a).derived(stream: b)
        return g.next()
    }
}

public struct ScheduledGame: Sendable, Equatable {
    public var index: Int
    public var black: Int, white: Int
    /// Seed of the random opening (shared by the two colour-swapped games of a round pair).
    public var openingSeed: UInt64
}
