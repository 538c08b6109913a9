// A shared trunk feeding a policy head and a value head (AlphaGo Zero's network shape), and
// optionally KataGo's auxiliary heads (Wu 2019, §4.2): the final owner of every point and the
// final score margin, trained as extra targets that shape the trunk. `forward` returns
// (policy logits [batch, actions], value [batch, 1]) and skips the auxiliary heads (inference
// needs none); `forwardAll` adds them. `backward` takes each output's gradient, sums the heads'
// input gradients and runs the trunk backward.
import Tensors

public final class TwoHeadNetwork {
    public let trunk: Sequential, policyHead: Sequential, valueHead: Sequential
    /// Auxiliary heads (nil when absent): ownership, tanh per point [batch, height·width]
    /// (+1 the player to move's, −1 the opponent's); score, [batch, 1], the margin for the
    /// player to move in units of the board's area.
    public let ownershipHead: Sequential?, scoreHead: Sequential?
    private var trunkGradient = Tensor.empty

    public init(trunk: Sequential, policyHead: Sequential, valueHead: Sequential,
                ownershipHead: Sequential? = nil, scoreHead: Sequential? = nil) {
        self.trunk = trunk; self.policyHead = policyHead; self.valueHead = valueHead
        self.ownershipHead = ownershipHead; self.scoreHead = scoreHead
    }

    var heads: [Sequential] { [policyHead, valueHead] + [ownershipHead, scoreHead].compactMap { $0 } }

    public var parameters: [Parameter] { trunk.parameters + heads.flatMap(\.parameters) }

    public var isTraining: Bool {
        get { trunk.isTraining }
        set { for chain in [trunk] + heads { chain.isTraining = newValue } }
    }

    public func forward(_ x: Tensor) -> (policy: Tensor, value: Tensor) {
        let h = trunk.forward(x)
        return (policyHead.forward(h), valueHead.forward(h))
    }

    /// Every head's output (the auxiliary ones nil when absent).
    public func forwardAll(_ x: Tensor) -> (policy: Tensor, value: Tensor, ownership: Tensor?, score: Tensor?) {
        let h = trunk.forward(x)
        return (policyHead.forward(h), valueHead.forward(h), ownershipHead?.forward(h), scoreHead?.forward(h))
    }

    /// After `forward` or `forwardAll`: the auxiliary heads' gradients are used when given (and
    /// must be, for heads `forwardAll` ran).
    public func backward(policyGradient: Tensor, valueGradient: Tensor, ownershipGradient: Tensor? = nil, scoreGradient: Tensor? = nil) -> Tensor {
        let gp = policyHead.backward(policyGradient)
        let gv = valueHead.backward(valueGradient)
        Tensor.prepare(&trunkGradient, shape: gp.shape)
        Kernels.add(gp.count, gp.pointer, gv.pointer, trunkGradient.scratchPointer)
        for (head, gradient) in [(ownershipHead, ownershipGradient), (scoreHead, scoreGradient)] {
            guard let head, let gradient else { continue }
            let g = head.backward(gradient)
            Kernels.add(g.count, g.pointer, trunkGradient.pointer, trunkGradient.scratchPointer)
        }
        return trunk.backward(trunkGradient)
    }

    /// Folds every BatchNorm that directly follows a convolution into it (inference only).
    public func foldBatchNorm() {
        for chain in [trunk] + heads {
            var previous: (any Layer)?
            for layer in chain.layers {
                if let block = layer as? any TwoConvolutionBlock { block.foldBatchNorm() }
                if let bn = layer as? BatchNorm2D, let conv = previous as? Conv2D { bn.fold(into: conv) }
                previous = layer
            }
        }
    }

    /// AlphaGo Zero's network (Silver et al. 2017) for a `board`×`board` game with `planes`
    /// input planes and board²+1 moves (pass last); see `policyValue`.
    public static func alphaGoZero(board: Int, planes: Int, filters: Int, blocks: Int,
                                   valueHidden: Int = 256, generator: inout SeededGenerator) -> TwoHeadNetwork {
        policyValue(height: board, width: board, planes: planes, actions: board * board + 1, filters: filters, blocks: blocks,
                    valueHidden: valueHidden, generator: &generator)
    }

