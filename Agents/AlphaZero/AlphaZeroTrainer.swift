// The AlphaZero loop on one machine, for any two-player environment: self-play with the
// current network, positions into a window (and, with a run directory, into self-play files
// on disk), SGD (or Adam) on random positions of the window, each under a random one of the board's
// symmetries (BoardSymmetry.swift: Go's 8, Connect Four's mirror), repeat. Loss = policy
// cross-entropy against the visit distribution (illegal moves masked) + value MSE against the
// outcome, L2 by weight decay. Self-play uses a second copy of the network in evaluation mode
// with BatchNorm folded into the convolutions, refreshed from the trained weights every
// iteration.
import Foundation
import MCTS
import Neural
import RL
import Tensors

public struct IterationReport: Sendable {
    public var iteration: Int
    public var games: Int
    public var positions: Int
    public var policyLoss: Double, valueLoss: Double, entropy: Double
    /// KataGo's auxiliary losses (unweighted MSE), when the network has those heads.
    public var ownershipLoss: Double?, scoreLoss: Double?
    /// Games the first player (Go: Black) won.
    public var firstPlayerWins: Int
    public var meanMoves: Double
    public var selfPlaySeconds: Double, trainSeconds: Double
    /// Win rates of the new network against the uniform-random player, the previous best
    /// network and pure MCTS with light playouts at the same simulations (nil: not evaluated).
    public var winRateAgainstRandom: Double?
    public var winRateAgainstBest: Double?
    public var winRateAgainstMCTS: Double?
    /// With gating: whether the new network was rejected (the previous best kept).
    public var rejected = false
    /// Games that ended by resignation, and among played-out games where a side wanted to
    /// resign, the fraction that side won (nil: none such).
    public var resignations = 0
    public var resignFalsePositiveRate: Double?
}

public final class AlphaZeroTrainer {
    public let config: AlphaZeroConfig
    /// The game's starting position.
    public let start: any Environment
    /// Who the evaluation games are played against (and how the network plays them).
    public let players: any EvaluationPlayers
    /// The network's input and output: the game's observation and action count.
    public let shape: PositionShape
    /// The board's symmetries for augmentation, identity first.
    public let symmetries: [BoardSymmetry]
    public let network: TwoHeadNetwork
    let optimizer: any Optimizer
    let schedule: LearningRateSchedule
    var generator: SeededGenerator
    public internal(set) var window: [TrainingPosition] = []
    public internal(set) var iteration = 0
    public internal(set) var gamesPlayed = 0
    /// Wall-clock seconds the run's iterations have taken so far, across resumes (the run
    /// loop adds each iteration's; the x axis of strength against compute).
    public var trainingSeconds = 0.0
    /// The weights of the best network so far (the previous iteration's without gating).
    var best: [Tensor] = []
    /// Where self-play files go (nil: memory only).
    public let selfPlayDirectory: String?
    /// The self-play files taken into the window, in the order taken — the trainer's own and
    /// actors' (saved in the checkpoint: no game is counted twice, and a resume refills the
    /// window from them).
    public internal(set) var ingested: [String] = []
    private let crossEntropy = SoftmaxCrossEntropy(), mse = MeanSquaredError()

    /// The version of the network as it stands: the number of iterations trained (0: the
    /// untrained network). Self-play files record the version that played them, and
    /// `publish(to:)` names the network's files after it.
    public var networkVersion: Int { iteration }

    /// The learning rate of the last update (it follows `config.schedule`).
    public var learningRate: Double { Double(optimizer.learningRate) }

    /// The residual policy/value network for positions of `shape`.
    public static func makeNetwork(_ config: AlphaZeroConfig, shape: PositionShape, generator: inout SeededGenerator) -> TwoHeadNetwork {
        let o = shape.observation
        return TwoHeadNetwork.policyValue(height: o.height, width: o.width, planes: o.channels, actions: shape.actions, filters: config.filters,
                                          blocks: config.blocks, valueHidden: config.valueHidden, globalPooling: config.globalPoolingChannels,
                                          ownership: config.ownershipWeight > 0, score: config.scoreWeight > 0, generator: &generator)
    }

