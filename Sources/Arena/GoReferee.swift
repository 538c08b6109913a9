// One refereed Go game between two `GoMatchPlayer`s, with Dojo's own rules as the judge (the
// match harness's behaviour, `../shared/reference/go/match.py`): both players get a fresh game
// and the opening moves; the side to move is asked for a move, the move is checked against a
// `GoGame` (occupied, suicide, positional superko) and forwarded to the other side. Two passes
// end the game and it is scored; so does the move cap (scored as it stands). A resignation, an
// illegal move, a timeout, a crash or a protocol error loses the game for the side at fault.
// If a player refuses a move the referee judged legal, the game is void ("dispute").
import Foundation
import Go
import RL

/// How a game ended, with the harness's end-reason names.
public enum GameEnd: String, Codable, Sendable, CaseIterable {
    case twoPasses = "two passes", moveCap = "move cap", resign, illegalMove = "illegal move"
    case timeout, crash, gtpError = "gtp-error", dispute
}

public struct RefereedGame: Sendable {
    public var game: GoGame
    public var end: GameEnd
    /// "B+3.5", "W+R", "B+F" (forfeit), "0" (draw), "Void".
    public var result: String
    public var detail: String
    /// Think time of each move in seconds (opening moves: 0).
    public var seconds: [Double]
    public var openingMoves: Int

    /// Who won: .black, .white, or nil for a draw or a void game.
    public var winner: Stone? {
        switch result.first {
        case "B": return .black
        case "W": return .white
        default: return nil
        }
    }
    public var isVoid: Bool { end == .dispute }
}

public struct GoRules: Sendable, Codable, Equatable {
    public var size: Int
    public var komi: Double
    /// Moves per game including passes (default 4·N², as the harness).
    public var maxMoves: Int
    /// Seconds allowed for one move.
    public var moveTime: Double
    public init(size: Int = 9, komi: Double = 7.5, maxMoves: Int? = nil, moveTime: Double = 60) {
        self.size = size; self.komi = komi; self.maxMoves = maxMoves ?? 4 * size * size; self.moveTime = moveTime
    }
}

public enum GoReferee {
    /// Plays one game. `opening`: action ids played first, alternately from Black, by the
    /// referee on both boards. `score` turns a finished board into a result ("B+3.5");
    /// the default counts Tromp-Taylor area.
    public static func play(black: GoMatchPlayer, white: GoMatchPlayer, rules: GoRules, opening: [Int] = [],
                            seeds: (black: UInt64, white: UInt64) = (0, 0),
                            score: (GoGame) -> String = { $0.resultString }) -> RefereedGame {
        var game = GoGame(size: rules.size, komi: rules.komi, maxMoves: rules.maxMoves)
        var seconds: [Double] = []
        func finish(_ end: GameEnd, _ result: String, _ detail: String = "") -> RefereedGame {
            RefereedGame(game: game, end: end, result: result, detail: detail, seconds: seconds, openingMoves: opening.count)
        }
        func forfeit(_ loser: Stone, _ fault: PlayerFault) -> RefereedGame {
            let end = GameEnd(rawValue: fault.reason) ?? .gtpError
            return finish(end, (loser == .black ? "W" : "B") + (end == .resign ? "+R" : "+F"), fault.detail)
        }
        for (player, colour, seed) in [(black, Stone.black, seeds.black), (white, Stone.white, seeds.white)] {
            do { try player.newGame(size: rules.size, komi: rules.komi, moveTime: rules.moveTime, seed: seed) } catch {
                return forfeit(colour, error as? PlayerFault ?? PlayerFault(error))
            }
        }
        for action in opening where game.isLegal(action: action) && !game.isOver {
            let mover = game.toPlay
            for (player, colour) in [(black, Stone.black), (white, Stone.white)] {
                do { try player.played(action, by: mover, size: rules.size) } catch {
                    return forfeit(colour, error as? PlayerFault ?? PlayerFault(error))
                }
            }
            _ = game.step(action)
            seconds.append(0)
        }
        while !game.isOver {
            let mover = game.toPlay
            let (player, other) = mover == .black ? (black, white) : (white, black)
            let start = Date()
            let move: Move
            do { move = try player.genmove(game, moveTime: rules.moveTime) } catch {
                return forfeit(mover, error as? PlayerFault ?? PlayerFault(error))
            }
            seconds.append(Date().timeIntervalSince(start))
            guard let action = move.action else {
                return finish(.resign, (mover == .black ? "W" : "B") + "+R", "\(player.name) resigned")
            }
            guard (0..<game.actionCount).contains(action), game.isLegal(action: action) else {
                let vertex = (0..<game.actionCount).contains(action) ? GTPVertex.format(action: action, size: rules.size) : "action \(action)"
                return forfeit(mover, PlayerFault(reason: "illegal move", detail: "\(player.name) played \(vertex), which is illegal here"))
            }
            do { try other.played(action, by: mover, size: rules.size) } catch {
                let fault = error as? PlayerFault ?? PlayerFault(error)
                if fault.reason == "gtp-error" {
                    _ = game.step(action)
                    return finish(.dispute, "Void", "\(other.name) refused \(GTPVertex.format(action: action, size: rules.size)), which the referee judged legal: \(fault.detail)")
                }
                return forfeit(mover == .black ? .white : .black, fault)
            }
            _ = game.step(action)
        }
        return finish(game.wasTruncated ? .moveCap : .twoPasses, score(game))
    }
}
