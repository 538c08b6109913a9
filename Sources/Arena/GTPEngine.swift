// A GTP client: an outside Go engine (GNU Go, Pachi, Leela Zero, another Dojo) run as a child
// process and driven command by command. Each command has a timeout; a crash, an exit, a
// timeout or a malformed answer becomes a `GTPEngineError` naming the engine and the command,
// so one misbehaving engine loses its game instead of hanging or killing the caller. The
// engine's standard error goes to a file (or nowhere), never to a pipe nobody reads. Writing
// to an engine that has died would raise SIGPIPE and end the whole process without a word, so
// starting an engine makes the process ignore SIGPIPE (the write then fails and is reported).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum GTPEngineError: Error, CustomStringConvertible, Equatable {
    case couldNotStart(String)
    case failure(engine: String, command: String, message: String)
    case timeout(engine: String, command: String, seconds: Double)
    case exited(engine: String, command: String, status: Int32)
    case protocolError(engine: String, command: String, text: String)

    public var description: String {
        switch self {
        case .couldNotStart(let why): return why
        case let .failure(e, c, m): return "\(e) refused '\(c)': \(m)"
        case let .timeout(e, c, s): return "\(e) did not answer '\(c)' within \(s) seconds"
        case let .exited(e, c, s): return "\(e) exited (status \(s)) while answering '\(c)'"
        case let .protocolError(e, c, t): return "\(e) answered '\(c)' with something that is not GTP: \(t.prefix(80))"
        }
    }
}

public final class GTPEngine: @unchecked Sendable {   // the buffer is guarded by `lock`
    public let name: String
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private let arrived = DispatchSemaphore(value: 0)
    private var nextID = 1

    /// Starts `command` (program and arguments, no shell). `stderrPath`: where its standard
    /// error goes (nil: discarded).
    public init(command: [String], name: String? = nil, stderrPath: String? = nil) throws {
        signal(SIGPIPE, SIG_IGN)
        guard let program = command.first else { throw GTPEngineError.couldNotStart("empty engine command") }
        self.name = name ?? URL(fileURLWithPath: program).lastPathComponent
        guard let path = GTPEngine.resolve(program) else {
            throw GTPEngineError.couldNotStart("cannot start engine '\(command.joined(separator: " "))': no program '\(program)' on PATH (or in /usr/games, where Debian puts GNU Go)")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.dropFirst())
        process.standardInput = input
        process.standardOutput = output
        if let stderrPath {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock(); self.buffer.append(data); self.lock.unlock()
            self.arrived.signal()
        }
        do { try process.run() } catch {
            throw GTPEngineError.couldNotStart("cannot start engine '\(command.joined(separator: " "))': \(error.localizedDescription)")
        }
    }

    deinit { stop() }

    /// The executable a command name runs: a path as given, else the first match on PATH, then
    /// /usr/games (not on PATH by default in Debian, where gnugo lives).
    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return program }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/games"]
        return dirs.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public var isRunning: Bool { process.isRunning }

    /// Sends one command and returns the text of a successful answer (without "= ").
    @discardableResult
    public func send(_ command: String, timeout: Double = 30) throws -> String {
        let id = nextID
        nextID += 1
        guard process.isRunning else { throw GTPEngineError.exited(engine: name, command: command, status: process.terminationStatus) }
        do {
            try input.fileHandleForWriting.write(contentsOf: Data("\(id) \(command)\n".utf8))
        } catch {
            throw GTPEngineError.exited(engine: name, command: command, status: process.isRunning ? -1 : process.terminationStatus)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let response = takeResponse() { return try parse(response, id: id, command: command) }
            if !process.isRunning {
                // Drain what it wrote before exiting.
                Thread.sleep(forTimeInterval: 0.05)
                if let response = takeResponse() { return try parse(response, id: id, command: command) }
                throw GTPEngineError.exited(engine: name, command: command, status: process.terminationStatus)
            }
            let wait = deadline.timeIntervalSinceNow
            if wait <= 0 { throw GTPEngineError.timeout(engine: name, command: command, seconds: timeout) }
            _ = arrived.wait(timeout: .now() + min(wait, 0.2))
        }
    }

    /// One complete response (up to the blank line), removed from the buffer.
    private func takeResponse() -> String? {
        lock.lock(); defer { lock.unlock() }
        let text = String(decoding: buffer, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
        guard let end = text.range(of: "\n\n") else { return nil }
        let response = String(text[..<end.lowerBound])
        buffer = Data(text[end.upperBound...].utf8)
        return response
    }

    private func parse(_ response: String, id: Int, command: String) throws -> String {
        let trimmed = response.drop { $0 == "\n" }
        guard let status = trimmed.first, status == "=" || status == "?" else {
            throw GTPEngineError.protocolError(engine: name, command: command, text: String(trimmed))
        }
        var rest = trimmed.dropFirst()
        let digits = rest.prefix { $0.isNumber }
        if !digits.isEmpty, Int(digits) != id {
            throw GTPEngineError.protocolError(engine: name, command: command, text: "answer for id \(digits), expected \(id)")
        }
        rest = rest.dropFirst(digits.count)
        let text = rest.trimmingCharacters(in: .whitespaces)
        if status == "?" { throw GTPEngineError.failure(engine: name, command: command, message: text) }
        return text
    }

    /// Asks the engine to quit, then ends the process if it does not.
    public func stop() {
        guard process.isRunning else { return }
        _ = try? send("quit", timeout: 2)
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate() }
        output.fileHandleForReading.readabilityHandler = nil
    }
}
