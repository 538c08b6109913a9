// `dojo trace`: a seeded playthrough as JSON lines in the format of MinAtar's golden traces.
import ArgumentParser
import Catalog
import Files
import Foundation
import MinAtar
import RL
import Tensors

extension Dojo {
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a seeded playthrough as JSON lines (the golden-trace format).",
            discussion: """
            One line per reset and per step: k, t, a (chosen action), x (executed action, after \
            sticky actions), r, d, crc (CRC-32 of the observation packed MSB-first in [y][x][c] \
            order). After a step that ends the episode the environment is reset, a reset line is \
            printed, and the next action follows — the protocol of reference/minatar/golden_traces.py.
            `--policy random --policy-seed K` draws actions as numpy's RandomState(K).randint(n), \
            the reference scripts' action source (in games with illegal moves: among the legal ones).

            Examples:
              dojo trace minatar/breakout --seed 0 --steps 1000 --policy random --policy-seed 1
              dojo trace minatar/seaquest --seed 3 --steps 500 --actions actions.txt
            """)

        @Argument(help: "Environment id, e.g. minatar/breakout.")
        var env: String

        @Option(help: "Seed of the environment.")
        var seed: UInt64 = 0

        @Option(parsing: .unconditional, help: "Steps to play.")
        var steps = 1000

        @Option(help: "File with one action index per line, applied in order.")
        var actions: String?

        @Option(help: "Action source when no --actions file is given: random.")
        var policy = "random"

        @Option(name: .customLong("policy-seed"), help: "Seed of the random policy.")
        var policySeed: UInt32 = 1

        func validate() throws {
            guard steps >= 0 else { throw ValidationError("--steps must be ≥ 0, got \(steps).") }
            guard policy == "random" else { throw ValidationError("unknown --policy '\(policy)'; the only one is random.") }
        }

        func run() throws {
            var environment: any Environment
            environment = try EnvironmentCatalog.make(env)
            let script = try actions.map(Self.readActions)
            if let actions, let script, script.count < steps {
                throw Failure("\(actions) has \(script.count) actions but --steps is \(steps); give more actions or fewer steps.")
            }
            environment.reset(seed: seed)
            try play(&environment, script: script)
        }

        func play<E: Environment>(_ env: inout E, script: [Int]?) throws {
            var random = NumpyRandomState(seed: policySeed)
            var index = 0
            try MinAtarTrace.record(&env, steps: steps, nextAction: { env in
                defer { index += 1 }
                guard let script else {
                    // MinAtar's traces draw from every action (the reference's stream); board
                    // games draw among the legal ones.
                    if env.everyActionAlwaysLegal { return random.randint(env.actionCount) }
                    let legal = env.legalActions
                    guard !legal.isEmpty else { throw Failure("\(self.env) has no legal action at step \(index); the game should have ended") }
                    return legal[random.randint(legal.count)]
                }
                let a = script[index]
                guard env.isLegalAction(a) else {
                    throw Failure("action \(a) on line \(index + 1) of \(actions ?? "the actions file") is not legal here (legal: \(env.legalActions.map(String.init).joined(separator: " "))).")
                }
                return a
            }, emit: emit)
        }

        static func readActions(_ path: String) throws -> [Int] {
            guard let text = try? BoundedFile.text(path, limit: BoundedFile.textLimit) else {
                throw Failure("cannot read actions file \(path).")
            }
            return try text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, line in
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return nil }
                guard let a = Int(t) else {
                    throw Failure("line \(i + 1) of \(path) is '\(t)', not an action index.")
                }
                return a
            }
        }
    }
}
