// One Bradley-Terry fit over the games of several results files — e.g. one gauntlet per network
// version of a run, each against the same anchors — so every player is rated on one scale.
// Players are matched by name; a name must run the same spec in every file, or the pooled games
// would rate different players as one (a sentence names the first clash). Void games are left
// out, as in each file's own table.
public struct PooledRating: Sendable, Equatable {
    public var name: String
    public var spec: String
    public var rating: Rating
    /// All this player's games in the pooled files.
    public var record: Record
}

public enum PooledRatings {
    /// Ratings of every player of `stores`, `anchor` (a name) rated 0.
    public static func fit(_ stores: [ResultsStore], anchor: String, priorDraws: Double = 1) throws -> [PooledRating] {
        var names: [String] = [], specs: [String: String] = [:], index: [String: Int] = [:]
        var results: [PairResult] = []
        for store in stores {
            let players = store.settings.players
            for player in players {
                if let known = specs[player.name], known != player.spec {
                    throw ArenaError("player \(player.name) runs '\(player.spec)' in \(store.database.path) but '\(known)' elsewhere; pooled ratings need one spec per name")
                }
                if index[player.name] == nil {
                    index[player.name] = names.count
                    names.append(player.name)
                    specs[player.name] = player.spec
                }
            }
            let standings = Standings(games: try store.games(), players: players.count)
            for r in standings.results {
                guard let a = index[players[r.a].name], let b = index[players[r.b].name] else { continue }
                results.append(PairResult(a, b, scoreA: r.scoreA))
            }
        }
        guard let anchorIndex = index[anchor] else {
            throw ArenaError("the anchor '\(anchor)' plays in none of the results files (players: \(names.joined(separator: ", ")))")
        }
        let ratings = try BradleyTerry.fit(players: names.count, results: results, anchor: anchorIndex, priorDraws: priorDraws)
        var records = [Record](repeating: Record(), count: names.count)
        for r in results {
            records[r.a].add(score: r.scoreA)
            records[r.b].add(score: 1 - r.scoreA)
        }
        return names.indices.map { PooledRating(name: names[$0], spec: specs[names[$0]] ?? "", rating: ratings[$0], record: records[$0]) }
    }
}
