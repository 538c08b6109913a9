// Fuzzing results files: random values written into every column of a real tournament's rows
// and settings, and bytes of the SQLite file itself mutated. Opening the file and building its
// report is an error sentence or a report; nothing traps (ratings and crosstables trapped on
// players out of range and absurd counts).
@testable import Arena
import Foundation
import Go
import Tensors
import TestSupport
import XCTest

final class ResultsStoreFuzzTests: XCTestCase {
    func settings() -> TournamentSettings {
        TournamentSettings(env: "go:5", players: ["a", "b", "c"].map { PlayerEntry(name: $0, spec: "x") }, format: .roundRobin, games: 2,
                           rules: GoRules(size: 5, komi: 0.5), scorer: "tt", seed: 7)
    }

    func makeStore(_ path: String) throws -> ResultsStore {
        let store = try ResultsStore.create(path: path, settings: settings())
        for (i, (b, w)) in [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2)].enumerated() {
            try store.record(GameRow(index: i, black: b, white: w, result: ["B+R", "W+3.5", "0", "Void", "B+F"][i], reason: "resign",
                                     detail: "", moves: "C3 D4", moveCount: 2, secondsBlack: 0.5, secondsWhite: 0.25, sgf: nil, duplicateOf: nil))
        }
        return store
    }

    func testRandomRowValuesAreReportedOrRefused() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-results-fuzz")
        defer { dir.remove() }
        var m = Mutator(seed: 71)
        let columns = ["idx", "black", "white", "result", "winner", "reason", "detail", "moves", "move_count", "seconds_black", "seconds_white", "duplicate_of"]
        let values = ["0", "1", "2", "3", "-1", "99", "9223372036854775807", "-9223372036854775808", "NULL", "'B+R'", "'W+'", "'Void'", "''",
                      "'x'", "1e308", "-1e308", "0.5", "x'00ff'"]
        var reported = 0, refused = 0
        for round in 0..<200 {
            let path = dir.path("r\(round).sqlite")
            let store = try makeStore(path)
            _ = try store.database.execute("PRAGMA foreign_keys = OFF")   // a crafted file obeys no constraint
            for _ in 0..<(1 + m.int(3)) {
                if m.int(6) == 0 {
                    let json = m.mutate(#"{"players":[{"name":"a","spec":"x"}],"games":2,"format":"round-robin"}"#, edits: 2)
                    _ = try? store.database.execute("UPDATE tournament SET settings = json_patch(settings, ?)", [json])
                } else {
                    _ = try? store.database.execute("UPDATE games SET \(m.pick(columns)) = \(m.pick(values)) WHERE idx = \(m.int(5))")
                }
            }
            do {
                let report = try TournamentReport(store: try ResultsStore.open(path: path))
                XCTAssertFalse(report.markdown.isEmpty)
                _ = report.json
                reported += 1
            } catch {
                XCTAssertFalse("\(error)".isEmpty)
                refused += 1
            }
        }
        XCTAssertGreaterThan(reported, 20)
        XCTAssertGreaterThan(refused, 20)
    }

    func testMutatedDatabaseFilesAreReportedOrRefused() throws {
        let dir = try TemporaryDirectory(prefix: "dojo-results-bytes")
        defer { dir.remove() }
        let good = dir.path("good.sqlite")
        _ = try makeStore(good)
        _ = try SQLiteDatabase(path: good).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: good)))
        var m = Mutator(seed: 72)
        for round in 0..<150 {
            let path = dir.path("b\(round).sqlite")
            try Data(m.mutate(bytes, edits: 3)).write(to: URL(fileURLWithPath: path))
            do { _ = try TournamentReport(store: try ResultsStore.open(path: path)) } catch {
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }
}
