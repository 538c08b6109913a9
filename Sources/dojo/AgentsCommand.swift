// `dojo agents`: every agent spec the playing commands take (watch --agent, play --opponent,
// gtp --agent, tournament --player), with its options and their defaults.
import ArgumentParser
import MCTS

extension Dojo {
    struct Agents: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every agent spec with its options and defaults.",
            discussion: """
            Specs are taken by `dojo watch --agent`, `dojo play --opponent`, `dojo gtp --agent` \
            (Go players) and `dojo tournament --player NAME=SPEC`. Trainable agents and their \
            config keys: `dojo train --help`.

            Examples:
              dojo agents
              dojo watch --agent mcts:playouts=200 --env connect-four
              dojo tournament --env go:9 --player random --player mcts=mcts:seconds=0.5 --db t.sqlite
            """)

        struct Spec {
            let spec: String, games: String, what: String
        }

        static var specs: [Spec] {
            let m = MCTSConfig()
            return [
                Spec(spec: "random", games: "every environment", what: "uniformly random legal actions (seeded)"),
                Spec(spec: "mcts[:options]", games: "every environment (Go: RAVE, heavy playouts)",
                     what: "Monte Carlo tree search: playouts=\(m.simulations) (also simulations=), seconds=0 (per move; 0: none), "
                        + "selection=uct|puct|gumbel (uct), c=\(m.uctC), rave=true|false, rollout=light|heavy, batch=\(m.batch), "
                        + "noise=ε (\(m.rootNoiseFraction)), resign=threshold (0: never), temperature=\(m.temperature), "
                        + "threshold=\(m.knowledgeThreshold), prior=\(m.priorWeight), lambda, network=lz:FILE (Go: a Leela Zero network)"),
                Spec(spec: "alphazero:checkpoint=FILE[,playouts=N,seconds=S]", games: "the game it was trained on",
                     what: "PUCT search with a network written by dojo train alphazero (no noise, leaves batched 8 per thread)"),
                Spec(spec: "alphago:policy=FILE[,value=FILE,lambda=0.5,threshold=15,prior=3,playouts=N,seconds=S]", games: "Go",
                     what: "AlphaGo's search: the policy's priors, the value network mixed with rollouts by λ"),
                Spec(spec: "policy:checkpoint=FILE[,sample=true]", games: "Go", what: "an AlphaGo policy network alone (greedy, or sampling)"),
                Spec(spec: "checkpoint:FILE, or FILE.safetensors", games: "the environment it was trained on (single-player)",
                     what: "a DQN written by dojo train dqn, greedy (dojo eval --epsilon for ε-greedy)"),
                Spec(spec: "gtp:<command line>", games: "Go (tournament, play --opponent, watch, gtp)",
                     what: "an outside GTP engine, e.g. \"gtp:gnugo --mode gtp --level 10\" (split like a shell, nothing run through one)"),
            ]
        }

        func run() throws {
            emit("| spec | plays | what it is and its options (defaults) |")
            emit("|---|---|---|")
            for s in Self.specs { emit("| `\(s.spec)` | \(s.games) | \(s.what) |") }
        }
    }
}
