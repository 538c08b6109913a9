// Monte Carlo tree search over any `Environment` (copies are snapshots, so the tree stores no
// states: each simulation replays its path from a copy of the root).
//
// A simulation: select children from the root until an unexpanded node or the end of the
// episode, stepping a copy of the root state; expand the leaf with the evaluator's priors and
// value; back the values up. Every edge keeps the rewards the step produced, so rewards at
// any step count (MinAtar) and terminal rewards decide two-player games.
// Value convention: statistics are per player; a child's Q is the mean return, for the
// player who chose the move into it, of the simulations through it.
// Selection:
// - UCT (Kocsis & Szepesvári 2006): Q + c·√(ln N_parent / N_child), unvisited children first;
// - PUCT (Silver et al. 2017/2018, AlphaZero): Q + c(N)·P·√N_parent / (1 + N_child) with
//   c(N) = c_init + ln((1 + N + c_base)/c_base), c_init 1.25, c_base 19652; unvisited
//   children use the first-play-urgency value `fpu` (AlphaZero: 0).
// - Gumbel (Danihelka et al. 2022): sequential halving at the root, the improved policy below
//   it (Agents/MCTS/MCTS+Gumbel.swift).
// The move played is the most visited child (temperature 0) or one drawn ∝ N^(1/τ); Gumbel
// search plays the move its sequential halving chose.
// The tree expands a game's sensible actions (`Environment.sensibleActions`; Go: never
// fill one's own eye — without that rule a losing search plays anything, its own eyes
// included, and loses every stone).
import Foundation
import RL
import Tensors

public struct MCTSConfig: Codable, Equatable, Sendable {
    public enum Selection: String, Codable, Sendable { case uct, puct, gumbel }
    public var selection = Selection.uct
    /// UCT exploration constant c (returns of ±1: √2 is the classic choice).
    public var uctC = 1.4
    public var puctInit = 1.25, puctBase = 19_652.0
    /// First-play urgency for PUCT: Q of unvisited children.
    public var fpu = 0.0
    /// Simulations per move (0: no limit) and seconds per move (0: no limit); at least one must be set.
    public var simulations = 1_000
    public var seconds = 0.0
    /// Temperature of the final move choice (0: most visits).
    public var temperature = 0.0
    /// Dirichlet noise mixed into the root's priors (AlphaZero: ε 0.25, α 0.3 for chess-sized
    /// branching; 0.03 for 19×19 Go; α ≈ 10/legal moves as a rule of thumb). 0: off.
    public var rootNoiseFraction = 0.0
    public var rootNoiseAlpha = 0.3
    /// Gumbel search (MCTS+Gumbel.swift): moves considered at the root (m), c_visit and c_scale
    /// of σ(q̂) = (c_visit + max N) · c_scale · q̂, and whether the root draws Gumbel noise
    /// (self-play: the move is then a sample; off: the search is deterministic).
    public var gumbelActions = 16
    public var gumbelVisitScale = 50.0, gumbelValueScale = 0.1
    public var gumbelNoise = false
    /// Resign when the root value for the player to move falls below −threshold (0: never).
    public var resignThreshold = 0.0
    /// KataGo's forced playouts (Wu 2019, §3.2), PUCT only: a root child that has been visited
    /// but fewer than √(k · P · N_root children) times is chosen first, so noise-favoured moves
    /// get looked at; k = `forcedPlayouts` (KataGo: 2; 0: off). `policyTargetVisits` removes
    /// those playouts again from the training target.
    public var forcedPlayouts = 0.0
    /// RAVE (Gelly & Silver 2007): mix each child's Q with its all-moves-as-first value,
    /// weight β = √(k / (3N + k)) with equivalence k = `raveEquivalence`; UCT's exploration
    /// then uses `raveC`. Go only (playouts report their moves).
    public var rave = false
    public var raveEquivalence = 1_000.0
    public var raveC = 0.1
    /// Leaves gathered per evaluator call (networks: one batch through the net). Between the
    /// gathered simulations a virtual loss of `virtualLoss` per visit steers selection apart;
    /// it is removed before the real values are backed up. 1: plain sequential search.
    public var batch = 1
    public var virtualLoss = 1.0
    /// Go playouts: light (uniformly random non-eye moves) or heavy (captures, saves and 3×3
    /// shape around the last move first; Environments/Go/HeavyPlayout.swift).
    public enum Rollout: String, Codable, Sendable { case light, heavy }
    public var rollout = Rollout.light
    /// Knowledge (Agents/MCTS/NodeKnowledge.swift): visits before a node asks for it (AlphaGo's
    /// n_thr was 40), the weight w of the prior bonus w·P·√N_parent/(1 + N_child) in UCT/RAVE
    /// selection, and λ, the rollouts' share of a child's value where knowledge values exist.
    /// Tuned on 9×9 at 0.5 s/move with a 42%-accurate policy, 12 games each (docs/results/go.md):
    /// w 3 beat w 1 9–3 and w 8 6–0; threshold 15 beat 40 8–4 and 5 8–4.
    public var knowledgeThreshold = 15
    public var priorWeight = 3.0
    public var lambda = 0.5
    public init() {}
}