    /// `start`: the game `config.environment` names, as the caller's catalog made it (and the
    /// game's glue set it up); `players`: the evaluation's players for that game.
    public init(config: AlphaZeroConfig, seed: UInt64, selfPlayDirectory: String? = nil, start: any Environment,
                players: any EvaluationPlayers = GenericEvaluationPlayers()) {
        self.config = config
        self.start = start
        self.players = players
        shape = PositionShape(start)
        symmetries = BoardSymmetry.all(of: start)
        generator = SeededGenerator(seed: seed)
        var weights = generator.derived(stream: 1)
        network = Self.makeNetwork(config, shape: shape, generator: &weights)
        let lr = Float(config.learningRate), decay = Float(config.weightDecay)
        optimizer = config.optimizer == .adam
            ? Adam(parameters: network.parameters, learningRate: lr, weightDecay: decay)
            : SGD(parameters: network.parameters, learningRate: lr, momentum: Float(config.momentum), weightDecay: decay)
        schedule = config.learningRateSchedule
        self.selfPlayDirectory = selfPlayDirectory
    }

    /// The evaluator self-play and evaluation use: a copy of the trained weights with BN folded
    /// (folding changes the layers, so the copy is rebuilt each time).
    public func currentEvaluator() -> NetworkEvaluator {
        Self.inferenceEvaluator(config, shape: shape, parameters: network.parameters)
    }

    /// An evaluation-mode network with `parameters`' values, BN folded.
    public static func inferenceEvaluator(_ config: AlphaZeroConfig, shape: PositionShape, parameters: [Parameter]) -> NetworkEvaluator {
        var unused = SeededGenerator(seed: 0)
        let copy = makeNetwork(config, shape: shape, generator: &unused)
        copy.parameters.copyValues(from: parameters)
        copy.isTraining = false
        copy.foldBatchNorm()
        return NetworkEvaluator(network: copy, observationShape: shape.observation, actionCount: shape.actions)
    }

