// What a resume changed in a run's config. A resumed run may change some keys with --set or
// --config (a budget such as `iterations` or `frames`; for AlphaZero also training keys such as
// `learningRate`); nothing about that may be silent. Convention, for every trainer:
//   - config.json always holds the config in effect (rewritten atomically on a resume);
//   - config-changes.jsonl holds one line per changed key and resume,
//     {"step":S,"key":"learningRate","from":0.02,"to":0.002}, S the first step (iteration,
//     frame) run with the new value; the file is rewritten whole and atomically;
//   - LearningCurve groups runs by both files, so a run changed midway is never averaged with
//     runs that ran with either config throughout (budget keys aside).
import Files
import Foundation

/// One key a resume changed, its old and new values as compact JSON text.
public struct ConfigChange: Equatable, Sendable, CustomStringConvertible {
    public let key: String, old: String, new: String
    public init(key: String, old: String, new: String) { self.key = key; self.old = old; self.new = new }
    public var description: String { "\(key) \(old) → \(new)" }
}

extension ConfigOverrides {
    /// The keys whose values differ from `old` to `new`, sorted, with both values.
    public static func changes<C: Codable>(from old: C, to new: C) -> [ConfigChange] {
        let a = object(of: old), b = object(of: new)
        return differingKeys(old, new).sorted().map { key in
            ConfigChange(key: key, old: a[key].map(text(of:)) ?? "null", new: b[key].map(text(of:)) ?? "null")
        }
    }
}

extension RunDirectory {
    public static let configChangesFile = "config-changes.jsonl"

    /// Records the config a resumed run goes on with: `json` (the whole config) into
    /// config.json — always, so a file left stale by a process killed before its first
    /// checkpoint is put right — and `changes` (from the checkpoint's config) as lines of
    /// config-changes.jsonl stamped with `step`, the first step under the new values. The
    /// caller then saves a checkpoint at once when anything changed, so the checkpoint, the
    /// two files and a later resume agree.
    public func recordResumedConfig(json: String, changes: [ConfigChange], fromStep step: Int) throws {
        try write(json + "\n", to: "config.json")
        guard !changes.isEmpty else { return }
        let path = file(Self.configChangesFile)
        var lines = FileManager.default.fileExists(atPath: path)
            ? String(decoding: try BoundedFile.read(path, limit: 1 << 22), as: UTF8.self) : ""
        if !lines.isEmpty && !lines.hasSuffix("\n") { lines += "\n" }
        for change in changes {
            lines += "{\"step\":\(step),\"key\":\"\(change.key)\",\"from\":\(change.old),\"to\":\(change.new)}\n"
        }
        try write(lines, to: Self.configChangesFile)
    }
}
