// Running the dojo binary built next to the test bundle, capturing its output.
import Foundation
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
}
