// Scoring finished games. Tromp-Taylor area (Dojo's own count) is right only when the players
// play the game out; engines like GNU Go pass with dead stones still on the board, so the
// default when GNU Go is installed is the harness's: a fresh `gnugo --mode gtp --chinese-rules`
// replays the game and answers `final_score` (area scoring with dead stones removed).
import Foundation
import Go

public enum GoScorer: Sendable, Equatable {
    case trompTaylor
    case gnugo(command: [String])

    /// "tt", "gnugo" or "auto" (gnugo when installed, else tt).
    public static func named(_ name: String) throws -> GoScorer {
        switch name {
        case "tt": return .trompTaylor
        case "gnugo", "auto":
            if let path = findGNUGo() { return .gnugo(command: [path, "--mode", "gtp", "--chinese-rules"]) }
            if name == "auto" { return .trompTaylor }
            throw ArenaError("--scorer gnugo needs GNU Go (apt-get install gnugo); use --scorer tt to count Tromp-Taylor area instead")
        default: throw ArenaError("unknown scorer '\(name)'; choose tt, gnugo or auto")
        }
    }

    public var name: String {
        switch self {
        case .trompTaylor: return "tt"
        case .gnugo: return "gnugo"
        }
    }

    /// The SGF rules property the scores correspond to.
    public var rules: String { self == .trompTaylor ? "Tromp-Taylor" : "Chinese" }

    public static func findGNUGo() -> String? { GTPEngine.resolve("gnugo") }

    /// The result of a finished game; falls back to Tromp-Taylor (saying so in `note`) when the
    /// outside scorer fails.
    public func score(_ game: GoGame) -> (result: String, note: String?) {
        guard case .gnugo(let command) = self else { return (game.resultString, nil) }
        do {
            let engine = try GTPEngine(command: command, name: "gnugo scorer")
            defer { engine.stop() }
            try engine.send("boardsize \(game.size)")
            try engine.send("clear_board")
            try engine.send("komi \(game.komi)")
            for move in game.moves {
                let vertex = move.point.map { GTPVertex.format($0, board: game.board) } ?? "pass"
                try engine.send("play \(move.color == .black ? "b" : "w") \(vertex)")
            }
            let answer = try engine.send("final_score", timeout: 120)
            return (answer == "0" ? "0" : answer, nil)
        } catch {
            return (game.resultString, "GNU Go could not score the game (\(error)); Tromp-Taylor count used")
        }
    }
}

public struct ArenaError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