    /// AlphaGo Zero's architecture for any grid game: `planes` × `height` × `width` input, stem
    /// conv 3×3 + BN + ReLU, `blocks` residual blocks of `filters`; policy head 1×1 conv to 2 +
    /// BN + ReLU + dense to `actions` logits; value head 1×1 conv to 1 + BN + ReLU + dense
    /// `valueHidden` + ReLU + dense 1 + tanh.
    /// `globalPooling`: channels pooled in KataGo's global pooling blocks (0: none), which are
    /// every third block (the 3rd, 6th, …) or, with fewer than three, the last.
    /// `ownership`, `score`: KataGo's auxiliary heads — ownership 1×1 conv to 1 (with bias) +
    /// tanh per point; score 1×1 conv to 1 + BN + ReLU + dense `valueHidden` + ReLU + dense 1.
    public static func policyValue(height: Int, width: Int, planes: Int, actions: Int, filters: Int, blocks: Int,
                                   valueHidden: Int = 256, globalPooling: Int = 0, ownership: Bool = false, score: Bool = false,
                                   generator: inout SeededGenerator) -> TwoHeadNetwork {
        let area = height * width
        var trunkLayers: [any Layer] = [
            Conv2D(inChannels: planes, outChannels: filters, kernel: 3, padding: 1, bias: false,
                   name: "trunk.stem.conv", generator: &generator),
            BatchNorm2D(channels: filters, name: "trunk.stem.bn"),
            ReLU(),
        ]
        for i in 0..<blocks {
            let pools = globalPooling > 0 && (i % 3 == 2 || (blocks < 3 && i == blocks - 1))
            trunkLayers.append(pools ? GlobalPoolingResidualBlock(channels: filters, pooled: globalPooling, name: "trunk.block\(i)", generator: &generator)
                                     : ResidualBlock(channels: filters, name: "trunk.block\(i)", generator: &generator))
        }
        (trunkLayers[0] as! Conv2D).propagatesInputGradient = false
        let policy = Sequential(
            Conv2D(inChannels: filters, outChannels: 2, kernel: 1, bias: false, name: "policy.conv", generator: &generator),
            BatchNorm2D(channels: 2, name: "policy.bn"), ReLU(), Flatten(),
            Dense(inputs: 2 * area, outputs: actions, name: "policy.fc", generator: &generator))
        let value = Sequential(
            Conv2D(inChannels: filters, outChannels: 1, kernel: 1, bias: false, name: "value.conv", generator: &generator),
            BatchNorm2D(channels: 1, name: "value.bn"), ReLU(), Flatten(),
            Dense(inputs: area, outputs: valueHidden, name: "value.fc1", generator: &generator), ReLU(),
            Dense(inputs: valueHidden, outputs: 1, name: "value.fc2", generator: &generator), Tanh())
        let ownershipHead = ownership ? Sequential(
            Conv2D(inChannels: filters, outChannels: 1, kernel: 1, bias: true, name: "ownership.conv", generator: &generator),
            Activation(.tanh), Flatten()) : nil
        let scoreHead = score ? Sequential(
            Conv2D(inChannels: filters, outChannels: 1, kernel: 1, bias: false, name: "score.conv", generator: &generator),
            BatchNorm2D(channels: 1, name: "score.bn"), ReLU(), Flatten(),
            Dense(inputs: area, outputs: valueHidden, name: "score.fc1", generator: &generator), ReLU(),
            Dense(inputs: valueHidden, outputs: 1, name: "score.fc2", generator: &generator)) : nil
        return TwoHeadNetwork(trunk: Sequential(trunkLayers), policyHead: policy, valueHead: value,
                              ownershipHead: ownershipHead, scoreHead: scoreHead)
    }
}
