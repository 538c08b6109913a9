// A Transformer encoder block with pre-norm (Xiong et al. 2020; PyTorch's
// nn.TransformerEncoderLayer with norm_first=True, ReLU, no dropout), so weights convert one to
// one — names self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*:
//   h = x + SelfAttention(LayerNorm₁(x))
//   y = h + W₂ · ReLU(W₁ · LayerNorm₂(h) + b₁) + b₂
// Time-major like the other sequence layers: input and output [T, B, E]. The attention's masks
// (`causal`, `window`, `padding`, `segments`) are set on `attention`.
import Tensors

public final class TransformerEncoderBlock: Layer {
    public let embed: Int, feedForward: Int
    public let attention: MultiHeadAttention
    public let norm1: LayerNorm, norm2: LayerNorm
    public let linear1: Dense, linear2: Dense
    private let relu = ReLU()
    public var isTraining = true
    private var middle = Tensor.empty, output = Tensor.empty, middleGradient = Tensor.empty, inputGradient = Tensor.empty
    private var shape: [Int] = []

    public init(embed: Int, heads: Int, feedForward: Int, name: String, generator: inout SeededGenerator) {
        self.embed = embed; self.feedForward = feedForward
        attention = MultiHeadAttention(embed: embed, heads: heads, name: joinName(name, "self_attn"), generator: &generator)
        linear1 = Dense(inputs: embed, outputs: feedForward, name: joinName(name, "linear1"), generator: &generator)
        linear2 = Dense(inputs: feedForward, outputs: embed, name: joinName(name, "linear2"), generator: &generator)
        norm1 = LayerNorm(features: embed, name: joinName(name, "norm1"))
        norm2 = LayerNorm(features: embed, name: joinName(name, "norm2"))
    }

    public var parameters: [Parameter] {
        attention.parameters + linear1.parameters + linear2.parameters + norm1.parameters + norm2.parameters
    }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 3 && x.shape[2] == embed, "TransformerEncoderBlock", "expected input [steps, batch, \(embed)], got \(x.shape)")
        shape = x.shape
        let rows = x.shape[0] * x.shape[1], E = embed
        let attended = attention.forward(norm1.forward(x))
        Tensor.prepare(&middle, shape: x.shape)
        Kernels.add(rows * E, x.pointer, attended.pointer, middle.scratchPointer)
        let normed = norm2.forward(middle).reshaped([rows, E])
        let fed = linear2.forward(relu.forward(linear1.forward(normed)))
        Tensor.prepare(&output, shape: x.shape)
        Kernels.add(rows * E, middle.pointer, fed.pointer, output.scratchPointer)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        expectShape(dy.shape == shape, "TransformerEncoderBlock", "output gradient \(dy.shape) does not match output \(shape)")
        let rows = shape[0] * shape[1], E = embed
        // dh = dy + d(feed-forward branch)/dh
        let throughFeedForward = norm2.backward(linear1.backward(relu.backward(linear2.backward(dy.reshaped([rows, E])))).reshaped(shape))
        Tensor.prepare(&middleGradient, shape: shape)
        Kernels.add(rows * E, dy.pointer, throughFeedForward.pointer, middleGradient.scratchPointer)
        // dx = dh + d(attention branch)/dx
        let throughAttention = norm1.backward(attention.backward(middleGradient))
        Tensor.prepare(&inputGradient, shape: shape)
        Kernels.add(rows * E, middleGradient.pointer, throughAttention.pointer, inputGradient.scratchPointer)
        return inputGradient
    }
}
