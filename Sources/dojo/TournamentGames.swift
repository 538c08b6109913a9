// Playing the games a tournament's results file still misses, with a line per game (`dojo
// tournament` and `dojo strength` share it): Go through the referee and its scorer, other
// two-player games in process, single-player environments as paired episodes. Ctrl-C stops
// after the games under way; every finished game is already in the file.
import Arena
import ArgumentParser
import Catalog
import Foundation
import Go

struct TournamentGames {
    let store: ResultsStore
    /// Games played at once.
    let parallel: Int

    func play() throws {
        let s = store.settings
        if s.rules != nil { try playGo() } else if s.isTwoPlayer { try playBoardGame() } else { try playEpisodes() }
    }

    func playGo() throws {
        let s = store.settings
        let logs = URL(fileURLWithPath: store.database.path).deletingPathExtension().path + "-logs"
        let needsLogs = s.players.contains { $0.spec.hasPrefix("gtp:") }
        if needsLogs { try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true) }
        guard let size = s.rules?.size else { throw ValidationError("a Go tournament needs board rules") }
        let tournament = try GoTournament(store: store, scorer: try GoScorer.named(s.scorer)) { i, worker in
            try PlayerCatalog.goSeat(s.players[i], boardSize: size, stderrDirectory: needsLogs ? logs : nil, worker: worker)
        }
        try run(tournament)
    }

    /// Two-player games other than Go: in-process policies (random, mcts:..., alphazero:...).
    func playBoardGame() throws {
        let s = store.settings
        let tournament = try BoardGameTournament(store: store, makeEnvironment: { try EnvironmentCatalog.make(s.env) }) { i, seed in
            try PlayerCatalog.player(s.players[i], seed: seed, for: try EnvironmentCatalog.make(s.env))
        }
        try run(tournament)
    }

    /// Plays the remaining games with a line per game: result, end and standings.
    func run(_ tournament: HeadToHeadTournament) throws {
        let s = tournament.settings
        let total = s.schedule.count
        let first = s.rules == nil ? "first" : "B", second = s.rules == nil ? "second" : "W"
        tournament.onGame = { row, finished in
            let standings = Standings(games: finished, players: s.players.count)
            let table = s.players.indices.sorted { standings.total[$0].score > standings.total[$1].score }
                .map { "\(s.players[$0].name) \(standings.total[$0].text)" }.joined(separator: ", ")
            let end = row.reason + (row.detail.isEmpty || row.reason == "two passes" ? "" : ": \(row.detail.prefix(80))")
            printError("game \(finished.count)/\(total) #\(row.index) \(s.players[row.black].name) (\(first)) – \(s.players[row.white].name) (\(second)) \(row.result) [\(end)]  standings: \(table)")
        }
        try tournament.run(parallel: parallel) { StopSignal.requested }
    }

    func playEpisodes() throws {
        let s = store.settings
        let total = s.games * s.players.count
        let tournament = try EpisodeTournament(store: store, makeEnvironment: { try EnvironmentCatalog.make(s.env) }) { i, seed in
            try PlayerCatalog.player(s.players[i], seed: seed, for: try EnvironmentCatalog.make(s.env))
        }
        var last = Date.distantPast
        tournament.onEpisode = { row, done in
            if done == total || Date().timeIntervalSince(last) >= 5 {
                printError("episode \(done)/\(total): \(s.players[row.player].name) episode \(row.episode) return \(row.episodeReturn)")
                last = Date()
            }
        }
        try tournament.run(parallel: parallel) { StopSignal.requested }
    }
}
