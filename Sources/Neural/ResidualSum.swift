// What every residual block ends with (ResidualBlock, GlobalPoolingResidualBlock): the block's
// input added to its branch, then ReLU, y = ReLU(x + branch); and, backward, the gradient at the
// sum (ReLU's mask applied), which flows both into the branch and straight on to the input.
// Also the BatchNorm folding of blocks built as conv → BN twice.
import Tensors

struct ResidualSum {
    private var output = Tensor.empty, sumGradient = Tensor.empty, inputGradient = Tensor.empty

    mutating func forward(_ x: Tensor, plus branch: Tensor) -> Tensor {
        Tensor.prepare(&output, shape: x.shape)
        let y = output.scratchPointer, a = x.pointer, b = branch.pointer
        for i in 0..<x.count { y[i] = max(a[i] + b[i], 0) }
        return output
    }

    /// The gradient at the sum, for the branch's backward pass.
    mutating func gradientAtSum(_ dy: Tensor) -> Tensor {
        Tensor.prepare(&sumGradient, shape: dy.shape)
        let y = output.pointer, g = dy.pointer, ds = sumGradient.scratchPointer
        for i in 0..<dy.count { ds[i] = y[i] > 0 ? g[i] : 0 }
        return sumGradient
    }

    /// The input's gradient: what came back through the branch plus the skip connection's.
    mutating func inputGradient(branch: Tensor) -> Tensor {
        Tensor.prepare(&inputGradient, shape: sumGradient.shape)
        Kernels.add(sumGradient.count, branch.pointer, sumGradient.pointer, inputGradient.scratchPointer)
        return inputGradient
    }
}

/// A block whose two convolutions each feed a BatchNorm.
public protocol TwoConvolutionBlock: Layer {
    var conv1: Conv2D { get }
    var bn1: BatchNorm2D { get }
    var conv2: Conv2D { get }
    var bn2: BatchNorm2D { get }
}

extension TwoConvolutionBlock {
    /// Folds both BatchNorms into their convolutions (inference only).
    public func foldBatchNorm() {
        bn1.fold(into: conv1)
        bn2.fold(into: conv2)
    }
}
