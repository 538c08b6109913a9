// `dojo ratings FILE`: the ratings table and crosstable of a tournament's results file, at any
// time (also while it runs: SQLite lets readers in beside the writer).
import Arena
import ArgumentParser

extension Dojo {
    struct Ratings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a tournament's ratings, crosstable and end reasons from its results file.",
            discussion: """
            Examples:
              dojo ratings tourney.sqlite
              dojo ratings tourney.sqlite --json
            """)

        @Argument(help: "A results file written by dojo tournament.")
        var database: String

        @Flag(help: "JSON instead of Markdown.")
        var json = false

        func run() throws {
            let report = try TournamentReport(store: try ResultsStore.open(path: database))
            emit(json ? report.json : report.markdown)
        }
    }
}
