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
            change speed, q or Esc quits. MinAtar games run on in real time (no key = no-op); grid \
            worlds wait for a key. The episode return is printed at the end.

            Examples:
              dojo play minatar/breakout
              dojo play gridworld/four-rooms --terminal
              dojo play minatar/seaquest --fps 8 --gif my-game.gif
            """)

        @Argument(help: "Environment id (see `dojo envs`).")
        var env: String

        @OptionGroup var view: ViewOptions
        @OptionGroup var common: CommonOptions

        func run() throws {
            common.apply()
            var environment = try EnvironmentCatalog.make(env)
            let options = view.viewerOptions(seed: common.seed, defaultWindow: true)
            try play(&environment, options)
        }

        func play<E: Environment>(_ env: inout E, _ options: ViewerOptions) throws {
            if let controls = env as? KeyboardControls, options.terminal { printError("Controls: \(controls.controlsHelp); p pause, q quit.") }
            let viewer = try Viewer(options: options, title: "Dojo — \(self.env)", frameSize: env.frameSize, person: true)
            let episodes = try viewer.run(&env, actor: .person)
            try viewer.save()
            report(episodes)
        }
    }
}
