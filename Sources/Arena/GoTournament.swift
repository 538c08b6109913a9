// Go tournaments: the head-to-head runner (HeadToHeadTournament.swift) with Go workers — each
// worker thread owns its own seats (so every outside engine has its own process), has each game
// refereed, writes the SGF atomically and returns the row. Faults lose the game and never stop
// the tournament.
import Foundation
import Go
import RL
import Tensors

/// How a worker gets player i for one game, from the game's seed. In-process players are made
/// afresh for every game (a game's moves then depend only on the tournament seed and the game
/// index, not on which worker played it); an outside engine is one process, kept between games
/// and handed out again.
public typealias Seat = (_ seed: UInt64) throws -> any Player

public final class GoTournament: HeadToHeadTournament, @unchecked Sendable {
    /// `makeSeat(i, w)`: player i's seat for worker w (each worker has its own).
    public init(store: ResultsStore, scorer: GoScorer, makeSeat: @escaping (_ player: Int, _ worker: Int) throws -> Seat) throws {
        let settings = store.settings
        let prefix = GoTournament.sgfPrefix(database: store.database.path)
        try super.init(store: store) { worker in
            GoWorker(settings: settings, scorer: scorer, worker: worker, sgfPrefix: prefix, makeSeat: makeSeat)
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

/// One worker thread's Go games: its own seats, created on first use.
final class GoWorker: TournamentWorker {
    let settings: TournamentSettings
    let scorer: GoScorer
    let worker: Int
    let sgfPrefix: String
    let makeSeat: (_ player: Int, _ worker: Int) throws -> Seat
    var seats: [Int: Seat] = [:]

    init(settings: TournamentSettings, scorer: GoScorer, worker: Int, sgfPrefix: String,
         makeSeat: @escaping (_ player: Int, _ worker: Int) throws -> Seat) {
        self.settings = settings; self.scorer = scorer; self.worker = worker; self.sgfPrefix = sgfPrefix; self.makeSeat = makeSeat
    }

    /// Drops the seats: an outside engine's process ends with its last reference.
    func close() { seats = [:] }

    private func player(_ i: Int, game: Int) throws -> any Player {
        let seat = try seats[i] ?? makeSeat(i, worker)
        seats[i] = seat
        return try seat(settings.playerSeed(game: game, player: i))
    }

    func play(_ s: ScheduledGame) throws -> GameRow {
        guard let rules = settings.rules else { throw ArenaError("a Go tournament needs board rules") }
        let black = try player(s.black, game: s.index), white = try player(s.white, game: s.index)
        let opening = GoTournament.opening(seed: s.openingSeed, moves: settings.randomOpeningMoves, rules: rules)
        var note: String?
        let names = (settings.players[s.black].name, settings.players[s.white].name)
        let refereed = GoReferee.play(black: black, white: white, names: names, rules: rules, opening: opening) { game in
            let scored = scorer.score(game)
            note = scored.note
            return scored.result
        }
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
