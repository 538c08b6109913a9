// The `dojo` command: one subcommand per file, wiring only.
import ArgumentParser

struct Dojo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dojo",
        abstract: "Dojo — reinforcement-learning agents, environments and tournaments on a CPU.",
        discussion: """
        Examples (`dojo <command> --help` for each command's options):
          dojo envs                                            # every environment id
          dojo agents                                          # every agent spec and its options
          dojo train dqn --env minatar/breakout --seed 1       # the MinAtar reference DQN
          dojo train dqn --resume runs/<run folder>            # continue (or extend with --frames)
          dojo train alphazero --env go:5 --preset tiny        # AlphaZero in seconds
          dojo eval runs/<run folder> --episodes 100           # mean return ± 95% CI
          dojo plot runs/minatar-breakout__dqn__* --out b.svg  # learning curves over seeds
          dojo play go:9 --opponent mcts:seconds=1             # play against an agent
          dojo watch --agent random --env minatar/seaquest --gif sq.gif
          dojo trace minatar/breakout --seed 0 --steps 100     # a seeded playthrough as JSON lines
          dojo gtp --agent mcts:seconds=1                      # a GTP engine for Sabaki or GoGui
          dojo tournament --env go:9 --player random --player mcts --db t.sqlite
          dojo ratings t.sqlite                                # ratings and crosstable
          dojo selfplay-gtp --engine "gnugo --mode gtp" --games 10 --size 9 --out games
          dojo info                                            # build, kernels, CPU
          dojo bench core                                      # every foundation benchmark
          dojo bench dqn-step --json                           # one JSON object per line

        Exit status: 0 done, 64 a usage mistake, 1 any other failure (one sentence on standard
        error), 130 stopped by Ctrl-C after saving.
        """,
        version: "0.1.0",
        subcommands: [Envs.self, Agents.self, Train.self, Eval.self, Plot.self, Play.self, Watch.self, Trace.self, GTP.self, Tournament.self, Ratings.self, Strength.self, SelfPlay.self, SelfPlayGTP.self, Info.self, Bench.self])
}
