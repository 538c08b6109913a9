// A learned bias per feature: y = x + b for x [batch, features]. AlphaGo's policy network ends
// with one (a "position-dependent bias" over the board points after the 1×1 convolution), so
// the network can prefer some points everywhere (edges, corners) without a dense layer.
import Tensors

public final class Bias: Layer {
    public let features: Int
    public let bias: Parameter
    public var isTraining = true
    private var output = Tensor.empty

    public init(features: Int, name: String) {
        self.features = features
        bias = Parameter(name: joinName(name, "bias"), value: Tensor(zeros: [features]))
    }

    public var parameters: [Parameter] { [bias] }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 2 && x.shape[1] == features, bias.name, "expected input [batch, \(features)], got \(x.shape)")
        Tensor.prepare(&output, shape: x.shape)
        let src = x.pointer, dst = output.scratchPointer, b = bias.value.pointer
        for r in 0..<x.shape[0] {
            for j in 0..<features { dst[r * features + j] = src[r * features + j] + b[j] }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        expectShape(dy.rank == 2 && dy.shape[1] == features, bias.name, "output gradient \(dy.shape) does not match [batch, \(features)]")
        let g = dy.pointer, db = bias.gradient.scratchPointer
        for r in 0..<dy.shape[0] {
            for j in 0..<features { db[j] += g[r * features + j] }
        }
        return dy
    }
}
