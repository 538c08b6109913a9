// Runs the games of a two-player (Go) tournament that the results store does not hold yet,
// `parallel` at a time. Each worker thread owns its own player instances (so every outside
// engine has its own process), takes the next unplayed game, has it refereed, writes the SGF
// atomically and commits the row before taking another. Faults lose the game and never stop
// the tournament; the runner stops early only when asked (Ctrl-C) or when an SPRT decides.
import Foundation
import Go
import Tensors

public final class GoTournament: @unchecked Sendable {   // shared state is guarded by `lock`
    public let store: ResultsStore
    public var settings: TournamentSettings { store.settings }
    let makePlayer: (_ player: Int, _ worker: Int) throws -> GoMatchPlayer
    let scorer: GoScorer
    /// Called after each finished game with every finished game so far (under the lock).
    public var onGame: ((GameRow, [GameRow]) -> Void)?

    private let lock = NSLock()
    private var finished: [GameRow] = []
    private var firstWithMoves: [String: Int] = [:]
    private var pending: [ScheduledGame] = []
    private var sprtDecided = false

    /// `makePlayer(i, w)`: a new instance of player i for worker w (each worker has its own).
    public init(store: ResultsStore, scorer: GoScorer, makePlayer: @escaping (_ player: Int, _ worker: Int) throws -> GoMatchPlayer) throws {
        self.store = store
        self.scorer = scorer
        self.makePlayer = makePlayer
        finished = try store.games()
        for g in finished where g.duplicateOf == nil { firstWithMoves[duplicateKey(g)] = g.index }
        let done = Set(finished.map(\.index))
        pending = store.settings.schedule.filter { !done.contains($0.index) }
        sprtDecided = sprtDecision(finished) != nil
    }

    public var remaining: Int { lock.withLock { sprtDecided ? 0 : pending.count } }

    /// Plays every remaining game; returns all finished games.
    @discardableResult
    public func run(parallel: Int, shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> [GameRow] {
        try WorkerThreads.run(parallel) { [self] worker in
            var players: [Int: GoMatchPlayer] = [:]
            defer { players.values.forEach { $0.close() } }
            while !shouldStop(), let scheduled = take() {
                do {
                    try commit(try play(scheduled, worker: worker, players: &players))
                } catch {
                    lock.withLock { pending.removeAll() }   // the others stop after their current game
                    throw error
                }
            }
        }
        return lock.withLock { finished }
    }

    private func take() -> ScheduledGame? {
        lock.withLock { sprtDecided || pending.isEmpty ? nil : pending.removeFirst() }
    }

    private func player(_ i: Int, worker: Int, _ players: inout [Int: GoMatchPlayer]) throws -> GoMatchPlayer {
        if let p = players[i] { return p }
        let p = try makePlayer(i, worker)
        players[i] = p
        return p
    }

    /// The random opening of a round pair: moves of the light-playout policy (no eye filling).
    public static func opening(seed: UInt64, moves: Int, rules: GoRules) -> [Int] {
        var game = GoGame(size: rules.size, komi: rules.komi, maxMoves: rules.maxMoves)
        var chooser = RandomGoPlayer(seed: seed)
        var actions: [Int] = []
        while actions.count < moves && !game.isOver {
            let a = chooser.chooseMove(game, secondsLeft: nil)
            actions.append(a)
            _ = game.step(a)
        }
        return actions
    }

    func play(_ s: ScheduledGame, worker: Int, players: inout [Int: GoMatchPlayer]) throws -> GameRow {
        guard let rules = settings.rules else { throw ArenaError("a Go tournament needs board rules") }
        let black = try player(s.black, worker: worker, &players), white = try player(s.white, worker: worker, &players)
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
            let path = URL(fileURLWithPath: dir).appendingPathComponent(String(format: "game_%05d.sgf", s.index)).path
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

    func duplicateKey(_ g: GameRow) -> String { "\(g.black) \(g.white) \(g.moves)" }

    private func commit(_ row: GameRow) throws {
        try lock.withLock {
            var row = row
            row.duplicateOf = firstWithMoves[duplicateKey(row)]
            try store.record(row)
            if row.duplicateOf == nil { firstWithMoves[duplicateKey(row)] = row.index }
            finished.append(row)
            finished.sort { $0.index < $1.index }
            if sprtDecision(finished) != nil { sprtDecided = true }
            onGame?(row, finished)
        }
    }

    /// The SPRT's decision for player 0 of a match, nil while undecided or without an SPRT.
    public func sprtDecision(_ games: [GameRow]) -> SPRT.Decision? {
        guard let sprt = settings.sprt else { return nil }
        let s = Standings(games: games, players: settings.players.count)
        let d = sprt.decision(wins: s.wins[0], draws: s.draws[0], losses: s.losses[0])
        return d == .continuing ? nil : d
    }
}
