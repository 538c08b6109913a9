// A shared trunk feeding a policy head and a value head (AlphaGo Zero's network shape).
// `forward` returns (policy logits [batch, actions], value [batch, 1]); `backward` takes the
// gradient of each output, sums the heads' input gradients and runs the trunk backward.
import Tensors

public final class TwoHeadNetwork {
    public let trunk: Sequential, policyHead: Sequential, valueHead: Sequential
    private var trunkGradient = Tensor.empty

    public init(trunk: Sequential, policyHead: Sequential, valueHead: Sequential) {
        self.trunk = trunk; self.policyHead = policyHead; self.valueHead = valueHead
    }

    public var parameters: [Parameter] { trunk.parameters + policyHead.parameters + valueHead.parameters }

    public var isTraining: Bool {
        get { trunk.isTraining }
        set { trunk.isTraining = newValue; policyHead.isTraining = newValue; valueHead.isTraining = newValue }
    }

    public func forward(_ x: Tensor) -> (policy: Tensor, value: Tensor) {
        let h = trunk.forward(x)
        return (policyHead.forward(h), valueHead.forward(h))
    }

    public func backward(policyGradient: Tensor, valueGradient: Tensor) -> Tensor {
        let gp = policyHead.backward(policyGradient)
        let gv = valueHead.backward(valueGradient)
        Tensor.prepare(&trunkGradient, shape: gp.shape)
        Kernels.add(gp.count, gp.pointer, gv.pointer, trunkGradient.scratchPointer)
        return trunk.backward(trunkGradient)
    }

    /// Folds every BatchNorm that directly follows a convolution into it (inference only).
    public func foldBatchNorm() {
        for chain in [trunk, policyHead, valueHead] {
            var previous: (any Layer)?
            for layer in chain.layers {
                if let block = layer as? ResidualBlock { block.foldBatchNorm() }
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
    public static func policyValue(height: Int, width: Int, planes: Int, actions: Int, filters: Int, blocks: Int,
                                   valueHidden: Int = 256, generator: inout SeededGenerator) -> TwoHeadNetwork {
        let area = height * width
        var trunkLayers: [any Layer] = [
            Conv2D(inChannels: planes, outChannels: filters, kernel: 3, padding: 1, bias: false,
                   name: "trunk.stem.conv", generator: &generator),
            BatchNorm2D(channels: filters, name: "trunk.stem.bn"),
            ReLU(),
        ]
        for i in 0..<blocks {
            trunkLayers.append(ResidualBlock(channels: filters, name: "trunk.block\(i)", generator: &generator))
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
        return TwoHeadNetwork(trunk: Sequential(trunkLayers), policyHead: policy, valueHead: value)
    }
}