struct Node {
    var parent: Int32
    var action: Int32
    /// The player to move in this node's state.
    var player: Int8
    var terminal = false
    var expanded = false
    var firstChild: Int32 = -1
    var childCount: Int32 = 0
    var visits: Int32 = 0
    /// Sum of returns from this node on, per player, including the edge's reward.
    var valueSum = SIMD2<Float>.zero
    var prior: Float = 0
    /// The evaluator's values of this node's state, per player (Gumbel's v_mix needs them).
    var rawValue = SIMD2<Float>.zero
    /// Rewards of the step into this node.
    var reward = SIMD2<Float>.zero
    /// All-moves-as-first statistics (RAVE).
    var amafVisits: Int32 = 0
    var amafValueSum = SIMD2<Float>.zero
    /// Knowledge (NodeKnowledge.swift): whether this node's children have its priors, and the
    /// knowledge values backed up through it.
    var informed = false
    var estimateVisits: Int32 = 0
    var estimateSum = SIMD2<Float>.zero
}

public final class MCTS<E: Environment> {
    public let config: MCTSConfig
    public var evaluator: any Evaluator
    /// Priors and values asked for at nodes visited `config.knowledgeThreshold` times.
    public var knowledge: (any NodeKnowledge)?
    /// How many nodes have asked the knowledge source so far.
    public internal(set) var knowledgeCalls = 0
    var generator: SeededGenerator
    var nodes: [Node] = []
    public let root: E

    /// Tree reuse: the subtree reached from this root by `actions` (our move and the reply),
    /// as the tree for `newRoot`, keeping its statistics; nil when the path left the tree or
    /// root noise is on (noisy priors must not carry over).
    public func reused(after actions: [Int], newRoot: E, config newConfig: MCTSConfig? = nil) -> MCTS? {
        guard config.rootNoiseFraction == 0 else { return nil }
        var index = 0
        for a in actions {
            let n = nodes[index]
            guard n.expanded, let child = (Int(n.firstChild)..<Int(n.firstChild + n.childCount)).first(where: { Int(nodes[$0].action) == a }),
                  nodes[child].player >= 0 else { return nil }
            index = child
        }
        guard Int(nodes[index].player) == newRoot.currentPlayer else { return nil }
        let tree = MCTS(root: newRoot, config: newConfig ?? config, evaluator: evaluator, seed: generator.next())
        tree.knowledge = knowledge
        // Copy the subtree breadth-first, children kept contiguous.
        var top = nodes[index]
        top.parent = -1; top.reward = .zero
        tree.nodes = [top]
        var queue = [(old: index, new: 0)], head = 0   // a moving head, not removeFirst: O(n), not O(n²)
        while head < queue.count {
            let (old, new) = queue[head]
            head += 1
            let n = nodes[old]
            guard n.expanded else { continue }
            tree.nodes[new].firstChild = Int32(tree.nodes.count)
            for c in Int(n.firstChild)..<Int(n.firstChild + n.childCount) {
                var copy = nodes[c]
                copy.parent = Int32(new)
                queue.append((c, tree.nodes.count))
                tree.nodes.append(copy)
            }
        }
        return tree
    }

    public init(root: E, config: MCTSConfig, evaluator: any Evaluator, seed: UInt64) {
        precondition(config.simulations > 0 || config.seconds > 0, "MCTS needs a simulation or time budget")
        self.root = root
        self.config = config
        self.evaluator = evaluator
        generator = SeededGenerator(seed: seed)
        nodes.append(Node(parent: -1, action: -1, player: Int8(root.currentPlayer), terminal: root.isOver))
    }

    /// Runs the search within the budget; returns the number of simulations done.
    @discardableResult
    public func search() -> Int {
        let deadline = config.seconds > 0 ? Date().addingTimeInterval(config.seconds) : Date.distantFuture
        if config.selection == .gumbel { return searchGumbel() }
        var count = 0
        if config.batch > 1, let batched = evaluator as? BatchEvaluator {
            while (config.simulations == 0 || count < config.simulations) && (count == 0 || Date() < deadline) {
                let room = config.simulations == 0 ? config.batch : min(config.batch, config.simulations - count)
                count += simulateBatch(room, batched)
            }
            return count
        }
        while (config.simulations == 0 || count < config.simulations) && (count % 16 != 0 || Date() < deadline) {
            simulate()
            count += 1
            if config.simulations == 0 && count % 16 == 0 && Date() >= deadline { break }
        }
        return count
    }

