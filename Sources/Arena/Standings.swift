// Counting finished two-player games: each player's wins, draws and losses, and each pairing's
// results split by colour (the crosstable). Void games (disputes) are left out.

public struct Record: Sendable, Equatable, Codable {
    public var wins = 0.0, draws = 0.0, losses = 0.0
    public var games: Double { wins + draws + losses }
    public var score: Double { wins + draws / 2 }
    mutating func add(score: Double) {
        if score == 1 { wins += 1 } else if score == 0 { losses += 1 } else { draws += 1 }
    }
    /// "3–1–0" (wins–losses–draws).
    public var text: String { "\(Int(wins))–\(Int(losses))–\(Int(draws))" }
}

public struct Standings: Sendable {
    public let players: Int
    /// Per player, all colours.
    public private(set) var total: [Record]
    /// [i][j]: i's record against j with i as Black, and with i as White.
    public private(set) var asBlack: [[Record]], asWhite: [[Record]]
    public private(set) var results: [PairResult] = []
    public private(set) var voidGames = 0

    public var wins: [Double] { total.map(\.wins) }
    public var draws: [Double] { total.map(\.draws) }
    public var losses: [Double] { total.map(\.losses) }

    public init(games: [GameRow], players: Int) {
        self.players = players
        total = Array(repeating: Record(), count: players)
        asBlack = Array(repeating: Array(repeating: Record(), count: players), count: players)
        asWhite = asBlack
        for g in games {
            if g.isVoid { voidGames += 1; continue }
            let blackScore: Double = g.winner == nil ? 0.5 : (g.winner == g.black ? 1 : 0)
            total[g.black].add(score: blackScore)
            total[g.white].add(score: 1 - blackScore)
            asBlack[g.black][g.white].add(score: blackScore)
            asWhite[g.white][g.black].add(score: 1 - blackScore)
            results.append(PairResult(g.black, g.white, scoreA: blackScore))
        }
    }

    /// i's record against j, both colours.
    public func against(_ i: Int, _ j: Int) -> Record {
        let b = asBlack[i][j], w = asWhite[i][j]
        return Record(wins: b.wins + w.wins, draws: b.draws + w.draws, losses: b.losses + w.losses)
    }
}