    /// One iteration: self-play, training, optional evaluation.
    public func runIteration() throws -> IterationReport {
        let clock = Date()
        // Self-play workers: one per --threads, each with its own copy of the network; games are
        // seeded in order and kept in order, so the results do not depend on the scheduling.
        let seeds = (0..<config.gamesPerIteration).map { _ in generator.next() }
        let evaluators = (0..<Parallel.workers(for: seeds.count)).map { _ in currentEvaluator() }
        var slots = [SelfPlayGame?](repeating: nil, count: seeds.count)
        slots.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            Parallel.forEach(seeds.count) { g, worker in
                slots[g] = SelfPlay.play(start, evaluator: evaluators[worker], config: config, seed: seeds[g])
            }
        }
        let games = slots.map { $0! }
        var files: [String] = []
        if let dir = selfPlayDirectory {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (g, game) in games.enumerated() {
                let name = String(format: "iter%05d-game%04d.dojoaz", iteration, g)
                try SelfPlayRecord.write(game.positions, shape: shape, networkVersion: networkVersion, to: (dir as NSString).appendingPathComponent(name))
                files.append(name)
            }
        }
        return learn(from: games, files: files, selfPlaySeconds: Date().timeIntervalSince(clock))
    }

    /// One iteration of a learner whose games come from actors (`dojo selfplay --run`): takes
    /// `files` (names in the self-play directory, not taken before) into the window, then
    /// trains and evaluates as `runIteration()` does.
    public func runIteration(ingesting files: [String]) throws -> IterationReport {
        guard let dir = selfPlayDirectory else { throw AlphaZeroError("a learner without a run folder has no actors' games to take") }
        let clock = Date()
        let taken = Set(ingested)
        var games: [SelfPlayGame] = []
        for name in files {
            guard !taken.contains(name) else { throw AlphaZeroError("\(name) is already in the window; a game is counted once") }
            let path = (dir as NSString).appendingPathComponent(name)
            let record = try SelfPlayRecord.read(path)
            guard record.shape == shape else { throw AlphaZeroError("\(path) holds positions of \(record.shape), but this network takes \(shape); move the file out of the run's selfplay folder") }
            games.append(SelfPlayGame(recorded: record.positions))
        }
        return learn(from: games, files: files, selfPlaySeconds: Date().timeIntervalSince(clock))
    }

    /// The learner's half of an iteration: the games into the window, training, the report.
    private func learn(from games: [SelfPlayGame], files: [String], selfPlaySeconds: Double) -> IterationReport {
        window += games.flatMap(\.positions)
        if window.count > config.windowPositions { window.removeFirst(window.count - config.windowPositions) }
        ingested += files
        gamesPlayed += games.count
        let clock = Date()
        let losses = train(steps: config.trainSteps)
        let trainSeconds = Date().timeIntervalSince(clock)
        iteration += 1
        var report = IterationReport(iteration: iteration, games: games.count, positions: games.reduce(0) { $0 + $1.positions.count },
                                     policyLoss: losses.policy, valueLoss: losses.value, entropy: losses.entropy,
                                     firstPlayerWins: games.filter { $0.outcome[0] > 0 }.count,
                                     meanMoves: Double(games.reduce(0) { $0 + $1.moves }) / Double(max(1, games.count)),
                                     selfPlaySeconds: selfPlaySeconds, trainSeconds: trainSeconds)
        report.ownershipLoss = losses.ownership
        report.scoreLoss = losses.score
        report.resignations = games.filter { $0.resigned != nil }.count
        let checked = games.compactMap(\.falsePositive)
        if !checked.isEmpty { report.resignFalsePositiveRate = Double(checked.filter { $0 }.count) / Double(checked.count) }
        if config.evaluationGames > 0 && iteration % config.evaluateEvery == 0 { evaluate(&report) }
        return report
    }

    /// Mean losses of a run of training steps (the auxiliary ones nil when the network has no
    /// such head).
    public struct Losses {
        public var policy = 0.0, value = 0.0, entropy = 0.0
        public var ownership: Double?, score: Double?
    }

    /// `steps` SGD steps on random window positions, each under a random symmetry; mean losses.
    /// Loss = policy cross-entropy + value MSE + ownershipWeight · ownership MSE per point +
    /// scoreWeight · score MSE (KataGo's auxiliary targets, on positions that have them).
    public func train(steps: Int) -> Losses {
        guard !window.isEmpty, steps > 0 else { return Losses() }
        network.isTraining = true
        var batch = TrainingBatch(count: config.batchSize, shape: shape)
        var dp = Tensor.empty, dv = Tensor.empty, dOwnership = Tensor.empty, dScore = Tensor.empty
        var totals = Losses()
        for _ in 0..<steps {
            var policyRows = 0
            for b in 0..<config.batchSize {
                let position = window[generator.nextInt(below: window.count)]
                batch.set(b, position, symmetries[generator.nextInt(below: symmetries.count)])
                if position.policyTarget { policyRows += 1 }
            }
            let outputs = network.forwardAll(batch.planes)
            let logits = outputs.policy
            let policyLoss = crossEntropy(logits, .soft(batch.policy), mask: batch.legal, gradient: &dp)
            let valueLoss = mse(outputs.value, batch.outcome, gradient: &dv)
            if let o = outputs.ownership {
                let loss = batch.auxiliaryLoss(o, target: \.ownership, weight: Float(config.ownershipWeight), gradient: &dOwnership)
                totals.ownership = (totals.ownership ?? 0) + Double(loss)
            }
            if let sc = outputs.score {
                let loss = batch.auxiliaryLoss(sc, target: \.score, weight: Float(config.scoreWeight), gradient: &dScore)
                totals.score = (totals.score ?? 0) + Double(loss)
            }
            network.parameters.zeroGradients()
            _ = network.backward(policyGradient: dp, valueGradient: dv,
                                 ownershipGradient: outputs.ownership == nil ? nil : dOwnership, scoreGradient: outputs.score == nil ? nil : dScore)
            optimizer.learningRate = schedule.rate(at: optimizer.stepCount)
            optimizer.step()
            // Reported per row that has a policy target (the gradient is the batch mean, as KataGo's).
            totals.policy += policyRows == 0 ? 0 : Double(policyLoss) * Double(config.batchSize) / Double(policyRows)
            totals.value += Double(valueLoss)
            totals.entropy += Self.meanEntropy(logits, mask: batch.legal)
        }
        network.isTraining = false
        let n = Double(steps)
        totals.policy /= n; totals.value /= n; totals.entropy /= n
        totals.ownership = totals.ownership.map { $0 / n }
        totals.score = totals.score.map { $0 / n }
        return totals
    }

    /// Mean policy cross-entropy and value MSE of the network (evaluation mode, no symmetry) on
    /// `positions` — a fixed yardstick, unlike the training batches' losses.
    public func loss(on positions: [TrainingPosition]) -> (policy: Double, value: Double) {
        guard !positions.isEmpty else { return (0, 0) }
        var batch = TrainingBatch(count: positions.count, shape: shape)
        for (b, p) in positions.enumerated() { batch.set(b, p, symmetries[0]) }
        var dp = Tensor.empty, dv = Tensor.empty
        network.isTraining = false
        let (logits, value) = network.forward(batch.planes)
        return (Double(crossEntropy(logits, .soft(batch.policy), mask: batch.legal, gradient: &dp)),
                Double(mse(value, batch.outcome, gradient: &dv)))
    }

    /// Mean entropy (nats) of the network's policy over the legal moves.
    static func meanEntropy(_ logits: Tensor, mask: Tensor) -> Double {
        let rows = logits.shape[0], k = logits.shape[1], l = logits.pointer, m = mask.pointer
        var total = 0.0
        for r in 0..<rows {
            var best = -Float.infinity
            for j in 0..<k where m[r * k + j] != 0 { best = max(best, l[r * k + j]) }
            var s = 0.0, e = 0.0
            for j in 0..<k where m[r * k + j] != 0 { s += Double(expf(l[r * k + j] - best)) }
            for j in 0..<k where m[r * k + j] != 0 {
                let p = Double(expf(l[r * k + j] - best)) / s
                if p > 0 { e -= p * log(p) }
            }
            total += e
        }
        return total / Double(max(1, rows))
    }
}

