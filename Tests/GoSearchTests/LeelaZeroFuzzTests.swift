// Fuzzing the Leela Zero weights reader, plain and gzipped: mutated small networks are a
// LeelaZeroNetworkError or a network that evaluates a position to finite numbers.
import Foundation
import Go
import GoSearch
import MCTS
import Neural
import Tensors
import TestSupport
import XCTest

final class LeelaZeroFuzzTests: XCTestCase {
    func testMutatedWeightFilesAreReadOrRefused() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-lz-fuzz")
        defer { dir.remove() }
        let good = dir.path("lz.txt")
        let script = ExternalProcess.repositoryRoot.appendingPathComponent("scripts/go-reference/make_lz_weights.py").path
        let made = try ExternalProcess.run("python3", [script, good, "--blocks", "1", "--filters", "4", "--seed", "2"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let text = try String(contentsOfFile: good, encoding: .utf8)
        var m = Mutator(seed: 61)
        var read = 0, refused = 0
        var game = GoGame(size: 19, komi: 7.5)
        _ = game.step(GTPVertex.parse("D4", size: 19)!)
        for round in 0..<30 {   // a 19×19 file holds 350k numbers: each read is slow in debug builds
            // Edits at line level (numbers, counts of lines) as well as at byte level.
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            switch m.int(4) {
            case 0: lines.remove(at: m.int(lines.count))
            case 1: lines.insert(m.pick(["", "0", "1 2 3", "nan inf -inf", "1e39"]), at: m.int(lines.count))
            case 2: let i = m.int(lines.count); lines[i] = m.mutate(lines[i], edits: 3)
            default: lines[0] = m.pick(["1", "2", "3", "-1", "", "x"])
            }
            let path = dir.path("m\(round).txt")
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            var candidates = [path]
            if round % 4 == 0 {
                let gz = path + ".gz"
                XCTAssertEqual(try ExternalProcess.run("/bin/sh", ["-c", "gzip -c '\(path)' > '\(gz)'"]).status, 0)
                var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: gz)))
                if round % 8 == 0 { bytes = m.mutate(bytes, edits: 2) }
                try Data(bytes).write(to: URL(fileURLWithPath: gz))
                candidates.append(gz)
            }
            for file in candidates {
                do {
                    let lz = try LeelaZeroNetwork(path: file)
                    let out = NetworkEvaluator.leelaZero(lz.network, boardSize: 19).evaluate(states: [game])[0]
                    XCTAssertEqual(out.policy.count, 362)
                    read += 1
                } catch is LeelaZeroNetworkError { refused += 1 }
            }
        }
        XCTAssertGreaterThan(refused, 10)
        XCTAssertGreaterThan(read, 0)
    }
}
