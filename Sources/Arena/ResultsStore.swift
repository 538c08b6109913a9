// The tournament's results in one SQLite file: the settings (as versioned JSON, so `--resume`
// rebuilds the same schedule), the players, and one row per finished game or episode. Every
// row is committed (WAL, synchronous=FULL) before the next game starts, so a tournament killed
// at any moment — even `kill -9` — loses only games that were still being played, and the
// primary key on the game number means a game can never be stored twice.
import Foundation

public struct GameRow: Sendable, Equatable, Codable {
    public var index: Int
    public var black: Int, white: Int
    /// "B+3.5", "W+R", "B+F", "0", "Void".
    public var result: String
    public var reason: String
    public var detail: String
    /// GTP vertices separated by spaces.
    public var moves: String
    public var moveCount: Int
    public var secondsBlack: Double, secondsWhite: Double
    public var sgf: String?
    /// Earlier game with the same players, colours and moves.
    public var duplicateOf: Int?

    /// Index of the winning player, nil for draws and void games.
    public var winner: Int? {
        switch result.first {
        case "B": return black
        case "W": return white
        default: return nil
        }
    }
    public var isVoid: Bool { result == "Void" }
}

public struct EpisodeRow: Sendable, Equatable, Codable {
    public var index: Int
    public var player: Int
    public var episode: Int
    public var seed: UInt64
    public var episodeReturn: Double
    public var length: Int
    public var reason: String
    public var seconds: Double
}

public final class ResultsStore: @unchecked Sendable {   // the lock serialises writers
    public let database: SQLiteDatabase
    public let settings: TournamentSettings
    private let lock = NSLock()

    static let schema = [
        "CREATE TABLE IF NOT EXISTS tournament (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, settings TEXT NOT NULL, created TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS players (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, spec TEXT NOT NULL, checkpoint_hash TEXT)",
        """
        CREATE TABLE IF NOT EXISTS games (idx INTEGER PRIMARY KEY, black INTEGER NOT NULL REFERENCES players(id),
          white INTEGER NOT NULL REFERENCES players(id), result TEXT NOT NULL, winner INTEGER, reason TEXT NOT NULL,
          detail TEXT NOT NULL, moves TEXT NOT NULL, move_count INTEGER NOT NULL, seconds_black REAL NOT NULL,
          seconds_white REAL NOT NULL, sgf TEXT, duplicate_of INTEGER, finished TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS episodes (idx INTEGER PRIMARY KEY, player INTEGER NOT NULL REFERENCES players(id),
          episode INTEGER NOT NULL, seed TEXT NOT NULL, return REAL NOT NULL, length INTEGER NOT NULL,
          reason TEXT NOT NULL, seconds REAL NOT NULL, finished TEXT NOT NULL)
        """,
    ]

    private init(database: SQLiteDatabase, settings: TournamentSettings) {
        self.database = database
        self.settings = settings
    }

    /// A new results file for `settings`; refuses a file that already holds a tournament.
    public static func create(path: String, settings: TournamentSettings) throws -> ResultsStore {
        let db = try SQLiteDatabase(path: path)
        try db.transaction {
            for statement in schema { try db.execute(statement) }
            if try !db.execute("SELECT id FROM tournament").isEmpty {
                throw ArenaError("'\(path)' already holds a tournament; continue it with `dojo tournament --resume \(path)` or choose another --db file")
            }
            let json = String(decoding: try JSONEncoder.sorted.encode(settings), as: UTF8.self)
            try db.execute("INSERT INTO tournament (id, version, settings, created) VALUES (1, ?, ?, ?)",
                           [TournamentSettings.version, json, timestamp()])
            for (i, p) in settings.players.enumerated() {
                try db.execute("INSERT INTO players (id, name, spec, checkpoint_hash) VALUES (?, ?, ?, ?)", [i, p.name, p.spec, p.checkpointHash])
            }
        }
        return ResultsStore(database: db, settings: settings)
    }

