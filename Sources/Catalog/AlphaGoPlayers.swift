// The AlphaGo pipeline's players for `dojo gtp --agent`, tournaments and the Go window:
//   policy:checkpoint=FILE[,sample=true]   the policy network alone (greedy, or sampling)
//   alphago:policy=FILE[,value=FILE,lambda=0.5,threshold=15,prior=3,playouts=N,seconds=S,…]
//                                          Go's RAVE search over heavy playouts, with the
//                                          policy's priors (and the value network's estimate,
//                                          mixed by λ) at nodes visited `threshold` times
import AlphaGo
import Go
import GoSearch
import MCTS

extension GoPlayerCatalog {
    /// Splits `key=value,…` into the keys this player owns and the rest (search options).
    static func take(_ keys: Set<String>, from options: String) -> (mine: [String: String], rest: [String]) {
        var mine: [String: String] = [:], rest: [String] = []
        for part in options.split(separator: ",").map(String.init) {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, keys.contains(kv[0]) { mine[kv[0]] = kv[1] } else { rest.append(part) }
        }
        return (mine, rest)
    }

    static func policyNetwork(_ path: String, boardSize: Int?) throws -> PolicyNetwork {
        let network = try NetworkCaches.alphaGoPolicy.value(for: path) { try AlphaGoCheckpoint.policy(path) }
        if let boardSize, boardSize != network.config.boardSize {
            throw CatalogError("\(path) plays \(network.config.boardSize)×\(network.config.boardSize) only; this game is \(boardSize)×\(boardSize)")
        }
        return network
    }

    static func policyPlayer(_ options: String, seed: UInt64, boardSize: Int?) throws -> any GoPlayer {
        let (mine, rest) = take(["checkpoint", "sample"], from: options)
        guard let path = mine["checkpoint"] else {
            throw CatalogError("policy needs checkpoint=FILE, e.g. policy:checkpoint=runs/<dir>/checkpoints/latest.safetensors")
        }
        guard rest.isEmpty else { throw CatalogError("unknown policy option '\(rest[0])'; use checkpoint=FILE and sample=true|false") }
        guard let sample = Bool(mine["sample"] ?? "false") else { throw CatalogError("sample=\(mine["sample"]!) is not true or false") }
        return PolicyGoPlayer(policy: try policyNetwork(path, boardSize: boardSize), samples: sample, seed: seed)
    }

    static func alphaGoPlayer(_ options: String, seed: UInt64, boardSize: Int?) throws -> any GoPlayer {
        let (mine, rest) = take(["policy", "value"], from: options)
        guard let policyPath = mine["policy"] else {
            throw CatalogError("alphago needs policy=FILE (dojo train sl-policy), e.g. alphago:policy=runs/<sl>/checkpoints/latest.safetensors,value=runs/<value>/checkpoints/latest.safetensors")
        }
        let policy = try policyNetwork(policyPath, boardSize: boardSize)
        var value: ValueNetwork?
        if let valuePath = mine["value"] {
            value = try NetworkCaches.alphaGoValue.value(for: valuePath) { try AlphaGoCheckpoint.value(valuePath) }
            if value!.config.boardSize != policy.config.boardSize {
                throw CatalogError("\(valuePath) is for \(value!.config.boardSize)×\(value!.config.boardSize) but the policy for \(policy.config.boardSize)×\(policy.config.boardSize)")
            }
        }
        return MCTSGoPlayer(config: try goSearch(rest), seed: seed, knowledge: AlphaGoKnowledge(policy: policy, value: value))
    }
}
