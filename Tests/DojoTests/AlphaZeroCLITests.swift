// `dojo train alphazero` end to end on a 5×5 board with a tiny budget: the run folder, resume
// with more iterations, and the checkpoint as a player in a tournament and over GTP; and the
// same on Tic-tac-toe, whose checkpoint plays Tic-tac-toe in `dojo watch` and nothing else.
import Arena
import Foundation
import TestSupport
import XCTest

final class AlphaZeroCLITests: XCTestCase, RunsDojo {
    func testTrainResumeAndPlay() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-az")
        defer { dir.remove() }
        let budget = ["--set", "gamesPerIteration=2", "--set", "simulations=8", "--set", "trainSteps=5", "--set", "batchSize=8"]
        let first = try run(["train", "alphazero", "--env", "go:5", "--preset", "tiny", "--set", "iterations=1", "--run-dir", dir.url.path, "--seed", "4"] + budget)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("self-play workers: \(ProcessInfo.processInfo.activeProcessorCount) "), "one per core by default: \(first.stderr)")
        let runPath = try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4)
        let selfplay = "\(runPath)/selfplay"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: selfplay).filter { $0.hasSuffix(".dojoaz") }.count, 2)
        let resumed = try run(["train", "alphazero", "--resume", String(runPath), "--set", "iterations=2", "--threads", "1"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("self-play workers: 1 "), resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("after iteration 1"), resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("trained 2 iterations, 4 self-play games"), resumed.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: selfplay).filter { $0.hasSuffix(".dojoaz") }.count, 4)
        let metrics = try String(contentsOfFile: "\(runPath)/metrics.csv", encoding: .utf8)
        XCTAssertTrue(metrics.contains("2,losses/policy_loss,"), metrics)
        let rate = try XCTUnwrap(metrics.split(separator: "\n").first { $0.hasPrefix("2,charts/train_samples_per_second,") }, metrics)
        XCTAssertGreaterThan(Double(rate.split(separator: ",")[2]) ?? 0, 0, String(rate))   // 5 steps × 8 samples over a positive time
        // Every network version is published (the untrained one is 0), and each game names the
        // version that played it (bytes 28..<32 of its header).
        let published = try FileManager.default.contentsOfDirectory(atPath: "\(runPath)/networks").sorted()
        XCTAssertEqual(published, ["000000.safetensors", "000001.safetensors", "000002.safetensors"])
        let second = try XCTUnwrap(FileManager.default.contents(atPath: "\(selfplay)/iter00001-game0000.dojoaz"))
        XCTAssertEqual(Array(second[28..<32]), [1, 0, 0, 0], "iteration 2's games were played by version 1")
        // The checkpoint plays: a short tournament against random (a published version), and GTP.
        let checkpoint = "\(runPath)/checkpoints/latest.safetensors"
        let db = dir.path("az.sqlite")
        let t = try run(["tournament", "--env", "go:5", "--komi", "0.5", "--player", "random",
                         "--player", "az=alphazero:checkpoint=\(runPath)/networks/000002.safetensors,playouts=8", "--games", "2", "--db", db])
        XCTAssertEqual(t.status, 0, t.stderr)
        let games = try ResultsStore.open(path: db).games()
        XCTAssertEqual(games.count, 2)
        XCTAssertTrue(games.allSatisfy { ["two passes", "move cap", "resign"].contains($0.reason) }, "\(games.map(\.detail))")
        let wrongSize = try run(["gtp", "--agent", "alphazero:checkpoint=\(checkpoint)", "--size", "9"])
        XCTAssertNotEqual(wrongSize.status, 0)
        XCTAssertTrue(wrongSize.stderr.contains("plays 5×5 only"), wrongSize.stderr)
        let zero = try run(["train", "alphazero", "--env", "go:5", "--preset", "tiny", "--set", "simulations=0", "--run-dir", dir.url.path])
        XCTAssertNotEqual(zero.status, 0)
        XCTAssertTrue(zero.stderr.contains("simulations must be in 1…"), zero.stderr)
        let notGo = try run(["train", "alphazero", "--env", "minatar/breakout", "--run-dir", dir.url.path])
        XCTAssertNotEqual(notGo.status, 0)
        XCTAssertTrue(notGo.stderr.contains("AlphaZero learns two-player games; minatar/breakout has 1 player"), notGo.stderr)
    }

    /// A resume may change training keys, never silently: config.json follows the config in
    /// effect and config-changes.jsonl says what changed from which iteration; a key that would
    /// change the network is refused before anything is written.
    func testAResumeRecordsWhatItChangesAndKeepsTheNetwork() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-az-changes")
        defer { dir.remove() }
        let budget = ["--set", "gamesPerIteration=2", "--set", "simulations=8", "--set", "trainSteps=5", "--set", "batchSize=8", "--eval-episodes", "0"]
        let first = try run(["train", "alphazero", "--env", "tic-tac-toe", "--preset", "tiny", "--set", "iterations=1", "--set", "learningRate=0.02",
                             "--run-dir", dir.url.path, "--seed", "4"] + budget)
        XCTAssertEqual(first.status, 0, first.stderr)
        let runPath = String(try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        func file(_ name: String) -> String { (try? String(contentsOfFile: "\(runPath)/\(name)", encoding: .utf8)) ?? "" }
        XCTAssertTrue(file("config.json").contains("\"learningRate\" : 0.02"), file("config.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(runPath)/config-changes.jsonl"), "nothing changed yet")

        let changed = try run(["train", "alphazero", "--resume", runPath, "--set", "iterations=2", "--set", "learningRate=0.005"] + budget)
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("changing iterations 1 → 2, learningRate 0.02 → 0.005 from iteration 2"), changed.stderr)
        XCTAssertTrue(file("config.json").contains("\"learningRate\" : 0.005"), "config.json holds the config in effect: \(file("config.json"))")
        XCTAssertEqual(file("config-changes.jsonl"), #"{"step":2,"key":"iterations","from":1,"to":2}"# + "\n" + #"{"step":2,"key":"learningRate","from":0.02,"to":0.005}"# + "\n")
        XCTAssertTrue(file("metrics.csv").contains("2,charts/learning_rate,0.00499999"), "the new rate trained iteration 2: \(file("metrics.csv"))")

        let checkpoint = FileManager.default.contents(atPath: "\(runPath)/checkpoints/latest.safetensors")
        let reshaped = try run(["train", "alphazero", "--resume", runPath, "--set", "iterations=3", "--set", "filters=8"] + budget)
        XCTAssertEqual(reshaped.status, 64, reshaped.stderr)
        XCTAssertTrue(reshaped.stderr.contains("a resumed run keeps its network and game: filters cannot change"), reshaped.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: "\(runPath)/checkpoints/latest.safetensors"), checkpoint, "nothing written")
        XCTAssertTrue(file("config.json").contains("\"iterations\" : 2"), file("config.json"))
        XCTAssertEqual(file("config-changes.jsonl").split(separator: "\n").count, 2)
        // A config.json left behind by a process killed before its first checkpoint is put
        // right by the next resume: the checkpoint's config is what runs.
        try "{\"learningRate\" : 0.5}\n".write(toFile: "\(runPath)/config.json", atomically: true, encoding: .utf8)
        let plain = try run(["train", "alphazero", "--resume", runPath] + budget)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertFalse(plain.stderr.contains("changing"), plain.stderr)
        XCTAssertTrue(file("config.json").contains("\"learningRate\" : 0.005"), file("config.json"))
    }

    /// Actors and a learner as separate processes sharing a run folder (issue 22 §2).
    func testActorsFeedALearnerThroughTheRunFolder() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-actors")
        defer { dir.remove() }
        let made = try run(["train", "alphazero", "--env", "tic-tac-toe", "--preset", "tiny", "--set", "iterations=0", "--run-dir", dir.url.path, "--seed", "3"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let runPath = String(try XCTUnwrap(made.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        let actor = try run(["selfplay", "--run", runPath, "--games", "3", "--actor", "a", "--seed", "5"])
        XCTAssertEqual(actor.status, 0, actor.stderr)
        let learner = ["train", "alphazero", "--resume", runPath, "--learner-only", "--set", "gamesPerIteration=2", "--eval-episodes", "0"]
        let first = try run(learner + ["--set", "iterations=1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("trained 1 iterations, 2 self-play games"), first.stdout)
        // The actor comes back: it continues its numbering and plays with the new version.
        XCTAssertEqual(try run(["selfplay", "--run", runPath, "--games", "1", "--actor", "a", "--seed", "5"]).status, 0)
        let fourth = try XCTUnwrap(FileManager.default.contents(atPath: "\(runPath)/selfplay/actor-a-000003.dojoaz"))
        XCTAssertEqual(Array(fourth[28..<32]), [1, 0, 0, 0], "played by network version 1")
        let second = try run(learner + ["--set", "iterations=2"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("trained 2 iterations, 4 self-play games"), second.stdout)
        XCTAssertTrue(second.stderr.contains("taking actor-a-000002.dojoaz, actor-a-000003.dojoaz"), "each game once: \(second.stderr)")
        // A run that plays its own games says so when actors' games wait unused.
        XCTAssertEqual(try run(["selfplay", "--run", runPath, "--games", "1", "--actor", "a", "--seed", "5"]).status, 0)
        let own = try run(["train", "alphazero", "--resume", runPath, "--set", "iterations=3", "--set", "gamesPerIteration=2", "--eval-episodes", "0"])
        XCTAssertEqual(own.status, 0, own.stderr)
        XCTAssertTrue(own.stderr.contains("1 games from actors in"), own.stderr)
        let busy = try run(["selfplay", "--run", runPath, "--games", "1", "--actor", "a/b"])
        XCTAssertEqual(busy.status, 64, "a name that is no file name is a usage error: \(busy.stderr)")
    }

    func testTrainsAndPlaysGamesOtherThanGo() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-az-ttt")
        defer { dir.remove() }
        let budget = ["--set", "gamesPerIteration=2", "--set", "simulations=8", "--set", "trainSteps=5", "--set", "batchSize=8", "--threads", "1"]
        let first = try run(["train", "alphazero", "--env", "tic-tac-toe", "--preset", "tiny", "--set", "iterations=1", "--run-dir", dir.url.path] + budget)
        XCTAssertEqual(first.status, 0, first.stderr)
        let runPath = String(try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        XCTAssertTrue(runPath.contains("tic-tac-toe__alphazero__"), runPath)
        let config = try String(contentsOfFile: "\(runPath)/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"environment\" : \"tic-tac-toe\""), config)
        XCTAssertFalse(config.contains("boardSize") || config.contains("komi"), "no Go keys for tic-tac-toe: \(config)")
        XCTAssertTrue(first.stderr.contains("config {"), "the config is printed at the start")
        XCTAssertTrue(first.stdout.contains("evaluation: win rate against the random player"), first.stdout)
        XCTAssertTrue(first.stdout.contains("video \(runPath)/videos/selfplay.gif"), first.stdout)
        XCTAssertGreaterThan(try Data(contentsOf: URL(fileURLWithPath: "\(runPath)/videos/selfplay.gif")).count, 100)
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(runPath)/selfplay").filter { $0.hasSuffix(".dojoaz") }
        XCTAssertEqual(files.count, 2)
        let header = try XCTUnwrap(FileManager.default.contents(atPath: "\(runPath)/selfplay/\(files[0])"))
        // Magic, 3 planes of 3×3, 9 actions, no owners, played by network 0 (the untrained one).
        XCTAssertEqual(Array(header.prefix(32)), Array("DOJOAZ04".utf8) + [3, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let resumed = try run(["train", "alphazero", "--resume", runPath, "--set", "iterations=2", "--threads", "1"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("trained 2 iterations, 4 self-play games"), resumed.stdout)
        let checkpoint = "\(runPath)/checkpoints/latest.safetensors"
        let watched = try run(["watch", "--env", "tic-tac-toe", "--agent", "alphazero:checkpoint=\(checkpoint),playouts=16", "--terminal", "--fps", "240", "--episodes", "2"])
        XCTAssertEqual(watched.status, 0, watched.stderr)
        XCTAssertTrue(watched.stdout.contains("episode 2: "), watched.stdout)
        let bare = try run(["watch", checkpoint, "--terminal", "--fps", "240", "--episodes", "1"])   // the checkpoint names its game
        XCTAssertEqual(bare.status, 0, bare.stderr)
        XCTAssertTrue(bare.stdout.contains("episode 1: "), bare.stdout)
        let db = dir.path("ttt.sqlite")
        let t = try run(["tournament", "--env", "tic-tac-toe", "--player", "random", "--player", "az=alphazero:checkpoint=\(checkpoint),playouts=16",
                         "--games", "4", "--db", db])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertEqual(try ResultsStore.open(path: db).games().count, 4)
        XCTAssertTrue(t.stdout.contains("as first / as second"), t.stdout)
        let wrongGame = try run(["watch", "--env", "connect-four", "--agent", "alphazero:checkpoint=\(checkpoint)", "--terminal"])
        XCTAssertNotEqual(wrongGame.status, 0)
        XCTAssertTrue(wrongGame.stderr.contains("was trained on tic-tac-toe"), wrongGame.stderr)
        let evaluated = try run(["eval", checkpoint])
        XCTAssertNotEqual(evaluated.status, 0)
        XCTAssertTrue(evaluated.stderr.contains("dojo tournament --env tic-tac-toe --player az=alphazero:checkpoint="), evaluated.stderr)
        let asGo = try run(["gtp", "--agent", "alphazero:checkpoint=\(checkpoint)", "--size", "5"])
        XCTAssertNotEqual(asGo.status, 0)
        XCTAssertTrue(asGo.stderr.contains("plays tic-tac-toe, not Go"), asGo.stderr)
    }
}
