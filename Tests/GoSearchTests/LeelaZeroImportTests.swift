// Leela Zero network files in Dojo: a random network written by the reference script
// (`../shared/reference/go/make_lz_weights.py`, copied into scripts/go-reference) is loaded
// plain and gzipped, and its policy and value on a position agree with Leela Zero's own
// evaluation (`leelaz --cpu-only`, GTP `heatmap 0`: the raw network output for the identity
// symmetry, policy in per mille, winrate = (1 + value)/2 for the side to move).
import Foundation
import Go
import GoSearch
import MCTS
import Neural
import TestSupport
import XCTest

final class LeelaZeroImportTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory(prefix: "dojo-lz") }
    override func tearDown() { temporary.remove() }

    func randomNetwork(blocks: Int = 2, filters: Int = 16, seed: Int = 3) throws -> String {
        let path = directory.appendingPathComponent("lz-\(blocks)x\(filters).txt").path
        let script = ExternalProcess.repositoryRoot.appendingPathComponent("scripts/go-reference/make_lz_weights.py").path
        let r = try ExternalProcess.run("python3", [script, path, "--blocks", "\(blocks)", "--filters", "\(filters)", "--seed", "\(seed)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return path
    }

    var leelaz: String {
        get throws {
            for p in ["/usr/games/leelaz", "/usr/bin/leelaz"] where FileManager.default.isExecutableFile(atPath: p) { return p }
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have Leela Zero (make test installs leela-zero)") }
            throw XCTSkip("Leela Zero is not installed (apt-get install --no-install-recommends leela-zero)")
        }
    }

    func testLoadsPlainAndGzippedFilesAlike() throws {
        let path = try randomNetwork()
        let gz = path + ".gz"
        XCTAssertEqual(try ExternalProcess.run("/bin/sh", ["-c", "gzip -c '\(path)' > '\(gz)'"]).status, 0)
        let plain = try LeelaZeroNetwork(path: path), zipped = try LeelaZeroNetwork(path: gz)
        XCTAssertEqual(plain.blocks, 2)
        XCTAssertEqual(plain.filters, 16)
        let game = position()
        let a = NetworkEvaluator.leelaZero(plain.network, boardSize: 19).evaluate(states: [game])[0]
        let b = NetworkEvaluator.leelaZero(zipped.network, boardSize: 19).evaluate(states: [game])[0]
        XCTAssertEqual(a.policy, b.policy)
        XCTAssertEqual(a.value, b.value)
        XCTAssertEqual(a.policy.reduce(0, +), 1, accuracy: 1e-4)
        // Damaged files are one sentence.
        let broken = directory.appendingPathComponent("broken.txt").path
        try "1\n0.1 0.2\n".write(toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LeelaZeroNetwork(path: broken)) { XCTAssertTrue("\($0)".contains("lines"), "\($0)") }
        XCTAssertThrowsError(try LeelaZeroNetwork(path: directory.appendingPathComponent("none.gz").path))
    }

    /// Files whose declared sizes would ask for gigabytes: refused quickly, before allocating.
    func testHostileFilesAreRefusedBeforeAllocating() throws {
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        // 60 KB declaring 30,000 filters (line 3 has 30,000 numbers).
        let wide = try write("wide.txt", (["1", "0", Array(repeating: "0", count: 30_000).joined(separator: " ")]
                                          + Array(repeating: "0", count: 2 + 14)).joined(separator: "\n"))
        // 200,000 empty blocks in a few MB.
        let deep = try write("deep.txt", (["1", "0", "0 0"] + Array(repeating: "0", count: 2 + 8 * 200_000 + 14)).joined(separator: "\n"))
        // A small file that claims 8 filters and 2 blocks but holds no weights.
        let hollow = try write("hollow.txt", (["1", "0", "0 0 0 0 0 0 0 0"] + Array(repeating: "0", count: 2 + 16 + 14)).joined(separator: "\n"))
        for (path, message) in [(wide, "beyond any Leela Zero network"), (deep, "beyond any Leela Zero network"), (hollow, "cannot hold")] {
            XCTAssertThrowsError(try LeelaZeroNetwork(path: path)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
        // 200 KB of gzip that inflates to 200 MB of zeros: stopped at the inflation limit (64 MB here).
        let bomb = directory.appendingPathComponent("bomb.gz").path
        XCTAssertEqual(try ExternalProcess.run("/bin/sh", ["-c", "head -c 200000000 /dev/zero | gzip -9 > '\(bomb)'"]).status, 0)
        XCTAssertThrowsError(try LeelaZeroNetwork(path: bomb)) { XCTAssertTrue("\($0)".contains("inflates past"), "\($0)") }
    }

    /// Black D4, White Q16, Black C3, White R4: White... then Black to move.
    func position() -> GoGame {
        var game = GoGame(size: 19, komi: 7.5)
        for v in ["D4", "Q16", "C3", "R4", "K10"] { _ = game.step(GTPVertex.parse(v, size: 19)!) }
        return game
    }

    func testPolicyAndValueAgreeWithLeelaZero() throws {
        let engine = try leelaz
        let path = try randomNetwork()
        let moves = ["b D4", "w Q16", "b C3", "w R4", "b K10"].map { "play \($0)" }.joined(separator: "\\n")
        let r = try ExternalProcess.run("/bin/sh", ["-c", "printf '\(moves)\\nheatmap 0\\nquit\\n' | '\(engine)' --cpu-only -g --noponder -t 1 -w '\(path)'"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The heatmap: 19 rows of 19 per-mille numbers (top row first), then pass and winrate.
        let lines = r.stderr.split(separator: "\n").map(String.init)
        guard let passLine = lines.firstIndex(where: { $0.hasPrefix("pass:") }), passLine >= 19,
              let winLine = lines.first(where: { $0.hasPrefix("winrate:") }),
              let winrate = Double(winLine.dropFirst("winrate:".count).trimmingCharacters(in: .whitespaces)) else {
            return XCTFail("no heatmap in Leela Zero's output:\n\(r.stderr)")
        }
        let grid = lines[(passLine - 19)..<passLine].map { $0.split(separator: " ").compactMap { Int($0) } }
        let lzPass = Int(lines[passLine].dropFirst("pass:".count).trimmingCharacters(in: .whitespaces))!
        let ours = NetworkEvaluator.leelaZero(try LeelaZeroNetwork(path: path).network, boardSize: 19)
            .evaluate(states: [position()])[0]
        // Leela Zero prints ⌊1000·p⌋ and shows occupied points as 0.
        let game = position()
        var worst = 0, exact = 0
        for row in 0..<19 {
            XCTAssertEqual(grid[row].count, 19)
            for col in 0..<19 {
                let a = row * 19 + col
                let expected = game.isLegal(action: a) ? Int(ours.policy[a] * 1000) : 0
                worst = max(worst, abs(expected - grid[row][col]))
                if expected == grid[row][col] { exact += 1 }
            }
        }
        worst = max(worst, abs(Int(ours.policy[361] * 1000) - lzPass))
        XCTAssertLessThanOrEqual(worst, 1, "per-mille priors differ from Leela Zero's by up to \(worst)")
        XCTAssertGreaterThanOrEqual(exact, 350, "all but float-rounding borderline cases are equal")
        XCTAssertGreaterThan(Set(grid.flatMap { $0 }).count, 5, "a non-trivial policy")
        XCTAssertEqual((1 + Double(ours.value)) / 2, winrate, accuracy: 2e-6, "winrate for the side to move")
    }
}
