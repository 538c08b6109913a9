// Keys from a terminal in raw mode (no echo, no line buffering), read without blocking, for
// `dojo play --terminal`. Arrow keys arrive as escape sequences (ESC [ A…D). The terminal's
// previous settings are restored by `restore()`, also when the program is interrupted.
import Foundation
import RL
#if canImport(Glibc)
import Glibc
#endif

public final class TerminalKeys {
    private var original = termios()
    private var active = false
    nonisolated(unsafe) private static var saved: termios?

    public init() throws {
        guard isatty(STDIN_FILENO) != 0 else {
            throw ViewerError("--terminal play needs a terminal on standard input; use the window instead")
        }
        tcgetattr(STDIN_FILENO, &original)
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0; cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        active = true
        Self.saved = original
        signal(SIGINT) { _ in
            if var t = TerminalKeys.saved { tcsetattr(STDIN_FILENO, TCSANOW, &t) }
            try? FileHandle.standardOutput.write(contentsOf: Data("\u{1B}[0m\u{1B}[?25h\n".utf8))
            exit(130)
        }
    }

    deinit { restore() }

    public func restore() {
        guard active else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &original)
        active = false
        signal(SIGINT, SIG_DFL)
    }

    /// Every key pressed since the last call.
    public func poll() -> [InputEvent] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return Self.parse(bytes)
    }

    /// Decodes raw terminal bytes into keys (separate for tests).
    public static func parse(_ bytes: [UInt8]) -> [InputEvent] {
        var keys: [InputEvent] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B, i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                switch bytes[i + 2] {
                case UInt8(ascii: "A"): keys.append(.control(.up))
                case UInt8(ascii: "B"): keys.append(.control(.down))
                case UInt8(ascii: "C"): keys.append(.control(.right))
                case UInt8(ascii: "D"): keys.append(.control(.left))
                default: break
                }
                i += 3
                continue
            }
            switch b {
            case 0x1B, UInt8(ascii: "q"), UInt8(ascii: "Q"): keys.append(.quit)
            case UInt8(ascii: "w"), UInt8(ascii: "W"): keys.append(.control(.up))
            case UInt8(ascii: "s"), UInt8(ascii: "S"): keys.append(.control(.down))
            case UInt8(ascii: "a"), UInt8(ascii: "A"): keys.append(.control(.left))
            case UInt8(ascii: "d"), UInt8(ascii: "D"): keys.append(.control(.right))
            case UInt8(ascii: " "): keys.append(.control(.fire))
            case UInt8(ascii: "p"), UInt8(ascii: "P"): keys.append(.pause)
            case UInt8(ascii: "n"), UInt8(ascii: "N"): keys.append(.step)
            case UInt8(ascii: "u"), UInt8(ascii: "U"): keys.append(.undo)
            case UInt8(ascii: "+"), UInt8(ascii: "="): keys.append(.faster)
            case UInt8(ascii: "-"), UInt8(ascii: "_"): keys.append(.slower)
            case UInt8(ascii: "1")...UInt8(ascii: "9"): keys.append(.digit(Int(b - UInt8(ascii: "0"))))
            default: break
            }
            i += 1
        }
        return keys
    }
}
