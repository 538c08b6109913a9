// AlphaGo's supervised policy p_σ: SGD on (position, expert move) pairs, maximising the log
// likelihood of the expert's move (softmax cross-entropy over the legal points), each example
// under a random one of the board's 8 symmetries. The learning rate is halved every
// `slHalvingSteps` steps (the paper halved it every 80M). Accuracy = how often the most likely
// legal point is the expert's move, on positions of held-out games, without augmentation.
import Foundation
import Go
import Neural
import Tensors

public struct PolicyReport: Sendable {
    public var step: Int
    public var trainLoss: Double, trainAccuracy: Double
    public var heldOutLoss: Double?, heldOutAccuracy: Double?
    public var examplesPerSecond: Double
    public init(step: Int, trainLoss: Double, trainAccuracy: Double, heldOutLoss: Double? = nil, heldOutAccuracy: Double? = nil, examplesPerSecond: Double) {
        self.step = step; self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
        self.heldOutLoss = heldOutLoss; self.heldOutAccuracy = heldOutAccuracy; self.examplesPerSecond = examplesPerSecond
    }
}

/// The first value of `t` that is not finite (a diverged network), if any.
func firstNonFinite(_ t: Tensor) -> Float? {
    let p = t.pointer
    return (0..<t.count).first { !p[$0].isFinite }.map { p[$0] }
}

/// What the supervised-policy and value trainers share: one network trained by SGD with
/// momentum on examples seen under random board symmetries, a step counter and the run's
/// generator (weights come from its derived stream 1).
public class SymmetricSGDTrainer {
    public let config: AlphaGoConfig
    public let network: Sequential
    let optimizer: SGD
    public internal(set) var generator: SeededGenerator
    public internal(set) var step = 0
    let tables: SymmetryTables

    /// Stops training with a sentence when `values` (a batch's outputs or loss) are not finite:
    /// the run diverged, and the last checkpoint is the last good state.
    func checkFinite(_ values: Tensor, _ what: String, learningRate: Double) throws {
        if let bad = firstNonFinite(values) {
            throw AlphaGoError("training diverged at step \(step + 1): the \(what) became \(bad); lower the learning rate (now \(learningRate)) and start again from the last checkpoint")
        }
    }

    init(config: AlphaGoConfig, seed: UInt64, network build: (AlphaGoConfig, inout SeededGenerator) -> Sequential,
         learningRate: Double, momentum: Double, weightDecay: Double) {
        self.config = config
        generator = SeededGenerator(seed: seed)
        var weights = generator.derived(stream: 1)
        network = build(config, &weights)
        optimizer = SGD(parameters: network.parameters, learningRate: Float(learningRate), momentum: Float(momentum), weightDecay: Float(weightDecay))
        tables = SymmetryTables(size: config.boardSize)
    }
}

public final class SupervisedPolicyTrainer: SymmetricSGDTrainer {
    private let crossEntropy = SoftmaxCrossEntropy()
    private var batch: PolicyBatch

    public init(config: AlphaGoConfig, seed: UInt64) {
        batch = PolicyBatch(size: config.boardSize)
        super.init(config: config, seed: seed, network: AlphaGoNetworks.policy, learningRate: config.slLearningRate,
                   momentum: config.slMomentum, weightDecay: config.slWeightDecay)
    }

    var schedule: LearningRateSchedule { .step(start: Float(config.slLearningRate), factor: 0.5, every: config.slHalvingSteps) }

