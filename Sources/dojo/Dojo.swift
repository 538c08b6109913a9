// The `dojo` command: one subcommand per file, wiring only.
import ArgumentParser

struct Dojo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dojo",
        abstract: "Dojo — reinforcement-learning agents, environments and tournaments on a CPU.",
        discussion: """
        Examples:
          dojo bench core                  # every foundation benchmark, one table
          dojo bench dqn-step --json       # one JSON object per result line
          dojo bench az-infer --threads 2 --verbose
        """,
        version: "0.1.0",
        subcommands: [Envs.self, Agents.self, Train.self, Eval.self, Plot.self, Play.self, Watch.self, Trace.self, GTP.self, Tournament.self, Ratings.self, SelfPlayGTP.self, Info.self, Bench.self])
}
