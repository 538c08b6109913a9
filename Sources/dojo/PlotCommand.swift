// `dojo plot <runs...>`: learning curves (mean ± 95% CI over seeds) as SVG, and PNG when
// rsvg-convert (librsvg) is installed.
import ArgumentParser
import Files
import Foundation
import RL
import Rendering
import Runs
import Tensors

extension Dojo {
    struct Plot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plot learning curves of runs: mean return ± 95% CI over seeds, as SVG.",
            discussion: """
            Runs with the same <env>__<agent> prefix and the same config.json (less the budget: \
            frames, iterations, checkpointEvery, ...) are seeds of one configuration; runs that \
            differ are separate lines, labelled by the keys they differ in. Seeds of different \
            lengths are cut to the shortest (and the cut is reported); folders that cannot be \
            plotted are skipped with a note. Returns are averaged over the last 100 episodes \
            (--window), as in the MinAtar paper; --metric plots any other logged tag, such as an \
            AlphaZero run's losses/policy_loss or charts/win_rate_vs_random.

            Examples:
              dojo plot runs/minatar-breakout__dqn__* --out breakout.svg
              dojo plot runs/* --out all.svg --png all.png
              dojo plot runs/go-9__alphazero__* --metric charts/win_rate_vs_random --window 1 --out az.svg
              dojo plot runs/go-9__alphazero__<time> --metric strength/elo --x strength/training_hours --window 1 --out elo.svg
            """)

        @Argument(help: "Run folders.")
        var runs: [String]

        @Option(help: "The SVG file to write.")
        var out = "curves.svg"

        @Option(help: "Also write a PNG (needs rsvg-convert from librsvg).")
        var png: String?

        @Option(help: "Episodes in the moving average.")
        var window = 100

        @Option(help: "Figure title.")
        var title = "Learning curves"

        @Option(help: "The metrics.csv tag to plot (charts/episodic_return, losses/td_loss, losses/policy_loss, charts/win_rate_vs_random, ...).")
        var metric = "charts/episodic_return"

        @Option(help: "Another tag as the x axis, its value at each step of --metric (e.g. strength/training_hours with --metric strength/elo).")
        var x: String?

        func validate() throws {
            guard !runs.isEmpty else { throw ValidationError("name at least one run folder.") }
            guard window >= 1 else { throw ValidationError("--window must be ≥ 1.") }
        }

        func run() throws {
            let plot: LearningCurve.Plot
            do { plot = try LearningCurve.plot(runs: runs, metric: metric, x: x, window: window) } catch let error as ConfigError {
                throw Failure(error.description)
            }
            for note in plot.notes { printError(note) }
            let curves = plot.curves
            let yLabel = metric == "charts/episodic_return" ? "average return (last \(window) episodes)" : "\(metric) (average of the last \(window))"
            let xLabel = x ?? (curves.allSatisfy { $0.label.contains("__dqn") || $0.label.contains("__qlearning") } ? "frames" : "steps")
            try AtomicFile.write(Array(SVGPlot.render(curves, title: title, xLabel: xLabel, yLabel: yLabel).utf8), to: out)
            emit("wrote \(out): " + curves.map { "\($0.label) (\($0.seeds) seed\($0.seeds == 1 ? "" : "s"))" }.joined(separator: ", "))
            if let png {
                let tool = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
                guard let tool else { throw Failure("no PNG: rsvg-convert is not installed (apt-get install librsvg2-bin); the SVG is written.") }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: tool)
                p.arguments = ["-o", png, out]
                try p.run(); p.waitUntilExit()
                guard p.terminationStatus == 0 else { throw Failure("rsvg-convert failed on \(out).") }
                emit("wrote \(png)")
            }
        }
    }
}
