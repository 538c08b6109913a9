// `dojo tournament`: head-to-head games between agents and outside engines (Go), between agents
// in other two-player games (Tic-tac-toe, Connect Four), or paired episodes (single-player
// environments), stored game by game in an SQLite file that resumes.
import Arena
import ArgumentParser
import Catalog
import Files
import Foundation
import Go
import Tensors

extension Dojo {
    struct Tournament: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play a tournament: round-robin, gauntlet or SPRT match; ratings, crosstable, SGFs; resumable.",
            discussion: """
            Players are NAME=SPEC (or a bare SPEC, named after itself): random, mcts[:options], \
            a DQN checkpoint (checkpoint:PATH or PATH.safetensors, single-player environments), \
            alphazero:checkpoint=FILE (the game it was trained on), or an outside GTP engine \
            "gtp:<command line>" (Go). Every finished game is committed to \
            the --db file before the next starts: after a crash or Ctrl-C, --resume continues \
            with the games still missing. Faults (crash, timeout, illegal move, protocol error) \
            lose that game and are recorded; the engine is restarted for the next one.

            A results file is like a script: --resume starts the engine command lines stored in \
            it (each is printed before it runs), so resume only files you trust. `dojo ratings` \
            only reads a file and runs nothing.

            Examples:
              dojo tournament --env go:9 --komi 7.5 --player random --player mcts=mcts:seconds=0.5 \\
                --player gnugo="gtp:gnugo --mode gtp --level 10" --format round-robin --games 20 \\
                --parallel 2 --db tourney.sqlite --sgf-dir games/
              dojo tournament --resume tourney.sqlite
              dojo tournament --env go:9 --format match --player new=mcts:seconds=1 --player old=mcts:seconds=0.5 \\
                --games 200 --sprt elo0=0,elo1=50,alpha=0.05,beta=0.05 --db match.sqlite
              dojo tournament --env minatar/breakout --player dqn=checkpoint:runs/x/checkpoints/latest.safetensors \\
                --player random --episodes 200 --db breakout.sqlite
              dojo tournament --env connect-four --player az=alphazero:checkpoint=runs/y/checkpoints/latest.safetensors \\
                --player mcts=mcts:playouts=1000 --format match --games 40 --random-opening-moves 2 --db c4.sqlite
            """)

        @Option(help: "Environment id (go:N for Go, tic-tac-toe, connect-four, or any single-player id from `dojo envs`).")
        var env: String?

        @Option(name: .customLong("player"), help: "A player, NAME=SPEC (repeat for each player).")
        var players: [String] = []

        @Option(help: "round-robin, gauntlet (the first player against each other one) or match (two players).")
        var format = TournamentFormat.roundRobin

        @Option(parsing: .unconditional, help: "Games per pairing (even; colours alternate).")
        var games = 20

        @Option(parsing: .unconditional, help: "Single-player environments: episodes per player (the same seeds for every player).")
        var episodes = 100

        @Option(help: "Komi (Go).")
        var komi = 7.5

        @Option(name: .customLong("random-opening-moves"), help: "Random legal opening moves; each opening is played twice with colours swapped.")
        var randomOpeningMoves = 0

        @Option(name: .customLong("move-time"), help: "Seconds allowed for one move; slower moves lose the game (reason timeout). Outside engines are not sent time_settings (it changes how some play); set their time in their command line.")
        var moveTime = 60.0

        @Option(name: .customLong("max-moves"), help: "Move cap per game, passes included (default 4·N²); a capped game is scored as it stands.")
        var maxMoves: Int?

        @Option(help: "Scoring of finished Go games: auto (GNU Go if installed, else tt), gnugo (area, dead stones removed) or tt (Tromp-Taylor as it stands).")
        var scorer = ScorerName.auto

        @Option(help: "SPRT early stopping for --format match: elo0=0,elo1=50,alpha=0.05,beta=0.05.")
        var sprt: String?

        @Option(help: "Player rated 0 (default: the one whose spec is random, else the first).")
        var anchor: String?

        @Option(name: .customLong("prior-draws"), help: "Virtual drawn games per pairing in the rating fit (keeps perfect scores finite; 0 = pure maximum likelihood).")
        var priorDraws = 1.0

        @Option(help: "Games played at once, each with its own engine processes.")
        var parallel = 1

        @Option(help: "The results file (SQLite).")
        var db = "tournament.sqlite"

        @Option(name: .customLong("sgf-dir"), help: "Write every Go game as SGF here.")
        var sgfDir: String?

        @Option(help: "Continue the tournament in this results file (its settings are stored in it).")
        var resume: String?

        @Flag(help: "Print the final tables as JSON instead of Markdown.")
        var json = false

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard parallel >= 1 else { throw ValidationError("--parallel must be ≥ 1.") }
            guard moveTime > 0 else { throw ValidationError("--move-time must be positive.") }
            if resume == nil {
                guard env != nil else { throw ValidationError("give --env (e.g. go:9 or minatar/breakout), or --resume FILE.") }
            }
        }

        func run() throws {
            common.apply()
            StopSignal.install()
            let store: ResultsStore
            if let resume {
                store = try ResultsStore.open(path: resume)
            } else {
                store = try ResultsStore.create(path: db, settings: try settings())
            }
            let s = store.settings
            printError("tournament \(s.env), \(s.format.rawValue), \(s.players.map(\.name).joined(separator: ", ")) → \(store.database.path)")
            for p in s.players where p.spec.hasPrefix("gtp:") {
                printError("player \(p.name) runs: \(p.spec.dropFirst(4))" + (resume.map { " (stored in \($0))" } ?? ""))
            }
            try TournamentGames(store: store, parallel: parallel).play()
            let report = try TournamentReport(store: store)
            emit(json ? report.json : report.markdown)
            if StopSignal.requested { printError("stopped; every finished game is saved in \(store.database.path)") }
            try StopSignal.exitIfRequested(continueWith: "dojo tournament --resume \(store.database.path)")
        }

        /// --sgf-dir must be a folder (made now) that holds no games of a tournament of this name.
        func prepareSGFFolder(_ folder: String) throws {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
                throw ValidationError("--sgf-dir \(folder) is a file; give a folder (it is made if missing).")
            }
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw Failure("cannot make the SGF folder \(folder): \(FileWriteError.reason(error)).")
            }
            let prefix = GoTournament.sgfPrefix(database: db)
            if let taken = try? FileManager.default.contentsOfDirectory(atPath: folder).first(where: { $0.hasPrefix(prefix) }) {
                throw ValidationError("--sgf-dir \(folder) already holds \(taken) of another tournament named \((db as NSString).lastPathComponent); give another --db name or folder.")
            }
        }

        func settings() throws -> TournamentSettings {
            guard let env else { throw ValidationError("--env is required") }
            let entries = try players.map(PlayerCatalog.entry)
            let environment = try EnvironmentCatalog.make(env)
            var rules: GoRules?
            if let go = environment as? GoGame {
                rules = GoRules(size: go.size, komi: komi, maxMoves: maxMoves, moveTime: moveTime)
            }
            let twoPlayer = environment.playerCount == 2
            if sgfDir != nil && rules == nil {
                throw ValidationError("--sgf-dir writes Go games; \(env)'s games are stored in the --db file (moves as action ids).")
            }
            if let sgfDir { try prepareSGFFolder(sgfDir) }
            let s = TournamentSettings(env: env, players: entries, format: format,
                                       games: twoPlayer ? games : episodes, rules: rules, boardGame: twoPlayer && rules == nil,
                                       randomOpeningMoves: randomOpeningMoves,
                                       scorer: scorer.rawValue, sgfDir: sgfDir, sprt: try sprt.map(SPRT.parse), seed: common.seed,
                                       anchor: anchor, priorDraws: priorDraws)
            try s.validate()
            // Every player is built once now, so a bad spec fails before any game is stored.
            // (An outside engine is started once and asked its name.)
            for entry in entries { _ = try PlayerCatalog.player(entry, seed: 0, for: environment) }
            _ = try GoScorer.named(scorer.rawValue)
            return s
        }
    }
}
