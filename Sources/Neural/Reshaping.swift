// Shape-only layers: Flatten ([batch, ...] → [batch, features], C·H·W order as in PyTorch)
// and GlobalAvgPool ([batch, C, H, W] → [batch, C]).
import Tensors

public final class Flatten: Layer {
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    private var inputShape: [Int] = []
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 1, "Flatten needs a batch axis, got \(x.shape)")
        inputShape = x.shape
        return x.reshaped([x.shape[0], x.count / Swift.max(x.shape[0], 1)])
    }

    /// An empty gradient (the layer after computes none: nothing upstream needs it) stays empty.
    public func backward(_ dy: Tensor) -> Tensor { dy.count == 0 ? dy : dy.reshaped(inputShape) }
}

public final class GlobalAvgPool: Layer {
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    private var inputShape: [Int] = []
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "GlobalAvgPool expects [batch, C, H, W], got \(x.shape)")
        inputShape = x.shape
        let planes = x.shape[0] * x.shape[1], area = x.shape[2] * x.shape[3]
        Tensor.prepare(&output, shape: [x.shape[0], x.shape[1]])
        let y = output.scratchPointer
        for p in 0..<planes { y[p] = Kernels.sum(area, x.pointer + p * area) / Float(area) }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let planes = inputShape[0] * inputShape[1], area = inputShape[2] * inputShape[3]
        Tensor.prepare(&inputGradient, shape: inputShape)
        let dx = inputGradient.scratchPointer
        for p in 0..<planes { (dx + p * area).update(repeating: dy.pointer[p] / Float(area), count: area) }
        return inputGradient
    }
}
