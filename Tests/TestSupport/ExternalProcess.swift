// Running programs from tests: the dojo binary, Python interop scripts, xvfb. Standard error
// goes to a temporary file (a full pipe nobody reads would block the child), and a missing
// optional tool skips the test with a message — except under CI, where it is a failure.
import Foundation
import XCTest

public struct ProcessOutput {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum ExternalProcess {
    /// Runs `executable` (a path, or a name looked up through /usr/bin/env) and waits for it.
    /// `input`, when given, is its standard input (small: written whole before reading).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:],
                           input: String? = nil) throws -> ProcessOutput {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-test-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let e = (try? Data(contentsOf: errorFile)) ?? Data()
        return ProcessOutput(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                             stderr: String(decoding: e, as: UTF8.self))
    }

    /// Skips the test (fails it under CI) unless python3 can import `modules`.
    public static func requirePython(_ modules: String, hint: String = "make test installs it",
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let probe = try run("python3", ["-c", "import \(modules)"])
        guard probe.status != 0 else { return }
        let message = "python3 cannot import \(modules) (\(hint))"
        if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have it: " + message, file: file, line: line) }
        throw XCTSkip(message)
    }

    /// Runs a Python script after checking its modules.
    public static func python(_ script: String, _ arguments: [String] = [], requires modules: String) throws -> ProcessOutput {
        try requirePython(modules)
        return try run("python3", ["-c", script] + arguments)
    }

    /// The repository's root (for scripts/ and fixtures), from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
