// Lines from standard input with a way to ask "is more input waiting?" without blocking —
// what GTP analysis needs to stop streaming when the controller sends its next command. Reads
// with read(2) into its own buffer (stdio's hidden buffer would hide a waiting line from poll).
import Foundation

final class StandardInputLines {
    private var buffer: [UInt8] = []
    private var ended = false

    /// The next line without its newline; nil at the end of input.
    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if ended {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
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
