// A fresh directory per test, removed when the test ends (`let dir = try TemporaryDirectory()`
// in setUp, `dir.remove()` in tearDown).
import Foundation

public final class TemporaryDirectory {
    public let url: URL

    public init(prefix: String = "dojo-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
