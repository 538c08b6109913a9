// A Go player as the referee sees it: told when a game starts and which moves were played,
// asked for its move with a time limit. The same interface covers players inside this process
// (any `GoPlayer`: random, search, later networks) and outside engines spoken to over GTP, so a
// tournament never cares which kind it has. Faults are `PlayerFault`s with the end reasons of
// the match harness (`../shared/reference/go/match.py`): timeout, crash, gtp-error.
import Foundation
import Go
import RL

public struct PlayerFault: Error, CustomStringConvertible {
    /// "timeout", "crash" or "gtp-error" (the harness's end reasons).
    public let reason: String
    public let detail: String
    public var description: String { "\(reason): \(detail)" }

    init(_ error: Error) {
        switch error as? GTPEngineError {
        case .timeout?: reason = "timeout"
        case .exited?, .couldNotStart?: reason = "crash"
        default: reason = "gtp-error"
        }
        detail = "\(error)"
    }

    init(reason: String, detail: String) { self.reason = reason; self.detail = detail }
}

public protocol GoMatchPlayer: AnyObject {
    var name: String { get }
    /// A new game on an empty board; `seed` seeds any randomness the player has for this game.
    func newGame(size: Int, komi: Double, moveTime: Double, seed: UInt64) throws
    /// A move was played on the board by `colour` (opening moves and the opponent's moves).
    func played(_ action: Int, by colour: Stone, size: Int) throws
    /// Its move for the side to play in `game` (an action id or resignation); the answer is
    /// checked by the referee, not here.
    func genmove(_ game: GoGame, moveTime: Double) throws -> Move
    /// The game ended: drop per-game state (search trees). Engine processes stay up.
    func gameOver()
    /// Frees outside resources (ends engine processes); the next `newGame` starts afresh.
    func close()
}

extension GoMatchPlayer {
    public func gameOver() {}
}

/// A player inside this process, rebuilt for every game from its factory and the game's seed
/// (so a game's moves depend only on the tournament seed and the game index, not on which
/// worker thread played it).
public final class InProcessGoPlayer: GoMatchPlayer {
    public let name: String
    private let make: (UInt64) throws -> any GoPlayer
    private var player: (any GoPlayer)?

    public init(name: String, make: @escaping (UInt64) throws -> any GoPlayer) {
        self.name = name
        self.make = make
    }

    public func newGame(size: Int, komi: Double, moveTime: Double, seed: UInt64) throws { player = try make(seed) }
    public func played(_ action: Int, by colour: Stone, size: Int) {}

    public func genmove(_ game: GoGame, moveTime: Double) throws -> Move {
        guard var p = player else { throw PlayerFault(reason: "crash", detail: "\(name) was asked to move before a game started") }
        let start = Date()
        let move = p.chooseMove(game, secondsLeft: moveTime)
        player = p
        let seconds = Date().timeIntervalSince(start)
        if seconds > moveTime {
            throw PlayerFault(reason: "timeout", detail: "\(name) took \(String(format: "%.2f", seconds)) s for a move; the limit is \(moveTime) s")
        }
        return move
    }

    public func gameOver() { player = nil }
    public func close() { player = nil }
}

/// An outside engine over GTP. The process is started for the first game and kept between
/// games (engines with big networks load once); after any fault it is ended and the next game
/// starts a fresh one.
public final class GTPMatchPlayer: GoMatchPlayer {
    public let name: String
    public let command: [String]
    private let stderrPath: String?
    private var engine: GTPEngine?

    public init(name: String, command: [String], stderrPath: String? = nil) {
        self.name = name
        self.command = command
        self.stderrPath = stderrPath
    }

    /// Drives an engine the caller started (and may still talk to); it is not restarted.
    public init(engine: GTPEngine) {
        self.name = engine.name
        self.command = []
        self.stderrPath = nil
        self.engine = engine
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

    /// Any GTP command (tests ask the engine what its board holds).
    func ask(_ command: String) throws -> String { try send(command) }

    private func send(_ command: String, timeout: Double = 30) throws -> String {
        let engine = try running()
        do { return try engine.send(command, timeout: timeout) } catch {
            close()
            throw PlayerFault(error)
        }
    }

    public func newGame(size: Int, komi: Double, moveTime: Double, seed: UInt64) throws {
        _ = try send("boardsize \(size)")
        _ = try send("clear_board")
        _ = try send("komi \(komi)")
        // No time_settings: it changes how some engines play (GNU Go raises its level when told
        // it has time: 15 s instead of 1 s per game at --level 1), so an engine's strength stays
        // what its command line says; the move time is enforced by the referee.
    }

    public func played(_ action: Int, by colour: Stone, size: Int) throws {
        _ = try send("play \(colour == .black ? "b" : "w") \(GTPVertex.format(action: action, size: size))")
    }

    public func genmove(_ game: GoGame, moveTime: Double) throws -> Move {
        let answer = try send("genmove \(game.toPlay == .black ? "b" : "w")", timeout: moveTime)
        if answer.lowercased() == "resign" { return .resign }
        guard let action = GTPVertex.parse(answer, size: game.size) else {
            throw PlayerFault(reason: "illegal move", detail: "\(name) answered genmove with '\(answer)', which is not a vertex")
        }
        return .action(action)
    }

    public func close() {
        engine?.stop()
        engine = nil
    }

    /// Starts the engine and asks its name: a wrong command line fails here, in one sentence,
    /// before a tournament stores any game.
    public func probe() throws {
        defer { close() }
        do { _ = try running().send("name", timeout: 30) } catch let fault as PlayerFault {
            throw ArenaError("player '\(name)' (\(command.joined(separator: " "))) does not work as a GTP engine: \(fault.detail)")
        } catch {
            throw ArenaError("player '\(name)' (\(command.joined(separator: " "))) does not work as a GTP engine: \(error)")
        }
    }
}
