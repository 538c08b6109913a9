// What a tournament has shown so far, as Markdown tables for people and JSON for programs:
// two-player tournaments get the Bradley-Terry ratings table, the crosstable (with the colour
// split), end reasons, duplicate games and time per move; single-player tournaments get each
// player's mean return ± 95% CI over the shared episode seeds and the paired difference from
// the first player.
import Foundation
import RL

public struct TournamentReport: Codable, Sendable {
    public struct PlayerLine: Codable, Sendable {
        public var name: String
        public var spec: String
        public var elo: Double?
        public var elo95: Double?
        public var record: Record
        public var secondsPerMove: Double?
    }
    public struct Cell: Codable, Sendable {
        public var player: String, opponent: String
        public var asBlack: Record, asWhite: Record
    }
    public struct EpisodeLine: Codable, Sendable {
        public var name: String
        public var spec: String
        public var episodes: Int
        public var meanReturn: Double, return95: Double
        public var meanLength: Double
        /// Paired difference from the first player over the episodes both finished.
        public var pairedDifference: Double?, difference95: Double?
    }

    public var env: String
    public var format: String
    /// What the crosstable calls the two sides: "Black"/"White" in Go, "first"/"second" else.
    public var sides = ["Black", "White"]
    public var gamesPlayed: Int
    public var gamesScheduled: Int
    public var anchor: String
    public var players: [PlayerLine] = []
    public var crosstable: [Cell] = []
    public var endReasons: [String: Int] = [:]
    public var voidGames = 0
    public var duplicateGames = 0
    public var sprt: String?
    /// Why there are no ratings (a pure maximum-likelihood fit with a perfect score).
    public var ratingNote: String?
    public var episodeLines: [EpisodeLine] = []

    public init(store: ResultsStore) throws {
        let s = store.settings
        env = s.env
        format = s.format.rawValue
        anchor = s.anchor
        if s.isTwoPlayer {
            if s.rules == nil { sides = ["first", "second"] }
            let games = try store.games()
            gamesPlayed = games.count
            gamesScheduled = s.schedule.count
            let standings = Standings(games: games, players: s.players.count)
            let anchorIndex = s.players.firstIndex { $0.name == s.anchor } ?? 0
            let ratings: [Rating]
            do {
                ratings = try BradleyTerry.fit(players: s.players.count, results: standings.results, anchor: anchorIndex, priorDraws: s.priorDraws)
            } catch {
                ratingNote = "\(error)"
                ratings = standings.total.map { Rating(elo: nil, halfWidth95: nil, games: $0.games, score: $0.score) }
            }
            var time = [Double](repeating: 0, count: s.players.count), moves = time
            for g in games {
                time[g.black] += g.secondsBlack; time[g.white] += g.secondsWhite
                moves[g.black] += Double((g.moveCount + 1) / 2); moves[g.white] += Double(g.moveCount / 2)
                endReasons[g.reason, default: 0] += 1
                if g.duplicateOf != nil { duplicateGames += 1 }
            }
            voidGames = standings.voidGames
            players = s.players.enumerated().map { i, p in
                PlayerLine(name: p.name, spec: p.spec, elo: ratings[i].elo, elo95: ratings[i].halfWidth95,
                           record: standings.total[i], secondsPerMove: moves[i] > 0 ? time[i] / moves[i] : nil)
            }.sorted { ($0.elo ?? -.infinity) > ($1.elo ?? -.infinity) }
            for i in s.players.indices { for j in s.players.indices where i != j && standings.against(i, j).games > 0 {
                crosstable.append(Cell(player: s.players[i].name, opponent: s.players[j].name,
                                       asBlack: standings.asBlack[i][j], asWhite: standings.asWhite[i][j]))
            } }
            if let sprt = s.sprt {
                let r = standings.total[0]
                let llr = sprt.llr(wins: r.wins, draws: r.draws, losses: r.losses)
                let d = sprt.decision(wins: r.wins, draws: r.draws, losses: r.losses)
                self.sprt = String(format: "SPRT elo0=%g elo1=%g α=%g β=%g: LLR %.2f in [%.2f, %.2f] → %@", sprt.elo0, sprt.elo1,
                                   sprt.alpha, sprt.beta, llr, sprt.lowerBound, sprt.upperBound,
                                   d == .continuing ? "undecided" : (d == .h1 ? "H1 (\(s.players[0].name) is stronger by ≥ elo1)" : "H0 (not stronger by elo1)"))
            }
        } else {
            let episodes = try store.episodes()
            gamesPlayed = episodes.count
            gamesScheduled = s.games * s.players.count
            var byPlayer = [[Int: EpisodeRow]](repeating: [:], count: s.players.count)
            for e in episodes { byPlayer[e.player][e.episode] = e }
            episodeLines = s.players.enumerated().map { i, p in
                let rows = byPlayer[i].values.sorted { $0.episode < $1.episode }
                let m = MeanInterval(rows.map(\.episodeReturn))
                var line = EpisodeLine(name: p.name, spec: p.spec, episodes: rows.count, meanReturn: m.mean, return95: m.halfWidth95,
                                       meanLength: rows.isEmpty ? 0 : Double(rows.map(\.length).reduce(0, +)) / Double(rows.count))
                if i > 0 {
                    let diffs = rows.compactMap { r in byPlayer[0][r.episode].map { r.episodeReturn - $0.episodeReturn } }
                    if !diffs.isEmpty {
                        let d = MeanInterval(diffs)
                        line.pairedDifference = d.mean
                        line.difference95 = d.halfWidth95
                    }
                }
                return line
            }
        }
    }

