// The progress line of long work: frames, frames/s, ETA, ε, recent mean return, loss. Redrawn
// in place on a terminal; a plain line every 10 seconds otherwise (logs stay readable).
import Foundation
import DQN

struct ProgressLine {
    let quiet: Bool
    let tty = isatty(STDERR_FILENO) != 0
    private var started = Date(), startFrame = 0, lastPlain = Date.distantPast

    init(quiet: Bool, startFrame: Int) { self.quiet = quiet; self.startFrame = startFrame }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds)
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }

    static func text(_ p: DQNProgress, fps: Double) -> String {
        let pct = 100 * Double(p.frame) / Double(max(1, p.totalFrames))
        var t = "frame \(p.frame)/\(p.totalFrames) (\(String(format: "%.1f", pct))%)  \(Int(fps)) frames/s"
        t += "  ETA \(duration(Double(p.totalFrames - p.frame) / max(fps, 1e-9)))  ε \(String(format: "%.2f", p.epsilon))"
        t += "  episodes \(p.episodes)"
        if let r = p.recentReturn { t += "  return \(String(format: "%.2f", r))" }
        if let l = p.lastLoss { t += "  loss \(String(format: "%.4f", l))" }
        return t
    }

    mutating func update(_ p: DQNProgress) {
        guard !quiet else { return }
        let fps = Double(p.frame - startFrame) / max(1e-9, Date().timeIntervalSince(started))
        if tty {
            try? FileHandle.standardError.write(contentsOf: Data(("\r\u{1B}[K" + Self.text(p, fps: fps)).utf8))
        } else if Date().timeIntervalSince(lastPlain) >= 10 {
            printError(Self.text(p, fps: fps))
            lastPlain = Date()
        }
    }

    func finish() { if tty && !quiet { try? FileHandle.standardError.write(contentsOf: Data("\n".utf8)) } }
}
