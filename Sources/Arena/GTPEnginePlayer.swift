// An outside GTP engine as a Go player (RL/Player.swift), so it plays wherever a player can:
// `dojo play go:9 --opponent "gtp:gnugo --mode gtp"`, `dojo watch --agent gtp:...`, and
// `dojo gtp --agent gtp:...` (a proxy). The engine's board is kept in step with the game it is
// asked about: moves it has not seen are sent with `play`; when the game is not a continuation
// of what it saw (a new game, a take-back) it starts over with `clear_board`, the handicap
// stones and every move. A fault — the engine dies, answers with something that is not a legal
// move, or takes longer than the clock allows — is a resignation, and the fault is kept in
// `lastFault` (and said on standard error) so the person at the board knows why.
import Foundation
import Go
import RL

public final class GTPEnginePlayer: GoPlayer {
    public let name: String
    let engine: GTPMatchPlayer
    /// The game's moves the engine has, and its own last answer (not yet in `seen`).
    private var seen: [GoMove] = [], own: (colour: Stone, action: Int)?
    private var size = 0, komi = 0.0, handicap: [Int] = []
    public private(set) var lastFault: PlayerFault?
    /// Seconds a move may take when the game gives no clock.
    public var defaultMoveTime = 600.0

    public init(name: String, command: [String]) {
        self.name = name
        engine = GTPMatchPlayer(name: name, command: command)
    }

    /// Starts the engine once and asks its name: a wrong command line is one sentence here.
    public func probe() throws { try engine.probe() }

    public func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        do {
            try synchronise(game)
            let move = try engine.genmove(game, moveTime: secondsLeft ?? defaultMoveTime)
            guard case .action(let a) = move else { return move }
            guard game.isLegal(action: a) else {
                throw PlayerFault(reason: "illegal move", detail: "\(name) answered \(GTPVertex.format(action: a, size: game.size)), which is illegal here")
            }
            own = (game.toPlay, a)
            return move
        } catch {
            let fault = error as? PlayerFault ?? PlayerFault(error)
            lastFault = fault
            FileHandle.standardError.write(Data("\(name) resigns: \(fault)\n".utf8))
            engine.close()
            seen = []; own = nil; size = 0
            return .resign
        }
    }

    private func action(_ m: GoMove, _ game: GoGame) -> Int { m.point.map { game.board.action($0) } ?? game.passAction }

    /// Brings the engine's board to `game`.
    private func synchronise(_ game: GoGame) throws {
        var known = seen
        if let own, game.moves.count > known.count, game.moves[known.count].color == own.colour,
           action(game.moves[known.count], game) == own.action {
            known.append(game.moves[known.count])
        }
        let continues = size == game.size && komi == game.komi && handicap == game.handicapStones
            && game.moves.count >= known.count && Array(game.moves.prefix(known.count)) == known
        if !continues {
            try engine.newGame(size: game.size, komi: game.komi, moveTime: defaultMoveTime, seed: 0)
            for p in game.handicapStones { try engine.played(game.board.action(p), by: .black, size: game.size) }
            known = []
            size = game.size; komi = game.komi; handicap = game.handicapStones
        }
        for m in game.moves.dropFirst(known.count) { try engine.played(action(m, game), by: m.color, size: game.size) }
        seen = game.moves
        own = nil
    }
}