    /// The moves the tree considers: the environment's sensible actions when it has them
    /// (Go: never fill one's own eye), else every legal action.
    func candidates(_ state: E) -> [Int] {
        state.sensibleActions
    }

    func expand(_ index: Int, _ state: E) -> SIMD2<Float> {
        let legal = candidates(state)
        var e = evaluator
        let evaluation = e.evaluate(state, legal: legal)
        evaluator = e
        lastPlayout = evaluation.playout
        return expand(index, legal: legal, evaluation)
    }

    /// Adds the children of `index` with the evaluation's priors; returns its values.
    func expand(_ index: Int, legal: [Int], _ evaluation: Evaluation) -> SIMD2<Float> {
        let first = Int32(nodes.count)
        for (k, a) in legal.enumerated() {
            var child = Node(parent: Int32(index), action: Int32(a), player: -1)
            child.prior = evaluation.priors[k]
            nodes.append(child)
        }
        nodes[index].firstChild = first
        nodes[index].childCount = Int32(legal.count)
        nodes[index].expanded = true
        nodes[index].rawValue = evaluation.values
        if index == 0 && config.rootNoiseFraction > 0 && !legal.isEmpty {
            let noise = Self.dirichlet(alpha: config.rootNoiseAlpha, count: legal.count, generator: &generator)
            let f = Float(config.rootNoiseFraction)
            for k in 0..<legal.count { nodes[Int(first) + k].prior = (1 - f) * nodes[Int(first) + k].prior + f * noise[k] }
        }
        return evaluation.values
    }

    func score(child c: Int, parent p: Int) -> Double {
        let node = nodes[c], parent = nodes[p]
        let mover = Int(parent.player)
        let n = Double(node.visits), np = Double(max(1, parent.visits))
        // AlphaGo's prior bonus, once the parent has its knowledge (PUCT has priors built in).
        let bonus = parent.informed ? config.priorWeight * Double(node.prior) * np.squareRoot() / (1 + n) : 0
        if config.rave {
            let amafN = Double(node.amafVisits)
            let amafQ = amafN > 0 ? Double(node.amafValueSum[mover]) / amafN : 1
            if node.visits == 0 { return amafQ + config.raveC * log(np).squareRoot() + 1e-6 * Double(node.prior) + bonus }
            let beta = (config.raveEquivalence / (3 * n + config.raveEquivalence)).squareRoot()
            return (1 - beta) * meanValue(node, for: mover) + beta * amafQ + config.raveC * (log(np) / n).squareRoot() + bonus
        }
        switch config.selection {
        case .uct:
            if node.visits == 0 { return .infinity }
            return meanValue(node, for: mover) + config.uctC * (log(np) / n).squareRoot() + bonus
        case .puct, .gumbel:   // Gumbel selects by its own rule (select); PUCT's score for analysis
            let q = node.visits == 0 ? config.fpu : meanValue(node, for: mover)
            let c = config.puctInit + log((1 + np + config.puctBase) / config.puctBase)
            return q + c * Double(node.prior) * np.squareRoot() / (1 + n)
        }
    }

    func select(_ p: Int) -> Int {
        let first = Int(nodes[p].firstChild), count = Int(nodes[p].childCount)
        if p == 0, let forced = forcedRootChild ?? forcedChild() { return forced }
        if config.selection == .gumbel { return gumbelSelect(p) }
        var best = first, bestScore = -Double.infinity
        for c in first..<(first + count) {
            let s = score(child: c, parent: p)
            if s > bestScore { best = c; bestScore = s }     // ties: the first (lowest action id)
        }
        return best
    }

    /// Selection from the root to a leaf (unexpanded or terminal), stepping a copy of the root
    /// state; fills `path` and returns the leaf and its state.
    func descend() -> (index: Int, state: E) {
        var state = root
        var index = 0
        path.removeAll(keepingCapacity: true)
        path.append(0)
        while nodes[index].expanded && !nodes[index].terminal && nodes[index].childCount > 0 {
            if dueKnowledge(index) { inform(index, state) }
            let child = select(index)
            if nodes[child].player < 0 {
                let r = state.step(Int(nodes[child].action))
                nodes[child].reward = r.rewards
                nodes[child].player = Int8(state.currentPlayer)
                nodes[child].terminal = r.isOver
            } else {
                _ = state.step(Int(nodes[child].action))
            }
            index = child
            path.append(child)
        }
        return (index, state)
    }

    /// Adds `value` (per player, below the leaf) up the tree from `index`: each node adds its
    /// own edge reward and counts one visit.
    func backUp(from index: Int, _ value: SIMD2<Float>) {
        var value = value, i = index
        while i >= 0 {
            value += nodes[i].reward
            nodes[i].visits += 1
            nodes[i].valueSum += value
            i = Int(nodes[i].parent)
        }
    }

