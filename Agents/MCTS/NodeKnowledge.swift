// Costly knowledge asked for only where the search keeps coming back: AlphaGo's expansion
// threshold (Silver et al. 2016, "Searching with policy and value networks": a node gets the
// policy network's priors once it has been visited n_thr = 40 times; until then the search
// runs on its cheap tree policy and rollouts). Here the cheap part is RAVE over heavy
// playouts (Agents/MCTS/MCTS.swift), which keeps tens of thousands of simulations a second,
// and a network is called once per node that crosses the threshold instead of once per
// simulation.
//
// A node's knowledge is priors over its children and, optionally, a value for the player to
// move there. The priors add AlphaGo's bonus u = w · P · √N_parent / (1 + N_child) to the
// selection score (`MCTSConfig.priorWeight`). The value is backed up, once, to the node and
// its ancestors into statistics of its own, and a child's value then mixes both kinds as the
// paper did:
//     Q = (1 − λ) · W_value / N_value + λ · W_rollout / N_rollout,   λ = `MCTSConfig.lambda`
// (AlphaGo: λ = 0.5). A child no value has reached yet uses its rollouts alone.
// Values are for the player to move in `state`; two-player zero-sum games store −v for the
// other player.
import RL

public protocol NodeKnowledge {
    /// Priors over `legal` (same order, summing to 1) and optionally a value for the player to
    /// move in `state`.
    mutating func knowledge<E: Environment>(_ state: E, legal: [Int]) -> (priors: [Float], value: Float?)
}

extension MCTS {
    /// Whether `index` is due its knowledge: expanded, not yet informed, and visited often
    /// enough (the root as soon as it has children).
    func dueKnowledge(_ index: Int) -> Bool {
        let n = nodes[index]
        return knowledge != nil && n.expanded && !n.informed && n.childCount > 0
            && Int(n.visits) >= (index == 0 ? 1 : config.knowledgeThreshold)
    }

    /// Asks the knowledge source about `index` (whose state is `state`): its children's priors
    /// replace the evaluator's, and a value is added to the node and its ancestors.
    func inform(_ index: Int, _ state: E) {
        let first = Int(nodes[index].firstChild), count = Int(nodes[index].childCount)
        let legal = (first..<(first + count)).map { Int(nodes[$0].action) }
        var source = knowledge!
        let (priors, value) = source.knowledge(state, legal: legal)
        knowledge = source
        precondition(priors.count == count, "knowledge gave \(priors.count) priors for \(count) moves")
        for k in 0..<count { nodes[first + k].prior = priors[k] }
        nodes[index].informed = true
        knowledgeCalls += 1
        guard let value else { return }
        let player = Int(nodes[index].player)
        var values = SIMD2<Float>.zero
        values[player] = value
        if root.playerCount == 2 { values[1 - player] = -value }
        var i = index
        while i >= 0 {
            nodes[i].estimateVisits += 1
            nodes[i].estimateSum += values
            i = Int(nodes[i].parent)
        }
    }

    /// Q of `node` for `mover`: its simulations' mean return, mixed with its backed-up
    /// knowledge values when it has any.
    func meanValue(_ node: Node, for mover: Int) -> Double {
        let q = Double(node.valueSum[mover]) / Double(node.visits)
        guard node.estimateVisits > 0 else { return q }
        let v = Double(node.estimateSum[mover]) / Double(node.estimateVisits)
        return (1 - config.lambda) * v + config.lambda * q
    }
}
