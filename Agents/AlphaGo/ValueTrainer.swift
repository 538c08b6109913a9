// AlphaGo's value network v_θ: regression of the game's outcome on positions of self-play,
// one position per game (successive positions of one game are so alike that training on all
// of them over-fits to whole games; the paper's fix). Each game draws U uniformly from
// 0 … min(maxMoves, N²) − 1, plays U moves with the supervised policy p_σ, one uniformly random
// sensible move, then the policy-gradient policy p_ρ for both sides to the end; the position
// after the random move is kept with the outcome for its player to move (±1). Loss: MSE;
// SGD with momentum; a tenth of the games is held out to report the MSE on unseen games.
import Foundation
import Go
import Neural
import Tensors

public struct ValueExample: Sendable {
    /// The 49 value planes.
    public let planes: PackedPlanes
    /// The outcome for the player to move: +1 won, −1 lost, 0 draw.
    public let outcome: Float
}

public final class ValueTrainer: SymmetricSGDTrainer {
    private let mse = MeanSquaredError()

    public init(config: AlphaGoConfig, seed: UInt64) {
        super.init(config: config, seed: seed, network: AlphaGoNetworks.value, learningRate: config.valueLearningRate,
                   momentum: config.valueMomentum, weightDecay: config.valueWeightDecay)
    }

    /// `games` self-play games, one example each (games that end before the random move give
    /// none), played `batch` at a time.
    public func generate(games: Int, supervised: PolicyNetwork, reinforced: PolicyNetwork, batch: Int = 64,
                         progress: ((Int) -> Void)? = nil) -> [ValueExample] {
        let n = config.boardSize, area = n * n, horizon = max(1, min(config.maxMoves, area))
        var examples: [ValueExample] = []
        var played = 0
        while played < games {
            let count = min(batch, games - played)
            let random = (0..<count).map { _ in generator.nextInt(below: horizon) }
            let out = PolicyGames.play(count: count, config: config, networks: [supervised, reinforced], generator: &generator,
                                       source: { g, ply in ply < random[g] ? .network(0) : ply == random[g] ? .random : .network(1) },
                                       keep: { g, ply, _ in ply == random[g] + 1 })
            for game in out {
                guard let kept = game.kept.first else { continue }
                examples.append(ValueExample(planes: Self.valuePlanes(kept.planes, toPlay: kept.color), outcome: game.reward(for: kept.color)))
            }
            played += count
            progress?(played)
        }
        return examples
    }

    /// The 48 policy planes plus the 49th ("player to move is black").
    static func valuePlanes(_ planes: PackedPlanes, toPlay: Stone) -> PackedPlanes {
        let n = planes.size
        var features = [Float](repeating: 0, count: GoGame.alphaGoPolicyPlanes * n * n)
        features.withUnsafeMutableBufferPointer { planes.unpack(into: $0.baseAddress!, permutation: Array(0..<(n * n))) }
        return PackedPlanes(AlphaGoInputs.valuePlanes(features, toPlay: toPlay, size: n), planes: GoGame.alphaGoValuePlanes, size: n)
    }

    /// `steps` SGD steps on random examples under random symmetries; the mean loss.
    public func train(_ examples: [ValueExample], steps: Int) throws -> Double {
        precondition(!examples.isEmpty, "no value examples")
        network.isTraining = true
        var input = Tensor.empty, target = Tensor.empty, gradient = Tensor.empty
        var total = 0.0
        for _ in 0..<steps {
            fill(&input, &target, count: config.valueBatchSize) { _ in (examples[generator.nextInt(below: examples.count)], generator.nextInt(below: 8)) }
            let v = network.forward(input)
            try checkFinite(v, "value output", learningRate: config.valueLearningRate)
            total += Double(mse(v, target, gradient: &gradient))
            network.parameters.zeroGradients()
            _ = network.backward(gradient)
            optimizer.step()
            step += 1
        }
        network.isTraining = false
        return total / Double(max(1, steps))
    }

    /// Mean squared error on `examples` (no symmetry).
    public func evaluate(_ examples: [ValueExample]) -> Double {
        guard !examples.isEmpty else { return 0 }
        network.isTraining = false
        var input = Tensor.empty, target = Tensor.empty, gradient = Tensor.empty
        var total = 0.0
        for start in stride(from: 0, to: examples.count, by: 256) {
            let part = examples[start..<min(examples.count, start + 256)]
            fill(&input, &target, count: part.count) { (part[part.startIndex + $0], 0) }
            total += Double(mse(network.forward(input), target, gradient: &gradient)) * Double(part.count)
        }
        return total / Double(examples.count)
    }

    func fill(_ input: inout Tensor, _ target: inout Tensor, count: Int, example: (Int) -> (ValueExample, Int)) {
        let n = config.boardSize, per = GoGame.alphaGoValuePlanes * n * n
        Tensor.prepare(&input, shape: [count, GoGame.alphaGoValuePlanes, n, n])
        Tensor.prepare(&target, shape: [count, 1])
        for b in 0..<count {
            let (e, s) = example(b)
            e.planes.unpack(into: input.scratchPointer + b * per, permutation: tables.permutations[s])
            target.scratchPointer[b] = e.outcome
        }
    }

    public func save(to path: String, heldOutMSE: Double?) throws {
        var extra: [String: String] = [:]
        if let m = heldOutMSE { extra["held_out_mse"] = String(m) }
        try AlphaGoCheckpoint.save(to: path, stage: .value, config: config, network: network, optimizer: nil, step: step,
                                   generator: generator, extra: extra)
    }
}
