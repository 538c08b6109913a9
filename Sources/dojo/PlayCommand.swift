// `dojo play <env>`: a person at the keyboard, in the window or the terminal.
import ArgumentParser
import Catalog
import RL
import Rendering

extension Dojo {
    struct Play: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play an environment yourself, in a window or the terminal.",
            discussion: """
            Keys: arrows or WASD move, space fires, p pauses, n steps once while paused, + and - \
            change speed, q or Esc quits. Go: click an intersection to play, p passes, u takes back. Tic-tac-toe and Connect Four: click a cell (a column). MinAtar games run on in real time (no key = no-op); grid \
            worlds wait for a key. The episode return is printed at the end.

            Examples:
              dojo play minatar/breakout
              dojo play gridworld/four-rooms --terminal
              dojo play minatar/seaquest --fps 8 --gif my-game.gif
              dojo play go:9 --opponent random          # click to play, p passes, u undoes
              dojo play connect-four --opponent alphazero:checkpoint=runs/<dir>/checkpoints/latest.safetensors
            """)

        @Argument(help: "Environment id (see `dojo envs`).")
        var env: String

        @Option(help: "In two-player games, the agent you play against (\(AgentCatalog.entries.map(\.name).joined(separator: ", "))); without it you play both sides.")
        var opponent: String?

        @Option(help: "Your side in two-player games: black (moves first; red in Connect Four) or white.")
        var color = "black"

        @OptionGroup var view: ViewOptions
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard ["black", "white"].contains(color) else { throw ValidationError("--color is black or white, got '\(color)'.") }
        }

        func run() throws {
            common.apply()
            var environment = try EnvironmentCatalog.make(env)
            let options = view.viewerOptions(seed: common.seed, defaultWindow: true)
            var rival: (any Player)?
            if let opponent {
                guard environment.playerCount == 2 else {
                    throw Failure("\(env) is a one-player game; --opponent is for two-player games like go:9.")
                }
                rival = try AgentCatalog.make(opponent, seed: common.seed &+ 1, for: environment)
            }
            try play(&environment, options, actor: .person(opponent: rival, seat: color == "black" ? 0 : 1))
        }

        func play<E: Environment>(_ env: inout E, _ options: ViewerOptions, actor: Actor) throws {
            if let controls = env as? KeyboardControls, options.terminal { printError("Controls: \(controls.controlsHelp); p pause, q quit.") }
            let viewer: Viewer
            do {
                viewer = try Viewer(options: options, title: "Dojo — \(self.env)", frameSize: env.frameSize, person: true)
            } catch let error as ViewerError where error.isNoDisplay && env is BoardControls && !(env is DigitControls) {
                // Go is played with the mouse only: the terminal is no way out for it.
                throw Failure("\(error.description.prefix { $0 != ";" }); \(self.env) is played with the mouse in a window, so it needs a display (set DISPLAY, or run under xvfb-run)")
            }
            let episodes = try viewer.run(&env, actor: actor)
            try viewer.save()
            report(episodes)
        }
    }
}
