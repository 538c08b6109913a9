// `dojo envs`: every registered environment with its id, actions, observation shape and summary.
import ArgumentParser
import Catalog
import RL

extension Dojo {
    struct Envs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the environments: id, actions, observation shape, description.",
            discussion: """
            Options follow the id after commas, e.g. minatar/breakout,sticky=0,actions=minimal.

            Examples:
              dojo envs
              dojo envs --options
            """)

        @Flag(help: "Also show the options each environment accepts.")
        var options = false

        func run() throws {
            emit("| id | actions | observation | description |\(options ? " options |" : "")")
            emit("|---|---|---|---|\(options ? "---|" : "")")
            for entry in EnvironmentCatalog.entries {
                let extra = options ? " \(entry.optionsHelp) |" : ""
                guard !entry.isTemplate else {
                    emit("| \(entry.id) | 4 | 8×H×W | \(entry.summary) |\(extra)")
                    continue
                }
                let env = try EnvironmentCatalog.make(entry.id)
                emit("| \(entry.id) | \(env.actionCount) | \(env.observationShape) | \(entry.summary) |\(extra)")
            }
        }
    }
}
