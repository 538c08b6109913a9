// Reading configs and checkpoints written before AlphaZero learned games other than Go (before
// 2026-11-23): their config names no environment but a board size and komi, and their
// checkpoints carry no observation shape. Runs and checkpoints people keep must still load, so
// this file turns that old form into today's: the id `go:N,komi=K` and AlphaGo Zero's 17
// input planes of N×N with N² + 1 actions. The facts about Go here are those of the old file
// format; everything Go-specific in playing lives in the Go glue (Agents/GoSearch).
import Foundation
import RL

extension AlphaZeroConfig {
    /// The environment id of a stored config that names none (a Go run of the old format), or
    /// nil when it names one.
    static func legacyGoEnvironment(_ stored: [String: Any]) throws -> String? {
        if let id = stored["environment"], !(id is NSNull) { return nil }
        let size = (stored["boardSize"] as? NSNumber)?.intValue ?? 9
        let komi = (stored["komi"] as? NSNumber)?.doubleValue ?? 7.5
        guard (2...19).contains(size), komi.isFinite, (-1_000...1_000).contains(komi) else {
            throw AlphaZeroError("the stored AlphaZero config's boardSize \(size) or komi \(komi) is out of range; the file is damaged")
        }
        return "go:\(size),komi=\(komi)"
    }

    /// The network's input and output for a checkpoint of the old format, whose config was
    /// turned into `go:N,…` by `legacyGoEnvironment`.
    static func legacyGoShape(_ environment: String) -> PositionShape? {
        guard environment.hasPrefix("go:"), let size = Int(environment.dropFirst(3).prefix { $0.isNumber }), (2...19).contains(size) else { return nil }
        return PositionShape(observation: ObservationShape(channels: 17, height: size, width: size), actions: size * size + 1)
    }
}
