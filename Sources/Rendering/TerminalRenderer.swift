// Frames in a terminal: 24-bit ANSI colours, two pixels per character cell with the upper
// half block "▀" (foreground = top pixel, background = bottom pixel), redrawn in place (cursor
// home, no clearing, so nothing flickers) and scaled to fit the terminal.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RL

public struct TerminalRenderer {
    /// Columns and rows available (from the terminal, or 80×24 when not a terminal).
    public var columns: Int, rows: Int
    private var started = false

    public init(columns: Int? = nil, rows: Int? = nil) {
        let size = Self.terminalSize()
        self.columns = columns ?? size.columns
        self.rows = rows ?? size.rows
    }

    public static func terminalSize() -> (columns: Int, rows: Int) {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 {
            return (Int(w.ws_col), Int(w.ws_row))
        }
        return (80, 24)
    }

    /// The largest nearest-neighbour size that fits `columns` × (rows − reserved)·2 pixels,
    /// keeping the aspect ratio; integer upscaling when the frame is small.
    public func fittedSize(for size: FrameSize, reservedRows: Int = 2) -> FrameSize {
        let maxW = max(1, columns), maxH = max(2, (rows - reservedRows) * 2)
        let scale = min(Double(maxW) / Double(size.width), Double(maxH) / Double(size.height))
        let factor = scale >= 1 ? Double(Int(scale)) : scale
        return FrameSize(width: max(1, Int(Double(size.width) * factor)), height: max(2, Int(Double(size.height) * factor)))
    }

    /// The escape-coded text of a frame (already at terminal size), one line per two pixel rows.
    public static func encode(_ frame: Frame) -> String {
        var out = ""
        out.reserveCapacity(frame.width * frame.height * 20)
        var y = 0
        while y < frame.height {
            var lastTop: RGB?, lastBottom: RGB?
            for x in 0..<frame.width {
                let top = frame[x, y], bottom = y + 1 < frame.height ? frame[x, y + 1] : RGB.black
                if top != lastTop { out += "\u{1B}[38;2;\(top.r);\(top.g);\(top.b)m"; lastTop = top }
                if bottom != lastBottom { out += "\u{1B}[48;2;\(bottom.r);\(bottom.g);\(bottom.b)m"; lastBottom = bottom }
                out += "▀"
            }
            out += "\u{1B}[0m\n"
            y += 2
        }
        return out
    }

    /// Draws a frame and a status line, in place after the first call.
    public mutating func draw(_ frame: Frame, status: String) {
        var text = started ? "\u{1B}[H" : "\u{1B}[2J\u{1B}[H\u{1B}[?25l"
        started = true
        text += Self.encode(frame.resized(to: fittedSize(for: frame.size)))
        text += status + "\u{1B}[K\n"
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    /// Shows the cursor again and leaves the picture on screen.
    public func finish() {
        if started { try? FileHandle.standardOutput.write(contentsOf: Data("\u{1B}[0m\u{1B}[?25h".utf8)) }
    }
}
