// A small, safe face on the SQLite C API: open a file, run statements with bound values, read
// rows, run a block in a transaction. Everything the results store needs and nothing more.
// Durability: WAL journal with `synchronous=FULL`, so a committed row survives `kill -9` and a
// power cut; an interrupted transaction leaves no trace.
import CSQLite
import Foundation

public struct SQLiteError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

/// A value bound to or read from a statement.
public enum SQLiteValue: Equatable, Sendable {
    case null, integer(Int64), real(Double), text(String)

    public var int: Int? { if case .integer(let v) = self { return Int(v) }; return nil }
    public var double: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    public var string: String? { if case .text(let v) = self { return v }; return nil }
}

public protocol SQLiteConvertible { var sqliteValue: SQLiteValue { get } }
extension Int: SQLiteConvertible { public var sqliteValue: SQLiteValue { .integer(Int64(self)) } }
extension Double: SQLiteConvertible { public var sqliteValue: SQLiteValue { .real(self) } }
extension String: SQLiteConvertible { public var sqliteValue: SQLiteValue { .text(self) } }
extension Optional: SQLiteConvertible where Wrapped: SQLiteConvertible {
    public var sqliteValue: SQLiteValue { self?.sqliteValue ?? .null }
}

/// SQLITE_TRANSIENT: SQLite copies bound text before `bind` returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

public final class SQLiteDatabase: @unchecked Sendable {   // callers serialise access (one lock in ResultsStore)
    private var handle: OpaquePointer?
    public let path: String

    public init(path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw SQLiteError("cannot open database '\(path)': \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
        do {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=FULL")
            try execute("PRAGMA foreign_keys=ON")
        } catch {
            sqlite3_close(db)
            throw SQLiteError("'\(path)' is not a usable SQLite database (\(error)); give a new file name or a database written by dojo tournament")
        }
    }

    deinit { sqlite3_close(handle) }

    private var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs one statement with bound values, returning every row.
    @discardableResult
    public func execute(_ sql: String, _ values: [SQLiteConvertible] = []) throws -> [[SQLiteValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteError("SQL error in '\(sql.prefix(60))': \(lastError)")
        }
        defer { sqlite3_finalize(statement) }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value.sqliteValue {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let v): sqlite3_bind_int64(statement, index, v)
            case .real(let v): sqlite3_bind_double(statement, index, v)
            case .text(let v): sqlite3_bind_text(statement, index, v, -1, transient)
            }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw SQLiteError("SQL error in '\(sql.prefix(60))': \(lastError)") }
            let columns = sqlite3_column_count(statement)
            rows.append((0..<columns).map { c in
                switch sqlite3_column_type(statement, c) {
                case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, c))
                case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, c))
                case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, c)))
                default: return .null
                }
            })
        }
        return rows
    }

    /// Runs `body` inside one transaction: all of it is committed, or none of it.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }
}
