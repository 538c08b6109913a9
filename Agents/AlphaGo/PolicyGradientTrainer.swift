// AlphaGo's policy-gradient stage p_ρ (REINFORCE, Williams 1992): the network, initialised
// from the supervised policy, plays minibatches of games against an opponent drawn from a pool
// of its earlier selves (the pool starts with p_σ and gains the current weights every
// `poolEvery` iterations — playing a pool rather than the latest self stops it over-fitting
// to one opponent). Every move the learner made gets the game's outcome z = ±1 as its reward:
// Δρ ∝ Σ z · ∇ log p_ρ(a | s), averaged over the learner's moves of the minibatch. The
// learner plays Black in even-numbered games and White in odd ones.
// Checkpoints hold the learner, its optimizer, the generator and the whole pool (tensors
// `pool.<k>.<parameter>`), so a run resumes exactly where it stopped.
import Foundation
import Go
import Neural
import Tensors

public struct PolicyGradientReport: Sendable {
    public var iteration: Int
    public var games: Int, moves: Int
    /// The learner's win rate in this iteration's training games (against the pool).
    public var winRateAgainstPool: Double
    /// Against the supervised policy, both sides sampling (nil: not evaluated this time).
    public var winRateAgainstSupervised: Double?
    public var loss: Double
    public var gamesPerHour: Double
}

public final class PolicyGradientTrainer {
    public let config: AlphaGoConfig
    public let network: Sequential
    let optimizer: SGD
    public internal(set) var generator: SeededGenerator
    public internal(set) var iteration = 0
    /// Weights of earlier selves; the first entry is the supervised policy.
    public internal(set) var pool: [[Tensor]]
    let learner: PolicyNetwork, opponent: PolicyNetwork, supervised: PolicyNetwork
    private let loss = PolicyGradientLoss()

    /// Starts from the supervised policy's weights.
    public init(supervised: PolicyNetwork, seed: UInt64) {
        config = supervised.config
        generator = SeededGenerator(seed: seed)
        var unused = SeededGenerator(seed: 0)
        network = AlphaGoNetworks.policy(config, generator: &unused)
        network.parameters.copyValues(from: supervised.network.parameters)
        optimizer = SGD(parameters: network.parameters, learningRate: Float(config.pgLearningRate))
        pool = [network.parameters.map { $0.value.copy() }]
        learner = PolicyNetwork(config: config, network: network)
        opponent = PolicyNetwork(config: config, network: AlphaGoNetworks.policy(config, generator: &unused))
        self.supervised = supervised
    }

    /// One minibatch of games against a pool member, then one REINFORCE step.
    public func runIteration() throws -> PolicyGradientReport {
        let start = Date()
        let member = generator.nextInt(below: pool.count)
        for (p, value) in zip(opponent.network.parameters, pool[member]) { p.value.scratchPointer.update(from: value.pointer, count: value.count) }
        let count = config.pgGamesPerIteration
        let games = PolicyGames.play(count: count, config: config, networks: [learner, opponent], generator: &generator,
                                     source: { g, ply in .network((ply % 2 == 0) == (g % 2 == 0) ? 0 : 1) },
                                     keep: { g, _, color in (color == .black) == (g % 2 == 0) })
        var positions: [PlayedPosition] = [], rewards: [Float] = []
        var wins = 0.0
        for (g, game) in games.enumerated() {
            let z = game.reward(for: g % 2 == 0 ? .black : .white)
            wins += Double(z + 1) / 2
            for p in game.kept where p.action != config.boardSize * config.boardSize {   // passes are forced, not chosen
                positions.append(p); rewards.append(z)
            }
        }
        if config.pgBaseline && !rewards.isEmpty {
            let mean = rewards.reduce(0, +) / Float(rewards.count)
            rewards = rewards.map { $0 - mean }
        }
        let meanLoss = step(positions, rewards: rewards)
        guard meanLoss.isFinite else {
            throw AlphaGoError("training diverged at iteration \(iteration + 1): the policy-gradient loss became \(meanLoss); lower pgLearningRate (now \(config.pgLearningRate)) and start again")
        }
        iteration += 1
        if iteration % config.poolEvery == 0 { pool.append(network.parameters.map { $0.value.copy() }) }
        var report = PolicyGradientReport(iteration: iteration, games: count, moves: positions.count, winRateAgainstPool: wins / Double(count),
                                          loss: meanLoss, gamesPerHour: Double(count) * 3600 / max(1e-9, Date().timeIntervalSince(start)))
        if config.evaluationGames > 0 && iteration % config.pgReportEvery == 0 {
            report.winRateAgainstSupervised = winRate(against: supervised, games: config.evaluationGames)
        }
        return report
    }

