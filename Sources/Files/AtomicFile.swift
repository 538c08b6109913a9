// Files people keep are written atomically: bytes go to a temporary file in the same folder,
// which is fsynced and renamed over the destination, then the folder is fsynced. A crash at
// any moment leaves either the old file or the new one, never a torn one.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct FileWriteError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }

    /// The system's words for a failed write ("No space left on device").
    public static func reason(_ error: Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}

public enum AtomicFile {
    /// The temporary file's name for `name`: `.<name>.tmp-<pid>`.
    public static func temporaryName(for name: String, pid: Int32 = getpid()) -> String { ".\(name).tmp-\(pid)" }

    /// Whether `name` is one of `temporaryName`'s (left behind when a writer was killed).
    public static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let range = name.range(of: ".tmp-", options: .backwards) else { return false }
        let pid = name[range.upperBound...]
        return !pid.isEmpty && pid.allSatisfy(\.isASCII) && pid.allSatisfy(\.isNumber)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/" + temporaryName(for: url.lastPathComponent)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw FileWriteError(description: "cannot create \(temporary): \(String(cString: strerror(errno))); check that the folder exists and is writable")
        }
        var ok = true
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { ok = false; return }
                done += n
            }
        }
        let reason = String(cString: strerror(errno))
        if !ok || fsync(fd) != 0 {
            close(fd); unlink(temporary)
            throw FileWriteError(description: "cannot write \(path): \(reason)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileWriteError(description: "cannot move the new file into place at \(path): \(reason)")
        }
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }
}