/// Network inputs and targets for a batch of positions: planes [B, C, H, W], visit
/// distributions and legal masks [B, actions], outcomes [B, 1], and the auxiliary targets —
/// owners [B, H·W] and score margins per board area [B, 1] — with which rows have them.
struct TrainingBatch {
    let shape: PositionShape
    var planes: Tensor, policy: Tensor, legal: Tensor, outcome: Tensor
    var ownership: Tensor, score: Tensor
    var hasAuxiliary: [Bool]

    init(count: Int, shape: PositionShape) {
        self.shape = shape
        let o = shape.observation
        planes = Tensor(zeros: [count, o.channels, o.height, o.width])
        policy = Tensor(zeros: [count, shape.actions])
        legal = Tensor(zeros: [count, shape.actions])
        outcome = Tensor(zeros: [count, 1])
        ownership = Tensor(zeros: [count, o.height * o.width])
        score = Tensor(zeros: [count, 1])
        hasAuxiliary = [Bool](repeating: false, count: count)
    }

    /// weight · MSE of an auxiliary head against its target; rows without targets take the
    /// prediction as their target (no loss, no gradient). The gradient is scaled by `weight`;
    /// the loss returned is the unweighted MSE.
    mutating func auxiliaryLoss(_ prediction: Tensor, target path: WritableKeyPath<TrainingBatch, Tensor>, weight: Float,
                                gradient: inout Tensor) -> Float {
        let width = prediction.shape[1], p = prediction.pointer, t = self[keyPath: path].scratchPointer
        for (b, has) in hasAuxiliary.enumerated() where !has { (t + b * width).update(from: p + b * width, count: width) }
        let loss = MeanSquaredError()(prediction, self[keyPath: path], gradient: &gradient)
        Kernels.scale(gradient.count, weight, gradient.scratchPointer)
        return loss
    }

    /// Row `b` = `position` seen under `symmetry`.
    mutating func set(_ b: Int, _ position: TrainingPosition, _ symmetry: BoardSymmetry) {
        let k = shape.actions, per = shape.observation.count
        position.planes.withUnsafeBufferPointer {
            symmetry.apply(planes: $0.baseAddress!, channels: shape.observation.channels, into: planes.scratchPointer + b * per)
        }
        // A position whose visits are no policy target gets an empty row: no loss, no gradient.
        if position.policyTarget {
            symmetry.apply(actions: position.policy, into: policy.scratchPointer + b * k)
        } else {
            (policy.scratchPointer + b * k).update(repeating: 0, count: k)
        }
        symmetry.apply(actions: position.legal.map { $0 ? Float(1) : 0 }, into: legal.scratchPointer + b * k)
        outcome.scratchPointer[b] = position.outcome
        // Auxiliary targets count only when they cover the board (files are checked on read).
        let area = shape.observation.height * shape.observation.width
        hasAuxiliary[b] = false
        if let owners = position.ownership, let margin = position.score, owners.count == area {
            owners.withUnsafeBufferPointer { o in
                guard let base = o.baseAddress else { return }
                symmetry.apply(planes: base, channels: 1, into: ownership.scratchPointer + b * area)
                hasAuxiliary[b] = true
            }
            score.scratchPointer[b] = margin / Float(area)
        }
    }
}
