// Runs the games of a two-player tournament that the results store does not hold yet,
// `parallel` at a time, whatever the game: each worker thread gets its own `TournamentWorker`
// (its own player instances — for Go its own engine processes), takes the next unplayed game,
// has the worker play it and commits the row before taking another. The runner stops early only
// when asked (Ctrl-C) or when an SPRT decides. A game whose players, colours and moves repeat
// an earlier one is marked as its duplicate (deterministic players replay games).
import Foundation

/// One worker thread's player of scheduled games.
public protocol TournamentWorker: AnyObject {
    func play(_ game: ScheduledGame) throws -> GameRow
    /// Called once when the worker is done (outside engines quit here).
    func close()
}

public class HeadToHeadTournament: @unchecked Sendable {   // shared state is guarded by `lock`
    public let store: ResultsStore
    public var settings: TournamentSettings { store.settings }
    let makeWorker: (_ worker: Int) throws -> TournamentWorker
    /// Called after each finished game with every finished game so far (under the lock).
    public var onGame: ((GameRow, [GameRow]) -> Void)?

    private let lock = NSLock()
    private var finished: [GameRow] = []
    private var firstWithMoves: [String: Int] = [:]
    private var pending: [ScheduledGame] = []
    private var sprtDecided = false

    public init(store: ResultsStore, makeWorker: @escaping (_ worker: Int) throws -> TournamentWorker) throws {
        self.store = store
        self.makeWorker = makeWorker
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
        try WorkerThreads.run(parallel) { [self] index in
            let worker = try makeWorker(index)
            defer { worker.close() }
            while !shouldStop(), let scheduled = take() {
                do {
                    try commit(try worker.play(scheduled))
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