    /// One SGD step on −mean(z · log p(a | s)) over `positions` (in chunks of 256, gradients
    /// accumulated, so the step is the same whatever the chunking); the mean loss.
    func step(_ positions: [PlayedPosition], rewards: [Float]) -> Double {
        guard !positions.isEmpty else { return 0 }
        let n = config.boardSize, area = n * n, per = GoGame.alphaGoPolicyPlanes * area
        let identity = SymmetryTables(size: n).identity
        network.isTraining = true
        network.parameters.zeroGradients()
        var input = Tensor.empty, mask = Tensor.empty, gradient = Tensor.empty
        var total = 0.0
        for start in stride(from: 0, to: positions.count, by: 256) {
            let part = start..<min(positions.count, start + 256)
            Tensor.prepare(&input, shape: [part.count, GoGame.alphaGoPolicyPlanes, n, n])
            Tensor.prepare(&mask, shape: [part.count, area])
            for (b, i) in part.enumerated() {
                positions[i].planes.unpack(into: input.scratchPointer + b * per, permutation: identity)
                (mask.scratchPointer + b * area).update(from: input.pointer + b * per + AlphaGoInputs.sensiblePlane * area, count: area)
            }
            // The loss averages over its rows; weight each chunk by its share of all moves.
            let share = Float(part.count) / Float(positions.count)
            let logits = network.forward(input)
            if firstNonFinite(logits) != nil { return .nan }   // diverged: the caller says so
            total += Double(loss(logits, actions: part.map { positions[$0].action }, advantages: part.map { rewards[$0] * share },
                                 mask: mask, gradient: &gradient))
            _ = network.backward(gradient)
        }
        optimizer.step()
        network.isTraining = false
        return total
    }

    /// The learner's win rate against `other` over `games` games, colours alternating, both
    /// sides sampling (draws count half).
    public func winRate(against other: PolicyNetwork, games: Int) -> Double {
        let played = PolicyGames.play(count: games, config: config, networks: [learner, other], generator: &generator,
                                      source: { g, ply in .network((ply % 2 == 0) == (g % 2 == 0) ? 0 : 1) }, keep: { _, _, _ in false })
        let score = played.enumerated().reduce(0.0) { $0 + Double($1.element.reward(for: $1.offset % 2 == 0 ? .black : .white) + 1) / 2 }
        return score / Double(max(1, games))
    }

    /// `initPath`: the supervised policy it started from (the value stage plays it too).
    public func save(to path: String, report: PolicyGradientReport?, initPath: String? = nil) throws {
        var extra: [String: String] = [:]
        if let initPath { extra["init"] = initPath }
        if let w = report?.winRateAgainstSupervised { extra["win_rate_vs_sl"] = String(w) }
        let members = pool.enumerated().flatMap { k, weights in
            zip(network.parameters, weights).map { Parameter(name: "\(Self.poolPrefix)\(k).\($0.name)", value: $1, isTrainable: false) }
        }
        try AlphaGoCheckpoint.save(to: path, stage: .pgPolicy, config: config, network: network, optimizer: optimizer, step: iteration,
                                   generator: generator, extra: extra, more: members)
    }

    static let poolPrefix = "pool."

    /// Continues a run from its checkpoint: learner, optimizer, generator, iteration and pool.
    public func restore(from path: String) throws {
        let file = try SafeTensorsFile.read(from: path)
        var members: [[Tensor]] = []
        while file["\(Self.poolPrefix)\(members.count).\(network.parameters[0].name)"] != nil {
            let k = members.count
            members.append(try network.parameters.map { p in
                let name = "\(Self.poolPrefix)\(k).\(p.name)"
                guard let t = file[name], t.shape == p.value.shape else {
                    throw AlphaGoError("\(path): pool member \(k) lacks \(name) or has the wrong shape; the file is damaged")
                }
                return t
            })
        }
        guard !members.isEmpty else { throw AlphaGoError("\(path) holds no opponent pool; resume needs a checkpoint written by dojo train pg-policy") }
        if let g = try AlphaGoCheckpoint.restore(file, path: path, into: network, optimizer: optimizer) { generator = g }
        iteration = Int(file.metadata["step"] ?? "") ?? 0
        pool = members
    }
}
