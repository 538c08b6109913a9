// A pointer from `withUnsafeBufferPointer` is valid only inside its closure. `Array(…)` around
// `t.withUnsafeBufferPointer` with the closure `{ $0 }` copies after the closure has returned,
// when the tensor may already be gone: Swift ends an object's life at its last use, so a
// temporary (a Parameter built in the same statement, a file's tensor) can be freed before the
// copy, which then reads whatever the allocator wrote there. It made R2D2's resume flaky (one
// run in five restored a stored state's first values as garbage). Copy inside the closure
// instead: `t.withUnsafeBufferPointer { Array($0) }`. This test keeps the form out of the package.
import Foundation
import XCTest

final class PointerEscapeTests: XCTestCase {
    func testNoBufferPointerEscapesItsClosure() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let escaping = "BufferPointer { " + "$0 })"
        var offenders: [String] = [], read = 0
        for folder in ["Sources", "Agents", "Environments", "Tests"] {
            let base = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                read += 1
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(escaping) {
                    offenders.append("\(url.path.dropFirst(root.path.count + 1)):\(n + 1)")
                }
            }
        }
        XCTAssertGreaterThan(read, 300, "the package's sources were found")
        XCTAssertEqual(offenders, [], "copy inside the closure: withUnsafeBufferPointer { Array($0) }")
    }
}