    public var json: String { String(decoding: (try? JSONEncoder.sorted.encode(self)) ?? Data(), as: UTF8.self) }

    static func f(_ v: Double?, _ digits: Int = 0) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "n/a" }

    public var markdown: String {
        var out = "## \(env), \(format): \(gamesPlayed) of \(gamesScheduled) \(episodeLines.isEmpty ? "games" : "episodes") played\n\n"
        if !episodeLines.isEmpty {
            let first = episodeLines[0].name
            out += "| player | episodes | mean return ± 95% CI | mean length | paired difference from \(first) ± 95% CI |\n|---|---:|---:|---:|---:|\n"
            for l in episodeLines {
                let diff = l.pairedDifference.map { String(format: "%+.3f ± %.3f", $0, l.difference95 ?? 0) } ?? "—"
                out += "| \(l.name) | \(l.episodes) | \(String(format: "%.3f ± %.3f", l.meanReturn, l.return95)) | \(String(format: "%.1f", l.meanLength)) | \(diff) |\n"
            }
            return out
        }
        out += "| rank | player | Elo | ± 95% | games | score | W–L–D | s/move |\n|---:|---|---:|---:|---:|---:|---|---:|\n"
        for (k, p) in players.enumerated() {
            let score = p.record.games > 0 ? String(format: "%.0f%%", 100 * p.record.score / p.record.games) : "—"
            out += "| \(k + 1) | \(p.name) | \(Self.f(p.elo)) | \(Self.f(p.elo95)) | \(Int(p.record.games)) | \(score) | \(p.record.text) | \(Self.f(p.secondsPerMove, 3)) |\n"
        }
        out += "\nElo: Bradley-Terry maximum likelihood over all games, \(anchor) = 0; 95% intervals from the Hessian.\n"
        if let ratingNote { out += "No ratings: \(ratingNote)\n" }
        let names = players.map(\.name)
        out += "\n### Crosstable (row's wins–losses–draws against column; as \(sides[0]) / as \(sides[1]))\n\n| | " + names.joined(separator: " | ") + " |\n|---|" + String(repeating: "---|", count: names.count) + "\n"
        for row in names {
            let cells = names.map { col -> String in
                if col == row { return "—" }
                guard let c = crosstable.first(where: { $0.player == row && $0.opponent == col }) else { return "" }
                let total = Record(wins: c.asBlack.wins + c.asWhite.wins, draws: c.asBlack.draws + c.asWhite.draws, losses: c.asBlack.losses + c.asWhite.losses)
                return "\(total.text) (\(c.asBlack.text) / \(c.asWhite.text))"
            }
            out += "| \(row) | " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\nEnd reasons: " + endReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        out += "; void games: \(voidGames); duplicate games: \(duplicateGames).\n"
        if let sprt { out += "\n\(sprt)\n" }
        return out
    }
}
