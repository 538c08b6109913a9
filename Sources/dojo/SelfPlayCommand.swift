// `dojo selfplay --run R`: an actor (issue 22 §2). It plays AlphaZero self-play games for the
// run in folder R with the newest network version the learner has published
// (R/networks/NNNNNN.safetensors, looked for again before every game) and hands each finished
// game over as a file, R/selfplay/actor-NAME-NNNNNN.dojoaz, written atomically and naming the
// version that played it; `dojo train alphazero --resume R --learner-only` takes them in. Any
// number of actors, on this machine or others sharing the folder, can feed one learner; each
// actor's name is locked (R/actors/NAME), and a restarted actor continues its numbering. Game k
// of actor NAME with --seed S is seeded by (S, k) alone.
import AlphaZero
import ArgumentParser
import Files
import Foundation
import Runs
import Tensors

extension Dojo {
    struct SelfPlay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "selfplay",
            abstract: "Play AlphaZero self-play games for a run with its newest published network (an actor beside the learner).",
            discussion: """
            --threads: games played at once, each with its own copy of the network (default 1).

            Examples:
              dojo selfplay --run runs/go-9__alphazero__0__<time> --games 100
              dojo selfplay --run /shared/run --actor host7 --seed 7        # until Ctrl-C
            """)

        @Option(name: .customLong("run"), help: "The AlphaZero run folder (made by dojo train alphazero).")
        var runFolder: String

        @Option(parsing: .unconditional, help: "Games to play; 0: until Ctrl-C.")
        var games = 0

        @Option(help: "This actor's name in file names (letters, digits, - and _; default: host-pid).")
        var actor: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard games >= 0 else { throw ValidationError("--games must be ≥ 0, got \(games).") }
            if let actor, actor.isEmpty || actor.count > 64 || !actor.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                throw ValidationError("--actor takes letters, digits, - and _ (at most 64), got '\(actor)'.")
            }
        }

        func run() throws {
            common.apply(defaultThreads: 1)
            StopSignal.install()
            let folder = RunDirectory(path: runFolder)
            let networks = folder.file("networks"), selfplay = folder.file("selfplay")
            guard !AlphaZeroTrainer.publishedVersions(in: networks).isEmpty else {
                throw ValidationError("\(runFolder) has no published network (networks/NNNNNN.safetensors); start the run with dojo train alphazero first.")
            }
            let name = actor ?? "\(Self.hostName())-\(getpid())".filter { $0.isLetter || $0.isNumber || $0 == "-" }
            let actorFolder = (folder.file("actors") as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: actorFolder, withIntermediateDirectories: true)
            let lock = try RunLock(folder: actorFolder)
            try FileManager.default.createDirectory(atPath: selfplay, withIntermediateDirectories: true)
            let prefix = "actor-\(name)-"
            var next = Self.nextNumber(in: selfplay, prefix: prefix)
            var network: ActorNetwork?
            let seeds = SeededGenerator(seed: common.seed)
            var played = 0
            while (games == 0 || played < games) && !StopSignal.requested {
                guard let newest = AlphaZeroTrainer.publishedVersions(in: networks).last else { break }
                if network?.version != newest {
                    let path = AlphaZeroTrainer.publishedPath(in: networks, version: newest)
                    network = try ActorNetwork(version: newest, checkpoint: BoundedFile.read(path, limit: BoundedFile.binaryLimit), name: path,
                                               copies: common.threadCount, start: network?.start)
                    printError("actor \(name): network version \(newest)")
                }
                guard let network else { break }
                let count = games == 0 ? network.evaluators.count : min(network.evaluators.count, games - played)
                for game in network.play(games: count, first: next, seeds: seeds) {
                    let file = (selfplay as NSString).appendingPathComponent(prefix + String(format: "%06d.dojoaz", next))
                    try SelfPlayRecord.write(game.positions, shape: network.shape, networkVersion: network.version, to: file)
                    next += 1
                    played += 1
                    printError("game \(next - 1): \(game.result), \(game.moves) moves (network \(network.version)) → \(file)")
                }
            }
            withExtendedLifetime(lock) {}
            emit("\(played) games by actor \(name) in \(selfplay)")
            try StopSignal.exitIfRequested(continueWith: "dojo selfplay --run \(runFolder) --actor \(name)")
        }

        /// This machine's short name (gethostname: no name lookup over the network).
        static func hostName() -> String {
            var buffer = [CChar](repeating: 0, count: 256)
            guard gethostname(&buffer, buffer.count - 1) == 0 else { return "actor" }
            let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return name.split(separator: ".").first.map(String.init) ?? "actor"
        }

        /// The number after the highest of this actor's files (0 for a new actor).
        static func nextNumber(in folder: String, prefix: String) -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let numbers = names.compactMap { name -> Int? in
                guard name.hasPrefix(prefix), name.hasSuffix(".dojoaz") else { return nil }
                return Int(name.dropFirst(prefix.count).dropLast(".dojoaz".count))
            }
            return (numbers.max() ?? -1) + 1
        }
    }
}
