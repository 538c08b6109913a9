// The progress line of long work: frames, frames/s, ETA, then the learner's own fields (DQN and R2D2: ε,
// episodes, recent mean return, loss). Redrawn in place on a terminal; a plain line every 10
// seconds otherwise (logs stay readable).
import Foundation
import DQN

final class ProgressLine {
    let quiet: Bool
    let tty = isatty(STDERR_FILENO) != 0
    private var started = Date(), startFrame = 0, lastPlain = Date.distantPast

    init(quiet: Bool, startFrame: Int) { self.quiet = quiet; self.startFrame = startFrame }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds)
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }

    static func text(frame: Int, totalFrames: Int, fps: Double, details: String) -> String {
        let pct = 100 * Double(frame) / Double(max(1, totalFrames))
        var t = "frame \(frame)/\(totalFrames) (\(String(format: "%.1f", pct))%)  \(Int(fps)) frames/s"
        t += "  ETA \(duration(Double(totalFrames - frame) / max(fps, 1e-9)))"
        return details.isEmpty ? t : t + "  " + details
    }

    /// Redraws the line: where a run is (`frame` of `totalFrames`) and the learner's own fields.
    func update(frame: Int, totalFrames: Int, details: String) {
        guard !quiet else { return }
        let fps = Double(frame - startFrame) / max(1e-9, Date().timeIntervalSince(started))
        let line = Self.text(frame: frame, totalFrames: totalFrames, fps: fps, details: details)
        if tty {
            try? FileHandle.standardError.write(contentsOf: Data(("\r\u{1B}[K" + line).utf8))
        } else if Date().timeIntervalSince(lastPlain) >= 10 {
            printError(line)
            lastPlain = Date()
        }
    }

    func update(_ p: DQNProgress) {
        var details = "ε \(String(format: "%.2f", p.epsilon))  episodes \(p.episodes)"
        if let r = p.recentReturn { details += "  return \(String(format: "%.2f", r))" }
        if let l = p.lastLoss { details += "  loss \(String(format: "%.4f", l))" }
        update(frame: p.frame, totalFrames: p.totalFrames, details: details)
    }

    func finish() { if tty && !quiet { try? FileHandle.standardError.write(contentsOf: Data("\n".utf8)) } }
}
