// Max and average pooling over NCHW windows (kernel k, stride s, no padding; a window that
// would run past the edge is dropped, as PyTorch does with ceil_mode = false).
import Tensors

public final class Pool2D: Layer {
    public enum Kind: Sendable { case max, average }
    public let kind: Kind, kernel: Int, stride: Int
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    private var inputShape: [Int] = []
    private var output = Tensor.empty
    private var argmax: [Int32] = []
    private var inputGradient = Tensor.empty

    public init(_ kind: Kind, kernel: Int, stride: Int? = nil) {
        precondition(kernel >= 1 && (stride ?? kernel) >= 1, "pooling needs kernel and stride ≥ 1")
        self.kind = kind; self.kernel = kernel; self.stride = stride ?? kernel
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[2] >= kernel && x.shape[3] >= kernel,
                     "Pool2D(kernel \(kernel)) expects [batch, C, H ≥ \(kernel), W ≥ \(kernel)], got \(x.shape)")
        inputShape = x.shape
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
        let oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1
        Tensor.prepare(&output, shape: [x.shape[0], x.shape[1], oh, ow])
        if kind == .max && argmax.count != output.count { argmax = Array(repeating: 0, count: output.count) }
        let y = output.scratchPointer, src = x.pointer
        let norm = 1 / Float(kernel * kernel)
        for p in 0..<planes {
            let plane = src + p * h * w
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let o = (p * oh + oy) * ow + ox
                    var best = -Float.infinity, bestIndex = 0, total: Float = 0
                    for ki in 0..<kernel {
                        for kj in 0..<kernel {
                            let i = (oy * stride + ki) * w + ox * stride + kj
                            let v = plane[i]
                            total += v
                            if v > best { best = v; bestIndex = i }
                        }
                    }
                    if kind == .max { y[o] = best; argmax[o] = Int32(bestIndex) } else { y[o] = total * norm }
                }
            }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let planes = inputShape[0] * inputShape[1], h = inputShape[2], w = inputShape[3]
        let oh = output.shape[2], ow = output.shape[3]
        Tensor.prepare(&inputGradient, shape: inputShape)
        let dx = inputGradient.scratchPointer, g = dy.pointer
        Kernels.fill(dx, inputGradient.count, 0)
        let norm = 1 / Float(kernel * kernel)
        for p in 0..<planes {
            let plane = dx + p * h * w
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let o = (p * oh + oy) * ow + ox
                    if kind == .max { plane[Int(argmax[o])] += g[o]; continue }
                    for ki in 0..<kernel {
                        for kj in 0..<kernel { plane[(oy * stride + ki) * w + ox * stride + kj] += g[o] * norm }
                    }
                }
            }
        }
        return inputGradient
    }
}

extension Pool2D {
    public static func max(kernel: Int, stride: Int? = nil) -> Pool2D { Pool2D(.max, kernel: kernel, stride: stride) }
    public static func average(kernel: Int, stride: Int? = nil) -> Pool2D { Pool2D(.average, kernel: kernel, stride: stride) }
}
