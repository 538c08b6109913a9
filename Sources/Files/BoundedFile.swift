// Reading a whole file people hand to Dojo: only a regular file (a device such as /dev/zero or
// a pipe would never end), and only up to a limit the caller states for its format, checked
// against the file's size before a byte is read. Errors are one sentence naming the path.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct FileReadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum BoundedFile {
    /// The bytes of `path`, a regular file of at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw FileReadError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileReadError("cannot read \(path): not a regular file")
        }
        guard Int(info.st_size) <= limit else {
            throw FileReadError("\(path) holds \(info.st_size) bytes, more than the \(limit) this kind of file may have")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileReadError("cannot read \(path): no permission")
        }
        defer { try? handle.close() }
        do {
            // A file that grew since stat is cut at the limit plus one byte, and refused.
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else { throw FileReadError("\(path) grew past \(limit) bytes while it was read") }
            return Array(data)
        } catch let error as FileReadError {
            throw error
        } catch {
            throw FileReadError("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The text of `path` (UTF-8; invalid sequences replaced), a regular file of at most `limit` bytes.
    public static func text(_ path: String, limit: Int) throws -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    /// Sizes for the formats Dojo reads.
    public static let textLimit = 64 << 20, binaryLimit = 16 << 30
}
