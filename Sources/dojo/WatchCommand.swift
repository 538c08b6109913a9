// `dojo watch`: an agent plays; shown in the window or terminal, or recorded.
import ArgumentParser
import Foundation
import Catalog
import RL
import Rendering
import Runs

extension Dojo {
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch an agent play: in a window, in the terminal, or recorded as GIF/PNG.",
            discussion: """
            Without --window, --terminal, --gif or --png-frames the episode is drawn in the terminal. \
            Recording needs no display.

            Examples:
              dojo watch --agent random --env minatar/seaquest --window
              dojo watch --agent random --env minatar/breakout --terminal --fps 15
              dojo watch --agent random --env gridworld/four-rooms --gif rooms.gif --episodes 3
              dojo watch runs/<run>/checkpoints/latest.safetensors --window
            """)

        @Argument(help: "Agent name (same as --agent).")
        var agentName: String?

        @Option(help: "Agent to watch: random, mcts[:options], alphazero:checkpoint=FILE, or a checkpoint; `dojo agents` lists every spec with its options.")
        var agent: String?

        @Option(help: "Environment id (see `dojo envs`); a checkpoint names its own.")
        var env: String?

        @OptionGroup var view: ViewOptions
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard let given = agent ?? agentName else { throw ValidationError("name the agent to watch, e.g. --agent random.") }
            guard env != nil || given.hasSuffix(".safetensors") || RunDirectory.isFolder(given) else {
                throw ValidationError("name the environment with --env (only a checkpoint knows its own).")
            }
            if let agent, let agentName, agent != agentName {
                throw ValidationError("two different agents given ('\(agentName)' and --agent \(agent)); give one.")
            }
        }

        func run() throws {
            common.apply()
            guard let given = agent ?? agentName else { throw ValidationError("name the agent to watch, e.g. --agent random.") }
            let name = RunDirectory.isFolder(given) ? try RunDirectory.checkpoint(named: given) : given
            let id = try env ?? AgentCatalog.environment(ofCheckpoint: name)
            var environment = try EnvironmentCatalog.make(id)
            let policy = try AgentCatalog.make(name, seed: common.seed &+ 1, for: environment)
            var options = view.viewerOptions(seed: common.seed, defaultWindow: false)
            // With no output chosen, draw in the terminal — unless standard output is a pipe or a
            // file, which gets the episode lines only, no escape codes.
            if !options.window && options.gifPath == nil && options.framesFolder == nil && !options.terminal {
                options.terminal = isatty(STDOUT_FILENO) != 0
            }
            try watch(&environment, policy, options)
        }

        func watch<E: Environment>(_ env: inout E, _ policy: any Player, _ options: ViewerOptions) throws {
            let viewer = try Viewer(options: options, title: "Dojo — \(self.env ?? "checkpoint")", frameSize: env.frameSize, person: false)
            let episodes = try viewer.run(&env, actor: .player(policy))
            try viewer.save()
            report(episodes)
            if let gif = options.gifPath { emit("recorded \(gif)") }
        }
    }
}
