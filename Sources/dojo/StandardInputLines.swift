// Lines from standard input with a way to ask "is more input waiting?" without blocking —
// what GTP analysis needs to stop streaming when the controller sends its next command. Reads
// with read(2) into its own buffer (stdio's hidden buffer would hide a waiting line from poll).
// A line longer than `maxLine` (no GTP command comes close) is not kept: its bytes are dropped
// up to its newline and it is returned as `overlongLine`, which the session answers with a
// failure, so a hostile stream cannot make the buffer grow without bound.
import Foundation

final class StandardInputLines {
    static let maxLine = 1 << 20
    static let overlongLine = "dojo-line-too-long"
    private var buffer: [UInt8] = []
    private var ended = false
    /// Dropping the rest of an overlong line.
    private var discarding = false

    /// Bytes of `buffer` already searched for a newline (each byte is looked at once).
    private var scanned = 0

    /// The next line without its newline; nil at the end of input.
    func next() -> String? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 10) {
                let line = discarding ? Self.overlongLine : String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                scanned = 0
                discarding = false
                return line
            }
            scanned = buffer.count
            if ended {
                guard !buffer.isEmpty || discarding else { return nil }
                defer { buffer.removeAll(); scanned = 0; discarding = false }
                return discarding ? Self.overlongLine : String(decoding: buffer, as: UTF8.self)
            }
            if buffer.count > Self.maxLine {
                buffer.removeAll(keepingCapacity: true)
                scanned = 0
                discarding = true
            }
            fill()
        }
    }

    /// Whether a whole line (or the end of input) is waiting.
    var hasPendingInput: Bool {
        if buffer.contains(10) || ended { return true }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        fill()
        return buffer.contains(10) || ended
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = read(STDIN_FILENO, &chunk, chunk.count)
        if n <= 0 { ended = true } else { buffer.append(contentsOf: chunk[0..<n]) }
    }
}
