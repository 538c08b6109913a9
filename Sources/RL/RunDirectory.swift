// A training run's folder (DESIGN.md §3): runs/<env>__<agent>__<seed>__<timestamp>/ with
// config.json, metrics.csv, a TensorBoard event file, checkpoints/ and videos/. Environment ids
// are made path-safe ("minatar/breakout" → "minatar-breakout").
import Foundation
import Tensors

public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Creates a new run folder under `root`.
    public static func create(root: String, environment: String, agent: String, seed: UInt64, date: Date = Date()) throws -> RunDirectory {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        let safe = environment.map { "/:,= ".contains($0) ? "-" : $0 }
        let name = "\(String(safe))__\(agent)__\(seed)__\(f.string(from: date))"
        let run = RunDirectory(path: (root as NSString).appendingPathComponent(name))
        for sub in ["", "checkpoints", "videos"] {
            do {
                try FileManager.default.createDirectory(atPath: (run.path as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
            } catch {
                throw FileWriteError(description: "cannot create the run folder \(run.path): \(error.localizedDescription)")
            }
        }
        return run
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public var checkpoints: String { file("checkpoints") }
    public var latestCheckpoint: String { (checkpoints as NSString).appendingPathComponent("latest.safetensors") }
    public var videos: String { file("videos") }

    /// Writes a file people keep, atomically.
    public func write(_ text: String, to name: String) throws {
        try AtomicFile.write(Array(text.utf8), to: file(name))
    }
}