    /// An existing results file (for `--resume` and `dojo ratings`).
    public static func open(path: String) throws -> ResultsStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ArenaError("no results file at '\(path)'; start a tournament with `dojo tournament ... --db \(path)`")
        }
        let db = try SQLiteDatabase(path: path)
        let rows: [[SQLiteValue]]
        do { rows = try db.execute("SELECT version, settings FROM tournament WHERE id = 1") } catch {
            throw ArenaError("'\(path)' is not a results file written by dojo tournament (\(error))")
        }
        guard let row = rows.first, let version = row[0].int, let json = row[1].string else {
            throw ArenaError("'\(path)' holds no tournament; start one with `dojo tournament ... --db \(path)`")
        }
        guard version == TournamentSettings.version else {
            throw ArenaError("'\(path)' was written in results format \(version); this dojo reads format \(TournamentSettings.version)")
        }
        let settings: TournamentSettings
        do {
            settings = try JSONDecoder().decode(TournamentSettings.self, from: Data(json.utf8))
        } catch {
            throw ArenaError("the settings stored in '\(path)' cannot be read (\(error)); the file is damaged")
        }
        do { try settings.validate() } catch let error as ArenaError {
            throw ArenaError("the settings stored in '\(path)' are invalid (\(error.description)); the file is damaged")
        }
        return ResultsStore(database: db, settings: settings)
    }

    /// Most moves or steps a stored game or episode may claim (far above any real one).
    static let maxLength = 10_000_000

    /// One sentence for a stored row that cannot be right.
    private func damaged(_ what: String) -> ArenaError {
        ArenaError("'\(database.path)' is damaged: \(what); the results file cannot be read")
    }

    private func checkPlayer(_ id: Int, row: Int, _ role: String) throws {
        guard settings.players.indices.contains(id) else {
            throw damaged("row \(row) names \(role) player \(id), but the tournament has \(settings.players.count) players")
        }
    }

    public func games() throws -> [GameRow] {
        try lock.withLock {
            try database.execute("""
                SELECT idx, black, white, result, reason, detail, moves, move_count, seconds_black, seconds_white, sgf, duplicate_of
                FROM games ORDER BY idx
                """).map { r in
                GameRow(index: r[0].int ?? 0, black: r[1].int ?? 0, white: r[2].int ?? 0, result: r[3].string ?? "",
                        reason: r[4].string ?? "", detail: r[5].string ?? "", moves: r[6].string ?? "", moveCount: r[7].int ?? 0,
                        secondsBlack: r[8].double ?? 0, secondsWhite: r[9].double ?? 0, sgf: r[10].string, duplicateOf: r[11].int)
            }.map { g in
                try checkPlayer(g.black, row: g.index, "black")
                try checkPlayer(g.white, row: g.index, "white")
                guard g.black != g.white else { throw damaged("game \(g.index) has player \(g.black) on both sides") }
                guard g.index >= 0, (0...Self.maxLength).contains(g.moveCount) else {
                    throw damaged("game \(g.index) claims \(g.moveCount) moves")
                }
                guard g.secondsBlack.isFinite, g.secondsWhite.isFinite else { throw damaged("game \(g.index) has a clock that is not a number") }
                return g
            }
        }
    }

    public func record(_ g: GameRow) throws {
        try lock.withLock {
            _ = try database.transaction {
                try database.execute("""
                    INSERT INTO games (idx, black, white, result, winner, reason, detail, moves, move_count, seconds_black,
                      seconds_white, sgf, duplicate_of, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [g.index, g.black, g.white, g.result, g.winner, g.reason, g.detail, g.moves, g.moveCount,
                          g.secondsBlack, g.secondsWhite, g.sgf, g.duplicateOf, ResultsStore.timestamp()])
            }
        }
    }

    public func episodes() throws -> [EpisodeRow] {
        try lock.withLock {
            try database.execute("SELECT idx, player, episode, seed, return, length, reason, seconds FROM episodes ORDER BY idx").map { r in
                EpisodeRow(index: r[0].int ?? 0, player: r[1].int ?? 0, episode: r[2].int ?? 0, seed: UInt64(r[3].string ?? "") ?? 0,
                           episodeReturn: r[4].double ?? 0, length: r[5].int ?? 0, reason: r[6].string ?? "", seconds: r[7].double ?? 0)
            }.map { e in
                try checkPlayer(e.player, row: e.index, "the")
                guard e.index >= 0, e.episode >= 0, (0...Self.maxLength).contains(e.length) else {
                    throw damaged("episode row \(e.index) claims episode \(e.episode) of \(e.length) steps")
                }
                guard e.episodeReturn.isFinite, e.seconds.isFinite else { throw damaged("episode row \(e.index) has a return or time that is not a number") }
                return e
            }
        }
    }

    public func record(_ e: EpisodeRow) throws {
        try lock.withLock {
            _ = try database.transaction {
                // The seed is text: SQLite integers are signed 64-bit.
                try database.execute("""
                    INSERT INTO episodes (idx, player, episode, seed, return, length, reason, seconds, finished)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [e.index, e.player, e.episode, String(e.seed), e.episodeReturn, e.length, e.reason, e.seconds, ResultsStore.timestamp()])
            }
        }
    }

    static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return e
    }
}
