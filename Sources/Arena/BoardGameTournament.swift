// Tournaments of two-player environments other than Go (Tic-tac-toe, Connect Four, ...): the
// head-to-head runner (HeadToHeadTournament.swift) with in-process policies, each game played
// from the environment's start, the first `randomOpeningMoves` moves uniformly random (the same
// opening for the two colour-swapped games of a round pair). The results file's "Black" is the
// player who moves first (player 0); results are "B+1" and "W+1" for a win of the first or
// second player, "0" for a draw; moves are action ids separated by spaces; reasons "terminated"
// (the rules ended the game) or "move cap" (the environment's step limit, scored as it stands).
import Foundation
import RL
import Tensors

public final class BoardGameTournament: HeadToHeadTournament, @unchecked Sendable {
    /// `makePlayer(i, seed)`: player i, seeded for one game.
    public init(store: ResultsStore, makeEnvironment: @escaping () throws -> any Environment,
                makePlayer: @escaping (_ player: Int, _ seed: UInt64) throws -> any Player) throws {
        let settings = store.settings
        try super.init(store: store) { _ in BoardGameWorker(settings: settings, makeEnvironment: makeEnvironment, makePlayer: makePlayer) }
    }
}

final class BoardGameWorker: TournamentWorker {
    let settings: TournamentSettings
    let makeEnvironment: () throws -> any Environment
    let makePlayer: (_ player: Int, _ seed: UInt64) throws -> any Player

    init(settings: TournamentSettings, makeEnvironment: @escaping () throws -> any Environment,
         makePlayer: @escaping (_ player: Int, _ seed: UInt64) throws -> any Player) {
        self.settings = settings; self.makeEnvironment = makeEnvironment; self.makePlayer = makePlayer
    }

    func close() {}

    func play(_ s: ScheduledGame) throws -> GameRow {
        var env = try makeEnvironment()
        guard env.playerCount == 2 else { throw ArenaError("\(settings.env) is not a two-player game") }
        let players = [try makePlayer(s.black, settings.playerSeed(game: s.index, player: s.black)),
                       try makePlayer(s.white, settings.playerSeed(game: s.index, player: s.white))]
        let game = Self.play(&env, players, openingMoves: settings.randomOpeningMoves, openingSeed: s.openingSeed)
        let result: String, reason: String
        if let loser = game.resigned {
            result = loser == 0 ? "W+R" : "B+R"; reason = "resign"
        } else {
            result = game.rewards[0] > game.rewards[1] ? "B+1" : game.rewards[1] > game.rewards[0] ? "W+1" : "0"
            reason = game.capped ? "move cap" : "terminated"
        }
        return GameRow(index: s.index, black: s.black, white: s.white, result: result, reason: reason,
                       detail: "", moves: game.moves.map(String.init).joined(separator: " "), moveCount: game.moves.count,
                       secondsBlack: game.seconds[0], secondsWhite: game.seconds[1], sgf: nil, duplicateOf: nil)
    }

    /// One game with the environment's concrete type; `players[k]` moves for player k (or
    /// resigns: `resigned` names who).
    static func play<E: Environment>(_ env: inout E, _ players: [any Player], openingMoves: Int, openingSeed: UInt64)
        -> (moves: [Int], rewards: SIMD2<Float>, seconds: [Double], capped: Bool, resigned: Int?) {
        var players = players
        var opening = RandomPolicy(seed: openingSeed)
        var moves: [Int] = [], rewards = SIMD2<Float>.zero, seconds = [0.0, 0.0]
        let cap = env.maxEpisodeSteps ?? 100_000
        while !env.isOver && moves.count < cap {
            let mover = env.currentPlayer
            let action: Int
            if moves.count < openingMoves {
                action = opening.act(on: env)
            } else {
                let start = Date()
                let move = players[mover].move(in: env, secondsLeft: nil)
                seconds[mover] += Date().timeIntervalSince(start)
                guard let a = move.action else { return (moves, rewards, seconds, false, mover) }
                action = a
            }
            rewards += env.step(action).rewards
            moves.append(action)
        }
        return (moves, rewards, seconds, !env.isOver, nil)
    }
}