    /// `steps` SGD steps on random training examples; mean loss and accuracy over them.
    public func train(_ examples: [MoveExample], steps: Int) throws -> (loss: Double, accuracy: Double) {
        precondition(!examples.isEmpty, "no training examples")
        network.isTraining = true
        var gradient = Tensor.empty
        var loss = 0.0, hits = 0
        for _ in 0..<steps {
            batch.fill(count: config.slBatchSize, tables: tables) { _ in
                (examples[generator.nextInt(below: examples.count)], generator.nextInt(below: 8))
            }
            let logits = network.forward(batch.planes)
            try checkFinite(logits, "policy logits", learningRate: config.slLearningRate)
            loss += Double(crossEntropy(logits, .hard(batch.moves), mask: batch.legal, gradient: &gradient))
            hits += batch.hits(logits)
            network.parameters.zeroGradients()
            _ = network.backward(gradient)
            optimizer.learningRate = schedule.rate(at: step)
            optimizer.step()
            step += 1
        }
        network.isTraining = false
        return (loss / Double(max(1, steps)), Double(hits) / Double(max(1, steps * config.slBatchSize)))
    }

    /// Mean loss and top-1 accuracy on `examples` (no symmetry), in batches of 256.
    public func evaluate(_ examples: [MoveExample]) -> (loss: Double, accuracy: Double) {
        guard !examples.isEmpty else { return (0, 0) }
        network.isTraining = false
        var gradient = Tensor.empty
        var loss = 0.0, hits = 0
        for start in stride(from: 0, to: examples.count, by: 256) {
            let part = examples[start..<min(examples.count, start + 256)]
            batch.fill(count: part.count, tables: tables) { (part[part.startIndex + $0], 0) }
            let logits = network.forward(batch.planes)
            loss += Double(crossEntropy(logits, .hard(batch.moves), mask: batch.legal, gradient: &gradient)) * Double(part.count)
            hits += batch.hits(logits)
        }
        return (loss / Double(examples.count), Double(hits) / Double(examples.count))
    }

    /// `sgf`: the game-record folder, kept so that --resume finds it again.
    public func save(to path: String, report: PolicyReport?, sgf: String? = nil) throws {
        var extra: [String: String] = [:]
        if let sgf { extra["sgf"] = sgf }
        if let a = report?.heldOutAccuracy { extra["held_out_accuracy"] = String(a) }
        try AlphaGoCheckpoint.save(to: path, stage: .slPolicy, config: config, network: network, optimizer: optimizer, step: step,
                                   generator: generator, extra: extra)
    }

    public func restore(from path: String) throws {
        if let g = try AlphaGoCheckpoint.restore(path, into: network, optimizer: optimizer) { generator = g }
        step = try AlphaGoCheckpoint.info(path).step
    }
}

/// Inputs and targets for a batch of policy examples: planes [B, 48, N, N], the expert's
/// point per row and the legal points [B, N²] (planes 20–27 — "capture size" — are one-hot
/// on exactly the legal points).
struct PolicyBatch {
    let size: Int
    var planes = Tensor.empty, legal = Tensor.empty
    var moves: [Int] = []

    init(size: Int) { self.size = size }

    mutating func fill(count: Int, tables: SymmetryTables, example: (Int) -> (MoveExample, Int)) {
        let area = size * size, per = GoGame.alphaGoPolicyPlanes * area
        Tensor.prepare(&planes, shape: [count, GoGame.alphaGoPolicyPlanes, size, size])
        Tensor.prepare(&legal, shape: [count, area])
        moves = []
        let x = planes.scratchPointer, m = legal.scratchPointer
        for b in 0..<count {
            let (e, s) = example(b)
            let perm = tables.permutations[s]
            e.planes.unpack(into: x + b * per, permutation: perm)
            moves.append(perm[e.move])
            for a in 0..<area {
                var isLegal: Float = 0
                for p in 20..<28 where x[b * per + p * area + a] != 0 { isLegal = 1 }
                m[b * area + a] = isLegal
            }
            m[b * area + moves[b]] = 1    // an expert move our rules call illegal still counts
        }
    }

    /// Rows whose most likely legal point is the target.
    func hits(_ logits: Tensor) -> Int {
        let area = size * size, l = logits.pointer, m = legal.pointer
        var hits = 0
        for b in 0..<moves.count {
            var best = -1, top = -Float.infinity
            for a in 0..<area where m[b * area + a] != 0 && l[b * area + a] > top { top = l[b * area + a]; best = a }
            if best == moves[b] { hits += 1 }
        }
        return hits
    }
}
