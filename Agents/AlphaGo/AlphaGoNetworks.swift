// AlphaGo's two networks (Silver et al. 2016, Methods "Neural network architecture"), with the
// number of layers and filters as settings (AlphaGoConfig):
//   policy  48 planes → conv 5×5 k, ReLU → (layers − 2) × [conv 3×3 k, ReLU] → conv 1×1 to one
//           plane → a bias per point → logits over the N² points (no pass: the policy passes
//           when no sensible move is left, as in the paper).
//   value   49 planes (the 48 and "player to move is black") → the same trunk → conv 1×1 to
//           one plane, ReLU → dense `valueHidden`, ReLU → dense 1 → tanh: the outcome for the
//           player to move, in −1…1.
// Planes and their order: Environments/Go/AlphaGoFeatures.swift.
import Foundation
import Go
import Neural
import Tensors

public enum AlphaGoNetworks {
    static func trunk(planes: Int, _ c: AlphaGoConfig, generator: inout SeededGenerator) -> [any Layer] {
        let first = Conv2D(inChannels: planes, outChannels: c.filters, kernel: 5, padding: 2, name: "conv1", generator: &generator)
        first.propagatesInputGradient = false
        var layers: [any Layer] = [first, ReLU()]
        for i in 0..<(c.layers - 2) {
            layers += [Conv2D(inChannels: c.filters, outChannels: c.filters, kernel: 3, padding: 1, name: "conv\(i + 2)", generator: &generator), ReLU()]
        }
        return layers
    }

    public static func policy(_ c: AlphaGoConfig, generator: inout SeededGenerator) -> Sequential {
        let area = c.boardSize * c.boardSize
        return Sequential(trunk(planes: GoGame.alphaGoPolicyPlanes, c, generator: &generator) + [
            Conv2D(inChannels: c.filters, outChannels: 1, kernel: 1, bias: false, name: "conv\(c.layers)", generator: &generator),
            Flatten(), Bias(features: area, name: "points"),
        ])
    }

    public static func value(_ c: AlphaGoConfig, generator: inout SeededGenerator) -> Sequential {
        let area = c.boardSize * c.boardSize
        return Sequential(trunk(planes: GoGame.alphaGoValuePlanes, c, generator: &generator) + [
            Conv2D(inChannels: c.filters, outChannels: 1, kernel: 1, name: "conv\(c.layers)", generator: &generator), ReLU(),
            Flatten(), Dense(inputs: area, outputs: c.valueHidden, name: "fc1", generator: &generator), ReLU(),
            Dense(inputs: c.valueHidden, outputs: 1, name: "fc2", generator: &generator), Tanh(),
        ])
    }
}

/// The planes AlphaGo's networks read and the moves its policy may choose.
public enum AlphaGoInputs {
    /// Plane 46: legal and not filling one of the mover's own eyes.
    public static let sensiblePlane = 46

    /// The value network's 49 planes: the 48 policy planes and "player to move is black".
    public static func valuePlanes(_ features: [Float], toPlay: Stone, size n: Int) -> [Float] {
        features + [Float](repeating: toPlay == .black ? 1 : 0, count: n * n)
    }

    /// The points where the policy may play (AlphaGo's "sensible" moves); empty ⇒ pass.
    public static func sensibleMoves(_ planes: [Float], size n: Int) -> [Int] {
        let area = n * n
        return (0..<area).filter { planes[sensiblePlane * area + $0] != 0 }
    }
}

/// One network call on a batch of positions' planes (C×N×N floats each).
private func forward(_ network: Sequential, _ input: inout Tensor, _ rows: [[Float]], planes: Int, size n: Int) -> UnsafePointer<Float> {
    let per = planes * n * n
    Tensor.prepare(&input, shape: [rows.count, planes, n, n])
    for (b, row) in rows.enumerated() {
        precondition(row.count == per, "this network plays \(n)×\(n) with \(planes) planes")
        (input.scratchPointer + b * per).update(from: row, count: per)
    }
    return network.forward(input).pointer
}

/// A network in evaluation mode with its config and an input buffer reused between calls.
public class PlayingNetwork: @unchecked Sendable {   // one thread uses it at a time (layers keep buffers)
    public let config: AlphaGoConfig
    public let network: Sequential
    var input = Tensor.empty

    public init(config: AlphaGoConfig, network: Sequential) {
        self.config = config
        self.network = network
        network.isTraining = false
    }
}

/// A policy network for play: move probabilities over the sensible points.
public final class PolicyNetwork: PlayingNetwork, @unchecked Sendable {
    /// For each game: the probability of each of the N²+1 actions (pass = N²), zero outside the
    /// sensible points; pass has probability 1 when no sensible point is left.
    public func distributions(_ games: [GoGame]) -> [[Float]] {
        distributions(features: games.map { $0.alphaGoFeatures() })
    }

    /// The same from precomputed 48-plane features.
    public func distributions(features: [[Float]]) -> [[Float]] {
        guard !features.isEmpty else { return [] }
        let n = config.boardSize, area = n * n
        let logits = forward(network, &input, features, planes: GoGame.alphaGoPolicyPlanes, size: n)
        return features.enumerated().map { b, f in
            var p = [Float](repeating: 0, count: area + 1)
            let sensible = AlphaGoInputs.sensibleMoves(f, size: n)
            guard !sensible.isEmpty else { p[area] = 1; return p }
            let row = logits + b * area
            let top = sensible.map { row[$0] }.max()!
            var total: Float = 0
            for a in sensible { p[a] = expf(row[a] - top); total += p[a] }
            for a in sensible { p[a] /= total }
            return p
        }
    }
}

/// A value network for play: the expected outcome for the player to move, in −1…1.
public final class ValueNetwork: PlayingNetwork, @unchecked Sendable {
    public func values(_ games: [GoGame]) -> [Float] {
        values(features: games.map { $0.alphaGoFeatures() }, toPlay: games.map(\.toPlay))
    }

    /// The same from precomputed 48-plane features (the search computes them once per leaf for
    /// both networks: they are the expensive part).
    public func values(features: [[Float]], toPlay: [Stone]) -> [Float] {
        guard !features.isEmpty else { return [] }
        let n = config.boardSize
        let rows = zip(features, toPlay).map { AlphaGoInputs.valuePlanes($0, toPlay: $1, size: n) }
        let v = forward(network, &input, rows, planes: GoGame.alphaGoValuePlanes, size: n)
        return (0..<features.count).map { v[$0] }
    }
}
