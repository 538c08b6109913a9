// End-to-end tests of the `dojo` binary: exit codes, one-sentence errors, the JSON schema of
// `dojo bench`, and OpenBLAS kernel selection (the re-exec on AVX-512 CPUs, a user's choice kept).
import Foundation
import XCTest

final class CLITests: XCTestCase {
    /// The dojo binary built next to this test bundle.
    var dojo: URL {
        get throws {
            let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for candidate in [here, here.deletingLastPathComponent()] {
                let url = candidate.appendingPathComponent("dojo")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw XCTSkip("dojo binary not found next to \(here.path); run through `swift test`")
        }
    }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = try dojo
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func testHelpListsSubcommandsWithExamples() throws {
        let r = try run(["--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("bench"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Examples:"), r.stdout)
        let bench = try run(["bench", "--help"])
        XCTAssertTrue(bench.stdout.contains("dojo bench core"), bench.stdout)
        XCTAssertTrue(bench.stdout.contains("--threads"), bench.stdout)
    }

    func testUnknownWorkloadAndBadThreadsAreOneSentenceErrors() throws {
        let r = try run(["bench", "warp-drive"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("unknown workload 'warp-drive'; choose one of: core, gemm"), r.stderr)
        let t = try run(["bench", "gemm", "--threads", "0"])
        XCTAssertNotEqual(t.status, 0)
        XCTAssertTrue(t.stderr.contains("--threads must be between 1 and 256"), t.stderr)
    }

    func testBenchJSONLinesFollowTheStableSchema() throws {
        let r = try run(["bench", "dqn-step", "--json", "--repeats", "2", "--min-time", "0.01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "the step and its three parts")
        for (index, line) in lines.enumerated() {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["workload", "threads", "batch", "unit", "median", "min", "max", "runs"] {
                XCTAssertNotNil(object[key], "missing \(key) in \(line)")
            }
            XCTAssertEqual(object["workload"] as? String, "dqn-step")
            XCTAssertEqual(object["unit"] as? String, index == 0 ? "steps/s" : "calls/s")
            XCTAssertEqual(object["batch"] as? Int, 32)
            XCTAssertEqual(object["runs"] as? Int, 2)
            let median = try XCTUnwrap(object["median"] as? Double)
            XCTAssertGreaterThan(median, 0)
            XCTAssertLessThanOrEqual(try XCTUnwrap(object["min"] as? Double), median)
        }
    }

    func testKernelSelectionRespectsTheUserAndUpgradesAVX512() throws {
        let user = try run(["info"], environment: ["OPENBLAS_CORETYPE": "Haswell"])
        XCTAssertEqual(user.status, 0, user.stderr)
        XCTAssertTrue(user.stdout.contains("OpenBLAS kernels: Haswell (OPENBLAS_CORETYPE=Haswell set by the user)"), user.stdout)

        let auto = try run(["info"], environment: ["OPENBLAS_CORETYPE": nil, "DOJO_CHOSE_OPENBLAS_CORETYPE": nil])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ").map(String.init)) } ?? []
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            XCTAssertTrue(auto.stdout.contains("OpenBLAS kernels: SkylakeX (OPENBLAS_CORETYPE=SkylakeX set by dojo"), auto.stdout)
        } else {
            XCTAssertTrue(auto.stdout.contains("OPENBLAS_CORETYPE unset, OpenBLAS's own detection"), auto.stdout)
        }
        XCTAssertFalse(auto.stdout.contains("Prescott"), "a modern CPU must never run the SSE3 fallback kernels: \(auto.stdout)")
    }
}
