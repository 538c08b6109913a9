// One game between two GTP engines, refereed by Dojo's own rules: genmove from the side to
// move, the move checked against a `GoGame`, then played on the other engine. Two passes end
// the game; so does a resignation, an illegal move, an engine error (the offender loses), or
// the move cap (scored as it stands).
import Go

public struct GTPGameResult: Sendable {
    public enum End: Equatable, Sendable {
        case passes, moveCap, resignation(Stone), forfeit(Stone, reason: String)
    }
    public var game: GoGame
    public var end: End
    /// "B+3.5", "W+R", "B+F" (forfeit), "0".
    public var result: String
}

public enum GTPGame {
    public static func play(black: GTPEngine, white: GTPEngine, size: Int = 9, komi: Double = 7.5,
                            maxMoves: Int? = nil, moveTimeout: Double = 60) throws -> GTPGameResult {
        for engine in [black, white] {
            try engine.send("boardsize \(size)")
            try engine.send("clear_board")
            try engine.send("komi \(komi)")
        }
        var game = GoGame(size: size, komi: komi, maxMoves: maxMoves ?? 4 * size * size)
        func forfeit(_ loser: Stone, _ reason: String) -> GTPGameResult {
            GTPGameResult(game: game, end: .forfeit(loser, reason: reason), result: (loser == .black ? "W" : "B") + "+F")
        }
        while !game.isOver {
            let mover = game.toPlay, (engine, other) = mover == .black ? (black, white) : (white, black)
            let colour = mover == .black ? "b" : "w"
            let answer: String
            do { answer = try engine.send("genmove \(colour)", timeout: moveTimeout) } catch {
                return forfeit(mover, "\(error)")
            }
            if answer.lowercased() == "resign" {
                return GTPGameResult(game: game, end: .resignation(mover), result: (mover == .black ? "W" : "B") + "+R")
            }
            guard let action = GTPVertex.parse(answer, size: size), game.isLegal(action: action) else {
                return forfeit(mover, "\(engine.name) played '\(answer)', which is not a legal move")
            }
            do { try other.send("play \(colour) \(answer)") } catch {
                return forfeit(mover == .black ? .white : .black, "\(error)")
            }
            _ = game.step(action)
        }
        return GTPGameResult(game: game, end: game.wasTruncated ? .moveCap : .passes, result: game.resultString)
    }
}
