// `dojo selfplay-gtp`: game records from an outside engine playing itself — the built-in "expert"
// data set for the AlphaGo pipeline's supervised policy (GNU Go is the expert available here).
// Each game starts fresh engine processes for both colours (no state leaks between games),
// runs under the arena's referee, is scored like tournament games and written as SGF. With
// `--parallel N`, N games run at once; each game depends only on its number (its opening is
// seeded by it), so the files are the same whatever N.
import Arena
import ArgumentParser
import Catalog
import Foundation
import Go

extension Dojo {
    struct SelfPlayGTP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "selfplay-gtp",
            abstract: "Write SGFs of an outside GTP engine playing itself (training data for the supervised policy).",
            discussion: """
            Examples:
              dojo selfplay-gtp --engine "gnugo --mode gtp --level 10" --games 100 --size 9 --out games/gnugo9
              dojo selfplay-gtp --engine "gnugo --mode gtp --level 1" --games 2 --size 9 --random-opening-moves 4
              dojo selfplay-gtp --engine "gnugo --mode gtp --level 10" --games 1000 --size 9 --parallel 2 --out games/gnugo9
            """)

        @Option(help: "The engine's command line (split like a shell; gnugo is found in /usr/games too).")
        var engine: String

        @Option(parsing: .unconditional, help: "Games to play.")
        var games = 10

        @Option(help: "Board size.")
        var size = 9

        @Option(help: "Komi.")
        var komi = 7.5

        @Option(name: .customLong("random-opening-moves"), help: "Random legal opening moves before the engine plays (engines are deterministic; this varies the games).")
        var randomOpeningMoves = 4

        @Option(name: .customLong("move-time"), help: "Seconds allowed for one move.")
        var moveTime = 60.0

        @Option(help: "Scoring: auto, gnugo or tt (as dojo tournament).")
        var scorer = ScorerName.auto

        @Option(help: "Folder for the SGF files (game_00000.sgf, …).")
        var out = "selfplay-gtp"

        @Option(help: "Games played at once (each with its own engine processes).")
        var parallel = 1

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard games >= 1 else { throw ValidationError("--games must be ≥ 1.") }
            guard parallel >= 1 else { throw ValidationError("--parallel must be ≥ 1.") }
            guard (2...19).contains(size) else { throw ValidationError("--size must be 2…19, got \(size).") }
        }

        func run() throws {
            common.apply()
            let command = try PlayerCatalog.splitCommandLine(engine)
            let probe = GTPEnginePlayer(name: "engine", command: command)
            try probe.probe()
            let scoring = try GoScorer.named(scorer.rawValue)
            let rules = GoRules(size: size, komi: komi, moveTime: moveTime)
            let settings = TournamentSettings(env: "go:\(size)", players: [PlayerEntry(name: "engine", spec: "gtp:" + engine)],
                                              format: .match, games: games, rules: rules, seed: common.seed)
            let name = URL(fileURLWithPath: command[0]).lastPathComponent
            let lock = NSLock()
            nonisolated(unsafe) var wins = (black: 0, white: 0)
            let (engine, games, out, workers, openingMoves) = (engine, games, out, min(parallel, games), randomOpeningMoves)
            try WorkerThreads.run(workers) { worker in
                for g in stride(from: worker, to: games, by: workers) {
                    let black = GTPEnginePlayer(name: name, command: command), white = GTPEnginePlayer(name: name, command: command)
                    black.announcesFaults = false
                    white.announcesFaults = false
                    defer { black.close(); white.close() }
                    let opening = GoTournament.opening(seed: settings.playerSeed(game: g, player: 0), moves: openingMoves, rules: rules)
                    let game = GoReferee.play(black: black, white: white, rules: rules, opening: opening) { scoring.score($0).result }
                    let path = URL(fileURLWithPath: out).appendingPathComponent(String(format: "game_%05d.sgf", g)).path
                    try game.writeSGF(to: path, black: engine, white: engine, rules: scoring.rules, comment: "Dojo selfplay-gtp game \(g)")
                    lock.withLock {
                        if game.winner == .black { wins.black += 1 } else if game.winner == .white { wins.white += 1 }
                        printError("game \(g + 1)/\(games): \(game.result) (\(game.end.rawValue), \(game.game.moves.count) moves) → \(path)")
                    }
                }
            }
            emit("\(games) games in \(out): Black won \(wins.black), White \(wins.white)")
        }
    }
}
