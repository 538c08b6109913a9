// `dojo strength --run R`: how strong an AlphaZero run's published network versions are
// (issue 22 §5). Each chosen version plays a match against each anchor (GNU Go level 1 by
// default on Go; pure MCTS at the same time per move is a good second) at `--seconds` (or
// `--playouts`) per move. A version's network is copied to R/strength/vNNNNNN.safetensors (the
// run keeps only some versions) and each match goes to R/strength/vNNNNNN-ANCHOR.sqlite, which
// resumes like any tournament — so anchors can be added later and only the new matches are
// played; the ratings are one Bradley-Terry fit over every match in the folder, the first
// anchor rated 0. R/strength.csv (step = version, metrics.csv's format) holds
// strength/elo, strength/elo_95 and strength/training_hours for `dojo plot`:
//   dojo plot R --metric strength/elo --x strength/training_hours --window 1
import AlphaZero
import Arena
import ArgumentParser
import Catalog
import Files
import Foundation
import Go
import Runs

extension Dojo {
    struct Strength: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rate an AlphaZero run's published network versions against fixed anchors (Elo against training hours).",
            discussion: """
            Examples:
              dojo strength --run runs/go-9__alphazero__0__<time>
              dojo strength --run runs/go-9__alphazero__0__<time> --anchor gnugo1="gtp:gnugo --mode gtp --level 1" \\
                --anchor mcts=mcts:seconds=1 --every 10 --games 20 --seconds 1
              dojo plot runs/go-9__alphazero__0__<time> --metric strength/elo --x strength/training_hours --window 1 --out elo.svg
            """)

        @Option(name: .customLong("run"), help: "The AlphaZero run folder (made by dojo train alphazero).")
        var runFolder: String

        @Option(name: .customLong("anchor"), help: "An opponent every version plays, NAME=SPEC (repeat); the first is rated 0. Default on Go: gnugo1=\"gtp:gnugo --mode gtp --level 1\".")
        var anchors: [String] = []

        @Option(parsing: .unconditional, help: "Rate the versions that are multiples of this, and the newest.")
        var every = 25

        @Option(help: "Rate exactly these versions instead (comma-separated, e.g. 0,10,20).")
        var versions: String?

        @Option(parsing: .unconditional, help: "Games of each version against each anchor (even; colours alternate).")
        var games = 10

        @Option(help: "Seconds per move for the networks' search.")
        var seconds = 1.0

        @Option(help: "Playouts per move for the networks' search instead of --seconds (results that do not depend on the machine's load).")
        var playouts: Int?

        @Option(help: "Komi (Go).")
        var komi = 7.5

        @Option(help: "Games played at once.")
        var parallel = 1

        @Option(name: .customLong("prior-draws"), help: "Virtual drawn games per pairing in the rating fit.")
        var priorDraws = 1.0

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard every >= 1 else { throw ValidationError("--every must be ≥ 1, got \(every).") }
            guard games >= 2, games % 2 == 0, games <= 10_000 else { throw ValidationError("--games must be even and 2…10000, got \(games).") }
            guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600], got \(seconds).") }
            guard parallel >= 1 else { throw ValidationError("--parallel must be ≥ 1.") }
            if let playouts, !(1...1_000_000).contains(playouts) { throw ValidationError("--playouts must be 1…1000000, got \(playouts).") }
            guard komi.isFinite, abs(komi) <= 1000 else { throw ValidationError("--komi must be a number within ±1000, got \(komi).") }
            guard priorDraws >= 0, priorDraws.isFinite else { throw ValidationError("--prior-draws must be ≥ 0.") }
        }

        func run() throws {
            common.apply()
            StopSignal.install()
            let run = RunDirectory(path: runFolder)
            let networks = run.file("networks"), folder = run.file("strength")
            let published = AlphaZeroTrainer.publishedVersions(in: networks)
            guard let newest = published.last else {
                throw ValidationError("\(runFolder) has no published network (networks/NNNNNN.safetensors); is it an AlphaZero run folder?")
            }
            let chosen = try choose(from: published, newest: newest)
            let config = try AlphaZeroTrainer.config(inCheckpoint: AlphaZeroTrainer.publishedPath(in: networks, version: newest))
            let environment = try EnvironmentCatalog.make(config.environment)
            let go = environment as? GoGame
            let anchorEntries = try anchorList(isGo: go != nil).map(PlayerCatalog.entry)
            // Every anchor is built once now (an engine started and asked its name), so a bad
            // spec fails before any game is stored.
            for entry in anchorEntries { _ = try PlayerCatalog.player(entry, seed: 0, for: environment) }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for version in chosen {
                for anchor in anchorEntries where !StopSignal.requested {
                    let store = try match(version, anchor, networks: networks, folder: folder, environment: config.environment, go: go)
                    printError("version \(version): \(store.settings.players.map(\.name).joined(separator: " vs ")) → \(store.database.path)")
                    try TournamentGames(store: store, parallel: parallel).play()
                }
            }
            let report = try rate(folder: folder, run: run, anchors: anchorEntries.map(\.name))
            emit(report)
            try StopSignal.exitIfRequested(continueWith: "dojo strength --run \(runFolder) (the same options)")
        }

        /// The versions to rate: --versions as given (each must be published), or the multiples of
        /// --every and the newest.
        func choose(from published: [Int], newest: Int) throws -> [Int] {
            guard let versions else { return published.filter { $0 % every == 0 || $0 == newest } }
            var chosen: [Int] = []
            for text in versions.split(separator: ",", omittingEmptySubsequences: false) {
                guard let v = Int(text.trimmingCharacters(in: .whitespaces)), published.contains(v) else {
                    throw ValidationError("--versions names '\(text)', which is not a published version of \(runFolder) (published: \(Self.ranges(published))).")
                }
                if !chosen.contains(v) { chosen.append(v) }
            }
            return chosen
        }

        func anchorList(isGo: Bool) throws -> [String] {
            if !anchors.isEmpty { return anchors }
            guard isGo else { throw ValidationError("give at least one --anchor NAME=SPEC (e.g. --anchor mcts=mcts:playouts=200).") }
            return ["gnugo1=gtp:gnugo --mode gtp --level 1"]
        }

        /// The results file of version `version` against `anchor`: opened to resume when it
        /// exists (its players must be the same), else created with the network copied beside it.
        func match(_ version: Int, _ anchor: PlayerEntry, networks: String, folder: String, environment: String, go: GoGame?) throws -> ResultsStore {
            let name = String(format: "v%06d", version)
            guard anchor.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !Self.isVersionName(anchor.name) else {
                throw ValidationError("--anchor names become file names and must not look like a version: letters, digits, - and _ (got '\(anchor.name)'); write NAME=SPEC.")
            }
            let database = (folder as NSString).appendingPathComponent("\(name)-\(anchor.name).sqlite")
            let copy = (folder as NSString).appendingPathComponent(name + ".safetensors")
            if !FileManager.default.fileExists(atPath: copy) {
                let bytes = try BoundedFile.read(AlphaZeroTrainer.publishedPath(in: networks, version: version), limit: BoundedFile.binaryLimit)
                try AtomicFile.write(bytes, to: copy)
            }
            let budget = playouts.map { "playouts=\($0)" } ?? "seconds=\(seconds)"
            let challenger = try PlayerCatalog.entry("\(name)=alphazero:checkpoint=\(copy),\(budget)")
            if FileManager.default.fileExists(atPath: database) {
                let store = try ResultsStore.open(path: database)
                let wanted = [challenger, anchor].map { [$0.name, $0.spec] }
                guard store.settings.players.map({ [$0.name, $0.spec] }) == wanted, store.settings.games == games else {
                    throw ValidationError("\(database) was played with other players or --games (\(store.settings.players.map(\.name).joined(separator: ", ")), \(store.settings.games) games each); give the same --anchor, --seconds (or --playouts) and --games, or remove it.")
                }
                return store
            }
            let rules = go.map { GoRules(size: $0.size, komi: komi, maxMoves: nil, moveTime: max(60, 10 * seconds)) }
            let settings = TournamentSettings(env: environment, players: [challenger, anchor], format: .match, games: games, rules: rules,
                                              boardGame: go == nil, seed: common.seed, anchor: anchor.name, priorDraws: priorDraws)
            try settings.validate()
            return try ResultsStore.create(path: database, settings: settings)
        }

        /// One fit over every match in the folder, `anchors[0]` rated 0; strength.csv written; the
        /// table as Markdown (anchors in the order given, then any others the folder's matches had).
        func rate(folder: String, run: RunDirectory, anchors: [String]) throws -> String {
            let anchor = anchors.first ?? ""
            let files = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.hasPrefix("v") && $0.hasSuffix(".sqlite") }.sorted()
            let stores = try files.map { try ResultsStore.open(path: (folder as NSString).appendingPathComponent($0)) }
            let ratings = try PooledRatings.fit(stores, anchor: anchor, priorDraws: priorDraws)
            let hours = TrainingHours(run: run)
            var csv = "step,tag,value\n"
            var table = "| version | training hours | Elo (95%) | games | score |\n|---|---|---|---|---|\n"
            for rating in ratings {
                guard Self.isVersionName(rating.name), let version = Int(rating.name.dropFirst()) else { continue }
                let elo = rating.rating.elo.map { String(format: "%.0f", $0) } ?? "–"
                let half = rating.rating.halfWidth95.map { String(format: " ± %.0f", $0) } ?? ""
                let h = hours.at(version)
                table += "| \(version) | \(h.map { String(format: "%.2f", $0) } ?? "–") | \(elo)\(half) | \(Int(rating.record.games)) | \(rating.record.text) |\n"
                if let e = rating.rating.elo { csv += "\(version),strength/elo,\(e)\n" }
                if let w = rating.rating.halfWidth95 { csv += "\(version),strength/elo_95,\(w)\n" }
                if let h { csv += "\(version),strength/training_hours,\(h)\n" }
                csv += "\(version),strength/games,\(rating.record.games)\n"
            }
            try AtomicFile.write(Array(csv.utf8), to: run.file("strength.csv"))
            let others = ratings.filter { !Self.isVersionName($0.name) }
            let anchorsLine = (others.filter { anchors.contains($0.name) }.sorted { (anchors.firstIndex(of: $0.name) ?? 0) < (anchors.firstIndex(of: $1.name) ?? 0) }
                               + others.filter { !anchors.contains($0.name) })
                .map { "\($0.name) \($0.rating.elo.map { String(format: "%.0f", $0) } ?? "–")" }.joined(separator: ", ")
            return table + "\nanchors: \(anchorsLine) (\(anchor) = 0); \(hours.note)\nwrote \(run.file("strength.csv"))"
        }

        /// A network version's player name: v and six digits.
        static func isVersionName(_ name: String) -> Bool {
            name.count == 7 && name.hasPrefix("v") && name.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
        }

        /// "0–10, 25, 50" for a list of versions.
        static func ranges(_ versions: [Int]) -> String {
            versions.count <= 8 ? versions.map(String.init).joined(separator: ", ")
                : "\(versions.prefix(4).map(String.init).joined(separator: ", ")), …, \(versions.suffix(2).map(String.init).joined(separator: ", "))"
        }
    }
}