    func simulate() {
        let (index, state) = descend()
        var value = SIMD2<Float>.zero
        lastPlayout = []
        if !nodes[index].terminal { value = expand(index, state) }
        if config.rave { updateAMAF(value) }
        backUp(from: index, value)
    }

    /// A Dirichlet(α, …, α) sample: normalised Gamma(α, 1) draws (Marsaglia & Tsang 2000; for
    /// α < 1 the boost Gamma(α+1)·U^(1/α)).
    static func dirichlet(alpha: Double, count: Int, generator g: inout SeededGenerator) -> [Float] {
        func gamma(_ a: Double) -> Double {
            if a < 1 { return gamma(a + 1) * pow(Double(max(g.nextUniform(), 1e-12)), 1 / a) }
            let d = a - 1.0 / 3, c = 1 / (9 * d).squareRoot()
            while true {
                let x = Double(g.nextNormal()), v0 = 1 + c * x
                guard v0 > 0 else { continue }
                let v = v0 * v0 * v0, u = Double(max(g.nextUniform(), 1e-12))
                if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
            }
        }
        let draws = (0..<count).map { _ in gamma(alpha) }
        let total = draws.reduce(0, +)
        return draws.map { Float($0 / max(total, 1e-300)) }
    }

    /// Whether the player to move should resign (root value below −threshold after the search).
    public var shouldResign: Bool {
        config.resignThreshold > 0 && nodes[0].visits > 0 && rootValue < -config.resignThreshold
    }

    var path: [Int] = []
    /// Gumbel search: the root child every descent goes through while set, and the move chosen.
    var forcedRootChild: Int?
    var gumbelChoice: Int?
    /// Gumbel search's per-node policy, reused from selection to selection.
    var gumbelScratch: [Double] = []
    var lastPlayout: [(action: Int32, player: Int8)] = []
    /// First player to play each action after the current point of the backward sweep.
    var firstPlayer: [Int8] = []

    /// AMAF: every child of a node on the path whose move its parent's player made later in
    /// the simulation (first occurrence of that point) gets the simulation's value.
    func updateAMAF(_ value: SIMD2<Float>) {
        if firstPlayer.count != root.actionCount { firstPlayer = [Int8](repeating: -1, count: root.actionCount) }
        for i in firstPlayer.indices { firstPlayer[i] = -1 }
        for m in lastPlayout.reversed() { firstPlayer[Int(m.action)] = m.player }
        for k in stride(from: path.count - 1, through: 0, by: -1) {
            let n = path[k], mover = nodes[n].player
            if nodes[n].expanded {
                for c in Int(nodes[n].firstChild)..<Int(nodes[n].firstChild + nodes[n].childCount) where firstPlayer[Int(nodes[c].action)] == mover {
                    nodes[c].amafVisits += 1
                    nodes[c].amafValueSum += value
                }
            }
            if k > 0 { firstPlayer[Int(nodes[n].action)] = nodes[path[k - 1]].player }
        }
    }

    /// Visits of each legal root action (action id, visits).
    public var rootVisits: [(action: Int, visits: Int)] {
        let r = nodes[0]
        guard r.expanded else { return [] }
        return (Int(r.firstChild)..<Int(r.firstChild + r.childCount)).map { (Int(nodes[$0].action), Int(nodes[$0].visits)) }
    }

    /// Mean return of the root's simulations for the player to move there.
    public var rootValue: Double {
        let r = nodes[0]
        return r.visits == 0 ? 0 : Double(r.valueSum[Int(r.player)]) / Double(r.visits)
    }

    /// Q of a root child for the player to move at the root.
    public func rootQ(_ action: Int) -> Double? {
        let r = nodes[0]
        for c in Int(r.firstChild)..<Int(r.firstChild + r.childCount) where Int(nodes[c].action) == action {
            return nodes[c].visits == 0 ? nil : Double(nodes[c].valueSum[Int(r.player)]) / Double(nodes[c].visits)
        }
        return nil
    }

    /// The move to play: Gumbel search's choice; else the most visits, or drawn ∝ visits^(1/τ).
    public func bestAction() -> Int {
        if config.selection == .gumbel, let chosen = gumbelChoice { return chosen }
        let visits = rootVisits
        precondition(!visits.isEmpty, "search before choosing a move")
        if config.temperature <= 0 {
            return visits.max { $0.visits < $1.visits || ($0.visits == $1.visits && $0.action > $1.action) }!.action
        }
        let weights = visits.map { pow(Double($0.visits), 1 / config.temperature) }
        var u = Double(generator.nextUniform()) * weights.reduce(0, +)
        for (k, w) in weights.enumerated() { u -= w; if u < 0 { return visits[k].action } }
        return visits.last!.action
    }
}
