// Running the dojo binary built next to the test bundle, capturing its output.
import Foundation
import TestSupport
import XCTest

struct Run { let status: Int32; let stdout: String; let stderr: String }

protocol RunsDojo {}

extension RunsDojo {
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

    func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> Run {
        let r = try ExternalProcess.run(try dojo.path, arguments, environment: environment)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}
