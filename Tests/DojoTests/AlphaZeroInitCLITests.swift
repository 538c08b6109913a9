// `dojo train alphazero --init NETWORK`: a new run starts from another run's network — its
// weights and config (training keys changeable with --set), with its own optimizer, counters
// and window — and says in init.json what it started from; everything it cannot honour (a
// resume, a preset, another game or shape, a file that is no AlphaZero network) is refused
// before a run folder exists.
import Foundation
import Neural
import TestSupport
import XCTest

final class AlphaZeroInitCLITests: XCTestCase, RunsDojo {
    func testANewRunStartsFromAnotherRunsNetwork() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-az-init")
        defer { dir.remove() }
        let budget = ["--set", "gamesPerIteration=2", "--set", "simulations=8", "--set", "trainSteps=5", "--set", "batchSize=8", "--eval-episodes", "0"]
        let first = try run(["train", "alphazero", "--env", "tic-tac-toe", "--preset", "tiny", "--set", "iterations=2",
                             "--run-dir", dir.path("a"), "--seed", "4"] + budget)
        XCTAssertEqual(first.status, 0, first.stderr)
        let source = String(try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        let network = "\(source)/networks/000002.safetensors"

        let started = try run(["train", "alphazero", "--init", network, "--set", "iterations=1", "--set", "learningRate=0.005",
                               "--run-dir", dir.path("b"), "--seed", "9"] + budget)
        XCTAssertEqual(started.status, 0, started.stderr)
        XCTAssertTrue(started.stderr.contains("starting from \(network) (network version 2)"), started.stderr)
        let runPath = String(try XCTUnwrap(started.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4))
        XCTAssertTrue(runPath.contains("tic-tac-toe__alphazero__9__"), "the network's game names the run: \(runPath)")
        let origin = try String(contentsOfFile: "\(runPath)/init.json", encoding: .utf8)
        XCTAssertEqual(origin, #"{"environment":"tic-tac-toe","network":"\#(network)","network_version":"2"}"# + "\n")
        let config = try String(contentsOfFile: "\(runPath)/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"learningRate\" : 0.005") && config.contains("\"environment\" : \"tic-tac-toe\""), config)
        // The new run's version 0 (before it trains) is the network it started from, weight for weight.
        func weights(_ path: String) throws -> [String: [Float]] {
            Dictionary(uniqueKeysWithValues: try SafeTensorsFile.read(from: path).tensors.map { ($0.name, $0.tensor.scalars) })
        }
        let given = try weights(network), zero = try weights("\(runPath)/networks/000000.safetensors")
        XCTAssertFalse(given.isEmpty)
        XCTAssertEqual(zero, given)
        XCTAssertNotEqual(try weights("\(runPath)/networks/000001.safetensors"), given, "then it trains on")

        // Refused before anything is written: 64 for the usage mistakes, 1 for a file that is
        // not an AlphaZero network.
        let refusals: [([String], Int32, String)] = [
            (["--init", network, "--resume", source], 64, "give one of them"),
            (["--init", network, "--preset", "tiny"], 64, "takes the network's own config"),
            (["--init", network, "--env", "connect-four"], 64, "plays tic-tac-toe; --env connect-four cannot change it"),
            (["--init", network, "--set", "filters=8"], 64, "keeps the network's shape and game: filters cannot change"),
            (["--init", "\(runPath)/config.json"], 1, "config.json"),
            (["--init", "az:nosuch"], 1, "no bundled network 'nosuch'"),
        ]
        for (arguments, status, words) in refusals {
            let refused = try run(["train", "alphazero"] + arguments + ["--run-dir", dir.path("c")])
            XCTAssertEqual(refused.status, status, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains(words), "\(arguments): \(refused.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("c")), "\(arguments) wrote a run folder")
        }
    }
}
