// Search options as users type them: `mcts`, `mcts:playouts=20000`,
// `mcts:seconds=1,selection=puct,c=1.0`, `mcts:selection=gumbel,playouts=32`; unknown keys and bad values are one-sentence errors.
import Runs

extension MCTSConfig {
    /// A config from `key=value` options (`playouts`/`simulations`, `seconds`, `selection`,
    /// `c`, `temperature`); unknown keys and bad values are one-sentence errors.
    public static func parse(_ options: String) throws -> MCTSConfig {
        var c = MCTSConfig()
        guard !options.isEmpty else { return c }
        var timeGiven = false, simulationsGiven = false
        for part in options.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw ConfigError("MCTS option '\(part)' is not key=value (example: mcts:playouts=20000)") }
            switch kv[0] {
            case "playouts", "simulations":
                guard let n = Int(kv[1]), n > 0 else { throw ConfigError("MCTS \(kv[0])=\(kv[1]) must be a positive integer") }
                c.simulations = n; simulationsGiven = true
            case "seconds":
                guard let s = Double(kv[1]), s > 0 else { throw ConfigError("MCTS seconds=\(kv[1]) must be a positive number") }
                c.seconds = s; timeGiven = true
            case "selection":
                guard let s = Selection(rawValue: kv[1]) else { throw ConfigError("MCTS selection=\(kv[1]) must be uct, puct or gumbel") }
                c.selection = s
                // A player's Gumbel search draws its noise: the m moves it considers are then a
                // sample from the prior (with uniform priors, otherwise simply the first ids).
                c.gumbelNoise = s == .gumbel
            case "c":
                guard let v = Double(kv[1]), v >= 0 else { throw ConfigError("MCTS c=\(kv[1]) must be a number ≥ 0") }
                c.uctC = v; c.puctInit = v
            case "noise":
                guard let v = Double(kv[1]), (0...1).contains(v) else { throw ConfigError("MCTS noise=\(kv[1]) must be a fraction in 0…1") }
                c.rootNoiseFraction = v
            case "resign":
                guard let v = Double(kv[1]), (0...1).contains(v) else { throw ConfigError("MCTS resign=\(kv[1]) must be a value in 0…1 (resign below −value)") }
                c.resignThreshold = v
            case "rave":
                guard let b = Bool(kv[1]) ?? (kv[1] == "on" ? true : kv[1] == "off" ? false : nil) else { throw ConfigError("MCTS rave=\(kv[1]) must be on or off") }
                c.rave = b
            case "batch":
                guard let n = Int(kv[1]), (1...4096).contains(n) else { throw ConfigError("MCTS batch=\(kv[1]) must be an integer in 1…4096") }
                c.batch = n
            case "rollout":
                guard let r = Rollout(rawValue: kv[1]) else { throw ConfigError("MCTS rollout=\(kv[1]) must be light or heavy") }
                c.rollout = r
            case "threshold":
                guard let n = Int(kv[1]), n >= 1 else { throw ConfigError("MCTS threshold=\(kv[1]) must be a positive integer (visits before a node asks the network)") }
                c.knowledgeThreshold = n
            case "prior":
                guard let v = Double(kv[1]), v >= 0 else { throw ConfigError("MCTS prior=\(kv[1]) must be a number ≥ 0 (weight of the policy's prior bonus)") }
                c.priorWeight = v
            case "lambda":
                guard let v = Double(kv[1]), (0...1).contains(v) else { throw ConfigError("MCTS lambda=\(kv[1]) must be a number in 0…1 (the rollouts' share of a value)") }
                c.lambda = v
            case "temperature":
                guard let v = Double(kv[1]), v >= 0 else { throw ConfigError("MCTS temperature=\(kv[1]) must be a number ≥ 0") }
                c.temperature = v
            default:
                throw ConfigError("unknown MCTS option '\(kv[0])'; use playouts, seconds, selection, c, rave, rollout, noise, resign, batch, temperature, threshold, prior, lambda (and, for Go, network=lz:FILE)")
            }
        }
        if timeGiven && !simulationsGiven { c.simulations = 0 }   // seconds alone: search until the time is up
        if c.selection == .gumbel && (timeGiven || c.rave) {
            throw ConfigError("MCTS selection=gumbel divides a number of playouts by sequential halving and selects by its own rule: give playouts=N, without seconds or rave")
        }
        return c
    }
}

