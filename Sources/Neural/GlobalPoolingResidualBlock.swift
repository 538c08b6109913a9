// KataGo's global pooling residual block (Wu 2019, §4.1, "global pooling bias structure"): a
// convolution sees only 3×3 around a point, so whole-board facts (who is ahead, where the
// fights are, ko threats) take many blocks to travel. Here the first convolution's output is
// split after BatchNorm and ReLU: the last `pooled` channels G are pooled over the board (mean
// and max of each channel), a dense layer turns those 2·pooled numbers into one bias per
// remaining channel X, and the second convolution reads X + bias:
//     a = ReLU(BN(Conv(x)))           [B, C, H, W]   a = (X | G), X: C − pooled channels
//     b = Dense(mean(G) | max(G))     [B, C − pooled]
//     y = ReLU(x + BN(Conv(X + b)))   [B, C, H, W]
// Both convolutions 3×3, padding 1, no bias (the BatchNorm supplies it). Gradients: the mean
// spreads evenly over the board, the max goes to the point that held it (the first, in ties).
import Tensors

public final class GlobalPoolingResidualBlock: TwoConvolutionBlock {
    public let channels: Int, pooled: Int
    public let conv1: Conv2D, bn1: BatchNorm2D, relu1 = Activation(.relu)
    public let poolDense: Dense
    public let conv2: Conv2D, bn2: BatchNorm2D
    private var biased = Tensor.empty, poolFeatures = Tensor.empty
    private var maxIndex: [Int] = []
    private var activationGradient = Tensor.empty, biasGradient = Tensor.empty
    private var sum = ResidualSum()

    public init(channels: Int, pooled: Int, name: String, generator: inout SeededGenerator) {
        // Unreachable from input: configs (the command line's and every stored one) are
        // validated to 0 < pooled < filters before a network is built.
        precondition(pooled > 0 && pooled < channels, "global pooling: \(pooled) pooled channels of \(channels)")
        self.channels = channels
        self.pooled = pooled
        conv1 = Conv2D(inChannels: channels, outChannels: channels, kernel: 3, padding: 1, bias: false,
                       name: joinName(name, "conv1"), generator: &generator)
        bn1 = BatchNorm2D(channels: channels, name: joinName(name, "bn1"))
        poolDense = Dense(inputs: 2 * pooled, outputs: channels - pooled, name: joinName(name, "pool.fc"), generator: &generator)
        conv2 = Conv2D(inChannels: channels - pooled, outChannels: channels, kernel: 3, padding: 1, bias: false,
                       name: joinName(name, "conv2"), generator: &generator)
        bn2 = BatchNorm2D(channels: channels, name: joinName(name, "bn2"))
    }

    public var parameters: [Parameter] { conv1.parameters + bn1.parameters + poolDense.parameters + conv2.parameters + bn2.parameters }

    public var isTraining: Bool {
        get { bn1.isTraining }
        set { for layer in [conv1, bn1, relu1, poolDense, conv2, bn2] as [any Layer] { layer.isTraining = newValue } }
    }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 4 && x.shape[1] == channels, "GlobalPoolingResidualBlock", "input \(x.shape) is not [batch, \(channels), H, W]")
        let a = relu1(bn1(conv1(x)))
        let batch = x.shape[0], area = x.shape[2] * x.shape[3], kept = channels - pooled
        Tensor.prepare(&poolFeatures, shape: [batch, 2 * pooled])
        if maxIndex.count != batch * pooled { maxIndex = [Int](repeating: 0, count: batch * pooled) }
        let ap = a.pointer, f = poolFeatures.scratchPointer
        for b in 0..<batch {
            for p in 0..<pooled {
                let plane = ap + (b * channels + kept + p) * area
                var sum: Float = 0, best = plane[0], at = 0
                for i in 0..<area {
                    sum += plane[i]
                    if plane[i] > best { best = plane[i]; at = i }
                }
                f[b * 2 * pooled + p] = sum / Float(area)
                f[b * 2 * pooled + pooled + p] = best
                maxIndex[b * pooled + p] = at
            }
        }
        let bias = poolDense.forward(poolFeatures).pointer
        Tensor.prepare(&biased, shape: [batch, kept, x.shape[2], x.shape[3]])
        let xb = biased.scratchPointer
        for b in 0..<batch {
            for c in 0..<kept {
                let source = ap + (b * channels + c) * area, target = xb + (b * kept + c) * area, v = bias[b * kept + c]
                for i in 0..<area { target[i] = source[i] + v }
            }
        }
        return sum.forward(x, plus: bn2(conv2(biased)))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let batch = dy.shape[0], area = dy.shape[2] * dy.shape[3], kept = channels - pooled
        let dBiased = conv2.backward(bn2.backward(sum.gradientAtSum(dy))).pointer
        // X's gradient passes through the addition; the bias's is its sum over the board.
        Tensor.prepare(&activationGradient, shape: [batch, channels, dy.shape[2], dy.shape[3]])
        Tensor.prepare(&biasGradient, shape: [batch, kept])
        let da = activationGradient.scratchPointer, dbias = biasGradient.scratchPointer
        for b in 0..<batch {
            for c in 0..<kept {
                let source = dBiased + (b * kept + c) * area, target = da + (b * channels + c) * area
                var sum: Float = 0
                for i in 0..<area { target[i] = source[i]; sum += source[i] }
                dbias[b * kept + c] = sum
            }
        }
        let dFeatures = poolDense.backward(biasGradient).pointer
        for b in 0..<batch {
            for p in 0..<pooled {
                let target = da + (b * channels + kept + p) * area
                let dMean = dFeatures[b * 2 * pooled + p] / Float(area), dMax = dFeatures[b * 2 * pooled + pooled + p]
                for i in 0..<area { target[i] = dMean }
                target[maxIndex[b * pooled + p]] += dMax
            }
        }
        return sum.inputGradient(branch: conv1.backward(bn1.backward(relu1.backward(activationGradient))))
    }
}
