// Go tournaments: the head-to-head runner (HeadToHeadTournament.swift) with Go workers — each
// worker thread owns its own player instances (so every outside engine has its own process),
// has each game refereed, writes the SGF atomically and returns the row. Faults lose the game
// and never stop the tournament.
import Foundation
import Go
import Tensors

public final class GoTournament: HeadToHeadTournament, @unchecked Sendable {
    /// `makePlayer(i, w)`: a new instance of player i for worker w (each worker has its own).
    public init(store: ResultsStore, scorer: GoScorer, makePlayer: @escaping (_ player: Int, _ worker: Int) throws -> GoMatchPlayer) throws {
        let settings = store.settings
        let prefix = GoTournament.sgfPrefix(database: store.database.path)
        try super.init(store: store) { worker in
            GoWorker(settings: settings, scorer: scorer, worker: worker, sgfPrefix: prefix, makePlayer: makePlayer)
        }
    }

    /// SGF files are named after the results file (`<db name>_game_00001.sgf`), so two
    /// tournaments can share an --sgf-dir without overwriting each other's games.
    public static func sgfPrefix(database path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + "_game_"
    }

    /// The random opening of a round pair: moves of the light-playout policy (no eye filling).
    public static func opening(seed: UInt64, moves: Int, rules: GoRules) -> [Int] {
        var game = GoGame(size: rules.size, komi: rules.komi, maxMoves: rules.maxMoves)
        var chooser = RandomGoPlayer(seed: seed)
        var actions: [Int] = []
        while actions.count < moves && !game.isOver {
            guard let a = chooser.chooseMove(game, secondsLeft: nil).action else { break }
            actions.append(a)
            _ = game.step(a)
        }
        return actions
    }
}

/// One worker thread's Go games: its own player instances, created on first use.
final class GoWorker: TournamentWorker {
    let settings: TournamentSettings
    let scorer: GoScorer
    let worker: Int
    let sgfPrefix: String
    let makePlayer: (_ player: Int, _ worker: Int) throws -> GoMatchPlayer
    var players: [Int: GoMatchPlayer] = [:]

    init(settings: TournamentSettings, scorer: GoScorer, worker: Int, sgfPrefix: String,
         makePlayer: @escaping (_ player: Int, _ worker: Int) throws -> GoMatchPlayer) {
        self.settings = settings; self.scorer = scorer; self.worker = worker; self.sgfPrefix = sgfPrefix; self.makePlayer = makePlayer
    }

    func close() { players.values.forEach { $0.close() } }

    private func player(_ i: Int) throws -> GoMatchPlayer {
        if let p = players[i] { return p }
        let p = try makePlayer(i, worker)
        players[i] = p
        return p
    }

    func play(_ s: ScheduledGame) throws -> GameRow {
        guard let rules = settings.rules else { throw ArenaError("a Go tournament needs board rules") }
        let black = try player(s.black), white = try player(s.white)
        let opening = GoTournament.opening(seed: s.openingSeed, moves: settings.randomOpeningMoves, rules: rules)
        let seeds = (settings.playerSeed(game: s.index, player: s.black), settings.playerSeed(game: s.index, player: s.white))
        var note: String?
        let refereed = GoReferee.play(black: black, white: white, rules: rules, opening: opening, seeds: seeds) { game in
            let scored = scorer.score(game)
            note = scored.note
            return scored.result
        }
        black.gameOver()
        white.gameOver()
        let vertices = refereed.game.moves.map { m in m.point.map { GTPVertex.format($0, board: refereed.game.board) } ?? "pass" }
        var seconds = (black: 0.0, white: 0.0)
        for (k, t) in refereed.seconds.enumerated() {   // colours alternate from Black (no handicap in tournaments)
            if k % 2 == 0 { seconds.black += t } else { seconds.white += t }
        }
        let detail = [refereed.detail, note].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
        var row = GameRow(index: s.index, black: s.black, white: s.white, result: refereed.result, reason: refereed.end.rawValue,
                          detail: detail, moves: vertices.joined(separator: " "), moveCount: vertices.count,
                          secondsBlack: seconds.black, secondsWhite: seconds.white, sgf: nil, duplicateOf: nil)
        if let dir = settings.sgfDir {
            let path = URL(fileURLWithPath: dir).appendingPathComponent(sgfPrefix + String(format: "%05d.sgf", s.index)).path
            try writeSGF(refereed, row: row, to: path)
            row.sgf = path
        }
        return row
    }

    func writeSGF(_ refereed: RefereedGame, row: GameRow, to path: String) throws {
        try refereed.writeSGF(to: path, black: settings.players[row.black].name, white: settings.players[row.white].name,
                              rules: (try? GoScorer.named(settings.scorer))?.rules ?? "Tromp-Taylor",
                              comment: "Dojo tournament game \(row.index)")
    }
}
