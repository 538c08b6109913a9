// One refereed Go game between two players (RL/Player.swift), with Dojo's own rules as the
// judge (the match harness's behaviour, `../shared/reference/go/match.py`): players that keep
// their own copy of the game (OutsidePlayer.swift) are given a fresh game and the opening
// moves; the side to move is asked for a move, the move is checked against a `GoGame`
// (occupied, suicide, positional superko) and told to the other side. Two passes
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
    /// referee. `names`: what results call the players (default: their own names). `score`
    /// turns a finished board into a result ("B+3.5"); the default counts Tromp-Taylor area.
    public static func play(black: any Player, white: any Player, names: (black: String, white: String)? = nil,
                            rules: GoRules, opening: [Int] = [],
                            score: (GoGame) -> String = { $0.resultString }) -> RefereedGame {
        var game = GoGame(size: rules.size, komi: rules.komi, maxMoves: rules.maxMoves)
        var players = [black, white]
        let names = names.map { [$0.black, $0.white] } ?? [black.name, white.name]
        var seconds: [Double] = []
        func seat(_ colour: Stone) -> Int { colour == .black ? 0 : 1 }
        func finish(_ end: GameEnd, _ result: String, _ detail: String = "") -> RefereedGame {
            RefereedGame(game: game, end: end, result: result, detail: detail, seconds: seconds, openingMoves: opening.count)
        }
        func forfeit(_ loser: Stone, _ fault: PlayerFault) -> RefereedGame {
            let end = GameEnd(rawValue: fault.reason) ?? .gtpError
            return finish(end, (loser == .black ? "W" : "B") + (end == .resign ? "+R" : "+F"), fault.detail)
        }
        /// Tells a player that keeps its own copy of the game where the game now stands.
        func follow(_ colour: Stone) throws {
            try (players[seat(colour)] as? any OutsidePlayer)?.follow(game)
        }
        for colour in [Stone.black, .white] {
            do { try follow(colour) } catch { return forfeit(colour, PlayerFault(error)) }
        }
        for action in opening where game.isLegal(action: action) && !game.isOver {
            _ = game.step(action)
            seconds.append(0)
            for colour in [Stone.black, .white] {
                do { try follow(colour) } catch { return forfeit(colour, PlayerFault(error)) }
            }
        }
        while !game.isOver {
            let mover = game.toPlay, other: Stone = mover == .black ? .white : .black
            let name = names[seat(mover)]
            let start = Date()
            let move = players[seat(mover)].move(in: game, secondsLeft: rules.moveTime)
            let took = Date().timeIntervalSince(start)
            seconds.append(took)
            if let fault = (players[seat(mover)] as? any OutsidePlayer)?.lastFault { return forfeit(mover, fault) }
            if took > rules.moveTime {
                return forfeit(mover, PlayerFault(reason: "timeout", detail: "\(name) took \(String(format: "%.2f", took)) s for a move; the limit is \(rules.moveTime) s"))
            }
            guard let action = move.action else {
                return finish(.resign, (mover == .black ? "W" : "B") + "+R", "\(name) resigned")
            }
            guard (0..<game.actionCount).contains(action), game.isLegal(action: action) else {
                let vertex = (0..<game.actionCount).contains(action) ? GTPVertex.format(action: action, size: rules.size) : "action \(action)"
                return forfeit(mover, PlayerFault(reason: "illegal move", detail: "\(name) played \(vertex), which is illegal here"))
            }
            _ = game.step(action)
            do { try follow(other) } catch {
                let fault = PlayerFault(error)
                if fault.reason == "gtp-error" {
                    return finish(.dispute, "Void", "\(names[seat(other)]) refused \(GTPVertex.format(action: action, size: rules.size)), which the referee judged legal: \(fault.detail)")
                }
                return forfeit(other, fault)
            }
        }
        return finish(game.wasTruncated ? .moveCap : .twoPasses, score(game))
    }
}
