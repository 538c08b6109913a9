// An outside GTP engine as a Go player (RL/Player.swift), so it plays wherever a player can:
// `dojo play go:9 --opponent "gtp:gnugo --mode gtp"`, `dojo watch --agent gtp:...`,
// `dojo gtp --agent gtp:...` (a proxy) and tournaments. The engine's board is kept in step with
// the game it is asked about: moves it has not seen are sent with `play`; when the game is not
// a continuation of what it saw (a new game, a take-back) it starts over with `boardsize`,
// `clear_board`, `komi`, the handicap stones and every move. The process is started on first
// use and kept between games (engines with big networks load once); after any fault it is ended
// and the next use starts a fresh one. A fault while choosing a move — the engine dies, answers
// with something that is not a legal move, or takes longer than the clock allows — is a
// resignation, kept in `lastFault` (and said on standard error when `announcesFaults`).
import Foundation
import Go
import RL

public final class GTPEnginePlayer: GoPlayer, OutsidePlayer {
    public let name: String
    public let command: [String]
    private let stderrPath: String?
    private var engine: GTPEngine?
    /// The game's moves the engine has, and its own last answer (not yet in `seen`).
    private var seen: [GoMove] = [], own: (colour: Stone, action: Int)?
    private var size = 0, komi = 0.0, handicap: [Int] = []
    public private(set) var lastFault: PlayerFault?
    /// Seconds a move may take when the game gives no clock.
    public var defaultMoveTime = 600.0
    /// Whether a fault is also written to standard error (the person at the board wants it; a
    /// tournament records it in its table instead).
    public var announcesFaults = true

    /// `stderrPath`: where the engine's standard error goes (default: this process's).
    public init(name: String, command: [String], stderrPath: String? = nil) {
        self.name = name
        self.command = command
        self.stderrPath = stderrPath
    }

    /// Drives an engine the caller started (and may still talk to); it is not restarted.
    public init(engine: GTPEngine) {
        name = engine.name
        command = []
        stderrPath = nil
        self.engine = engine
    }

    /// Starts the engine and asks its name: a wrong command line is one sentence here, before a
    /// game starts.
    public func probe() throws {
        defer { close() }
        do { _ = try running().send("name", timeout: 30) } catch {
            let detail = (error as? PlayerFault)?.detail ?? "\(error)"
            throw ArenaError("'\(command.joined(separator: " "))' does not work as a GTP engine: \(detail)")
        }
    }

    /// Ends the engine's process; the next use starts a fresh one.
    public func close() {
        engine?.stop()
        engine = nil
        seen = []; own = nil; size = 0
    }

    public func follow(_ game: GoGame) throws {
        do { try synchronise(game) } catch { throw fail(error) }
    }

    public func chooseMove(_ game: GoGame, secondsLeft: Double?) -> Move {
        lastFault = nil
        do {
            try synchronise(game)
            let answer = try send("genmove \(game.toPlay == .black ? "b" : "w")", timeout: secondsLeft ?? defaultMoveTime)
            if answer.lowercased() == "resign" { return .resign }
            guard let a = GTPVertex.parse(answer, size: game.size) else {
                throw PlayerFault(reason: "illegal move", detail: "\(name) answered genmove with '\(answer)', which is not a vertex")
            }
            guard game.isLegal(action: a) else {
                throw PlayerFault(reason: "illegal move", detail: "\(name) answered \(answer), which is illegal here")
            }
            own = (game.toPlay, a)
            return .action(a)
        } catch {
            let fault = fail(error)
            lastFault = fault
            if announcesFaults { FileHandle.standardError.write(Data("\(name) resigns: \(fault)\n".utf8)) }
            return .resign
        }
    }

    /// Any GTP command (tests ask the engine what its board holds).
    func ask(_ command: String) throws -> String { try send(command) }

    /// After a fault the engine's state is unknown: it is ended, and the next use starts afresh.
    private func fail(_ error: Error) -> PlayerFault {
        close()
        return PlayerFault(error)
    }

    private func running() throws -> GTPEngine {
        if let engine, engine.isRunning || command.isEmpty { return engine }
        engine?.stop()
        do {
            let started = try GTPEngine(command: command, name: name, stderrPath: stderrPath)
            engine = started
            return started
        } catch { throw PlayerFault(error) }
    }

    private func send(_ command: String, timeout: Double = 30) throws -> String {
        do { return try running().send(command, timeout: timeout) } catch { throw PlayerFault(error) }
    }

    private func action(_ m: GoMove, _ game: GoGame) -> Int { m.point.map { game.board.action($0) } ?? game.passAction }

    private func play(_ action: Int, by colour: Stone, size: Int) throws {
        _ = try send("play \(colour == .black ? "b" : "w") \(GTPVertex.format(action: action, size: size))")
    }

    /// Brings the engine's board to `game`.
    private func synchronise(_ game: GoGame) throws {
        var known = seen
        if let own, game.moves.count > known.count, game.moves[known.count].color == own.colour,
           action(game.moves[known.count], game) == own.action {
            known.append(game.moves[known.count])
        }
        let continues = size == game.size && komi == game.komi && handicap == game.handicapStones
            && game.moves.count >= known.count && Array(game.moves.prefix(known.count)) == known
            && !(game.moves.isEmpty && !known.isEmpty)
        if !continues {
            _ = try send("boardsize \(game.size)")
            _ = try send("clear_board")
            _ = try send("komi \(game.komi)")
            // No time_settings: it changes how some engines play (GNU Go raises its level when
            // told it has time: 15 s instead of 1 s per game at --level 1), so an engine's
            // strength stays what its command line says; the clock is kept by the caller.
            for p in game.handicapStones { try play(game.board.action(p), by: .black, size: game.size) }
            known = []
            size = game.size; komi = game.komi; handicap = game.handicapStones
        }
        for m in game.moves.dropFirst(known.count) { try play(action(m, game), by: m.color, size: game.size) }
        seen = game.moves
        own = nil
    }
}
