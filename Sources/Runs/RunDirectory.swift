// A training run's folder (DESIGN.md §3): runs/<env>__<agent>__<seed>__<time>-<suffix>/ with
// config.json (and config-changes.jsonl once a resume changes it: ConfigChanges.swift),
// metrics.csv, a TensorBoard event file, checkpoints/ and videos/. Environment ids
// are made path-safe ("minatar/breakout" → "minatar-breakout").
//
// Never two writers, never two runs in one folder: a new folder is created with mkdir (which
// fails if the name exists, so two runs started in the same second get different suffixes),
// and a process that writes a run holds an exclusive flock on `<run>/.lock` (with its pid in
// the file) until it exits; a second writer is refused with a sentence naming the holder.
// Whoever takes the lock also removes the temporary files a killed writer left behind.
import Files
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct RunFolderError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The exclusive hold on a run folder; released when the process exits (or this is freed).
public final class RunLock: @unchecked Sendable {
    private let fd: Int32

    /// Takes the lock on `folder`, or says who holds it.
    public init(folder: String) throws {
        let path = (folder as NSString).appendingPathComponent(".lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunFolderError("cannot open the run's lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = RunLock.readHolder(fd)
            close(fd)
            throw RunFolderError("the run \(folder) is in use by another process\(holder.map { " (pid \($0))" } ?? ""); wait for it to finish or stop it first")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    deinit { close(fd) }

    private static func readHolder(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

public struct RunDirectory: Sendable {
    public let path: String
    /// Held while this process writes the run (nil for a folder opened only to read).
    public let lock: RunLock?

    /// A folder to read (plot, eval): no lock.
    public init(path: String) {
        self.path = path
        lock = nil
    }

    private init(path: String, lock: RunLock) {
        self.path = path
        self.lock = lock
    }

    /// Creates a new run folder under `root`, exclusively, and locks it.
    public static func create(root: String, environment: String, agent: String, seed: UInt64, date: Date = Date()) throws -> RunDirectory {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        let safe = environment.map { "/:,= ".contains($0) ? "-" : $0 }
        let stem = "\(String(safe))__\(agent)__\(seed)__\(f.string(from: date))-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(description: "cannot create the runs folder \(root): \(error.localizedDescription)")
        }
        for attempt in 0..<1_000 {
            let path = (root as NSString).appendingPathComponent(attempt == 0 ? stem : "\(stem)-\(attempt)")
            if mkdir(path, 0o755) == 0 {
                let run = RunDirectory(path: path, lock: try RunLock(folder: path))
                try run.createSubfolders()
                return run
            }
            guard errno == EEXIST else {
                throw FileWriteError(description: "cannot create the run folder \(path): \(String(cString: strerror(errno)))")
            }
        }
        throw FileWriteError(description: "cannot find a free run folder name for \(stem) in \(root)")
    }

    /// An existing run to continue: it must exist and hold a checkpoint; it is locked, and the
    /// temporary files of writers killed mid-write are removed.
    public static func resume(_ path: String) throws -> RunDirectory {
        guard isFolder(path) else { throw RunFolderError("--resume \(path): no such run folder") }
        let run = RunDirectory(path: path, lock: try RunLock(folder: path))
        guard FileManager.default.fileExists(atPath: run.latestCheckpoint) else {
            throw RunFolderError("--resume \(path): the run has no checkpoint (checkpoints/latest.safetensors) to continue from")
        }
        run.removeStaleTemporaryFiles()
        try run.createSubfolders()
        return run
    }

    /// A checkpoint a user named: a run folder stands for its latest checkpoint.
    public static func checkpoint(named path: String) throws -> String {
        guard isFolder(path) else { return path }
        let latest = RunDirectory(path: path).latestCheckpoint
        guard FileManager.default.fileExists(atPath: latest) else {
            throw RunFolderError("\(path) is a folder without checkpoints/latest.safetensors; name a run folder of dojo train or a .safetensors file")
        }
        return latest
    }

    /// Whether `path` is a folder (a run folder, when a checkpoint is expected).
    public static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public var checkpoints: String { file("checkpoints") }
    public var latestCheckpoint: String { (checkpoints as NSString).appendingPathComponent("latest.safetensors") }
    public var videos: String { file("videos") }

    /// Writes a file people keep, atomically.
    public func write(_ text: String, to name: String) throws {
        try AtomicFile.write(Array(text.utf8), to: file(name))
    }

    /// checkpoints/ and videos/ (again, if someone removed them).
    public func createSubfolders() throws {
        for sub in [checkpoints, videos] {
            do {
                try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            } catch {
                throw FileWriteError(description: "cannot create \(sub): \(error.localizedDescription)")
            }
        }
    }

    /// Removes `AtomicFile`'s temporary files (`.<name>.tmp-<pid>`) anywhere in the run. Only
    /// the lock holder calls this, so none of them belongs to a live writer.
    @discardableResult
    public func removeStaleTemporaryFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var removed: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard AtomicFile.isTemporaryName(name) else { continue }
            let full = file(relative)
            if (try? FileManager.default.removeItem(atPath: full)) != nil { removed.append(full) }
        }
        return removed
    }
}
