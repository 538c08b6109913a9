// Batch normalisation over the channels of NCHW activations (Ioffe & Szegedy 2015), with
// PyTorch's conventions: ε = 1e-5, momentum 0.1 for running statistics, biased batch variance
// for normalising, unbiased batch variance for the running variance.
// Training mode normalises with batch statistics; evaluation mode with running statistics.
// For inference, `fold(into:)` moves the affine transform into the preceding convolution and
// turns this layer into the identity (one less pass over the activations).
import Tensors

public final class BatchNorm2D: Layer {
    public let channels: Int
    public let epsilon: Float, momentum: Float
    public let weight: Parameter, bias: Parameter
    public let runningMean: Parameter, runningVariance: Parameter
    public var isTraining = true
    /// True once folded into a convolution: forward is then the identity.
    public private(set) var isFolded = false

    private var normalized = Tensor.empty   // x̂, kept for backward
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty
    private var inverseStd: Tensor
    /// Per channel: the mean forward subtracts; backward's γ/σ, mean of dy and mean of dy·x̂.
    private var mean: Tensor, gradientScale: Tensor, meanDy: Tensor, meanDyXh: Tensor
    /// Per (image, channel) plane sums, reduced per channel in batch order.
    private var partialSums = Tensor.empty
    /// Channels are independent: split across workers once a pass touches this many values.
    static let parallelElements = 1 << 16

    public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1, name: String) {
        self.channels = channels; self.epsilon = epsilon; self.momentum = momentum
        weight = Parameter(name: joinName(name, "weight"), value: Tensor(repeating: 1, shape: [channels]))
        bias = Parameter(name: joinName(name, "bias"), value: Tensor(zeros: [channels]))
        runningMean = Parameter(name: joinName(name, "running_mean"), value: Tensor(zeros: [channels]), isTrainable: false)
        runningVariance = Parameter(name: joinName(name, "running_var"), value: Tensor(repeating: 1, shape: [channels]), isTrainable: false)
        inverseStd = Tensor(repeating: 1, shape: [channels])
        mean = Tensor(zeros: [channels]); gradientScale = Tensor(zeros: [channels])
        meanDy = Tensor(zeros: [channels]); meanDyXh = Tensor(zeros: [channels])
    }

    public var parameters: [Parameter] { [weight, bias, runningMean, runningVariance] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == channels,
                     "\(weight.name): expected input [batch, \(channels), H, W], got \(x.shape)")
        if isFolded { return x }
        let n = x.shape[0], area = x.shape[2] * x.shape[3], m = n * area
        Tensor.prepare(&output, shape: x.shape)
        Tensor.prepare(&normalized, shape: x.shape)
        let src = x.pointer, y = output.scratchPointer, xh = normalized.scratchPointer
        let gamma = weight.value.pointer, beta = bias.value.pointer
        let rm = runningMean.value.scratchPointer, rv = runningVariance.value.scratchPointer
        let invStd = inverseStd.scratchPointer, shift = mean.scratchPointer
        let split = x.count >= BatchNorm2D.parallelElements
        if isTraining {
            // Σx and Σx² of every image's plane, in memory order; then each channel's totals in
            // batch order (the order, and so every bit, does not depend on the thread count).
            let sums = planeSums(n: n, area: area, split: split) { b, c in
                let p = src + (b * channels + c) * area
                return (Kernels.sum(area, p), Kernels.dot(area, p, p))
            }
            for c in 0..<channels {
                var s: Double = 0, ss: Double = 0
                for b in 0..<n { s += Double(sums[2 * (b * channels + c)]); ss += Double(sums[2 * (b * channels + c) + 1]) }
                let mu = s / Double(m)
                let batchMean = Float(mu), variance = Float(max(ss / Double(m) - mu * mu, 0))
                let unbiased = m > 1 ? variance * Float(m) / Float(m - 1) : variance
                rm[c] = (1 - momentum) * rm[c] + momentum * batchMean
                rv[c] = (1 - momentum) * rv[c] + momentum * unbiased
                shift[c] = batchMean
                invStd[c] = 1 / (variance + epsilon).squareRoot()
            }
        } else {
            for c in 0..<channels { shift[c] = rm[c]; invStd[c] = 1 / (rv[c] + epsilon).squareRoot() }
        }
        Parallel.forEach(n, split: split) { b, _ in
            for c in 0..<channels {
                // Explicit lanes: the plain loop stayed scalar (checked index arithmetic, two
                // outputs that might alias).
                let o = (b * channels + c) * area, xs = src + o, xo = xh + o, yo = y + o
                let mu = shift[c], inv = invStd[c], g = gamma[c], bt = beta[c]
                @inline(__always) func normalise<L: FloatLanes>(_ i: Int, _: L.Type) {
                    let v = (L.load(xs + i) - L(repeating: mu)) * L(repeating: inv)
                    v.store(xo + i)
                    (L(repeating: g) * v + L(repeating: bt)).store(yo + i)
                }
                Lanes.forEach(area, normalise, normalise)
            }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(!isFolded, "\(weight.name): a folded BatchNorm is for inference only")
        precondition(dy.shape == output.shape, "\(weight.name): gradient \(dy.shape) does not match output \(output.shape)")
        let n = dy.shape[0], area = dy.shape[2] * dy.shape[3], m = Float(n * area)
        Tensor.prepare(&inputGradient, shape: dy.shape)
        let g = dy.pointer, xh = normalized.pointer, dx = inputGradient.scratchPointer
        let gamma = weight.value.pointer
        let dGamma = weight.gradient.scratchPointer, dBeta = bias.gradient.scratchPointer
        let invStd = inverseStd.pointer
        let split = dy.count >= BatchNorm2D.parallelElements
        let sums = planeSums(n: n, area: area, split: split) { b, c in
            let o = (b * channels + c) * area
            return (Kernels.sum(area, g + o), Kernels.dot(area, g + o, xh + o))
        }
        // Per channel: the scale γ/σ and the two means the training-mode gradient subtracts.
        let scales = gradientScale.scratchPointer, md = meanDy.scratchPointer, mp = meanDyXh.scratchPointer
        for c in 0..<channels {
            var sumDy: Float = 0, sumDyXh: Float = 0
            for b in 0..<n { sumDy += sums[2 * (b * channels + c)]; sumDyXh += sums[2 * (b * channels + c) + 1] }
            dGamma[c] += sumDyXh
            dBeta[c] += sumDy
            scales[c] = gamma[c] * invStd[c]
            md[c] = isTraining ? sumDy / m : 0
            mp[c] = isTraining ? sumDyXh / m : 0
        }
        Parallel.forEach(n, split: split) { b, _ in
            for c in 0..<channels {
                let o = (b * channels + c) * area, go = g + o, xo = xh + o, dxo = dx + o
                let scale = scales[c], meanG = md[c], meanGXh = mp[c]
                @inline(__always) func input<L: FloatLanes>(_ i: Int, _: L.Type) {
                    (L(repeating: scale) * (L.load(go + i) - L(repeating: meanG) - L.load(xo + i) * L(repeating: meanGXh)))
                        .store(dxo + i)
                }
                Lanes.forEach(area, input, input)
            }
        }
        return inputGradient
    }

    /// Two sums over every (image, channel) plane of `area` values, visited in memory order
    /// (image by image) so the hardware streams the tensor; pair k of the result belongs to plane
    /// b·channels + c.
    private func planeSums(n: Int, area: Int, split: Bool,
                           _ sum: (_ b: Int, _ c: Int) -> (Float, Float)) -> UnsafeMutablePointer<Float> {
        Tensor.prepare(&partialSums, shape: [n, channels, 2])
        let out = partialSums.scratchPointer
        Parallel.forEach(n, split: split) { b, _ in
            for c in 0..<channels {
                let (first, second) = sum(b, c)
                out[2 * (b * channels + c)] = first
                out[2 * (b * channels + c) + 1] = second
            }
        }
        return out
    }

    /// Folds the running statistics and affine transform into `conv` (which must feed this
    /// layer): W'[o] = W[o]·γ/σ, b'[o] = (b[o] − μ)·γ/σ + β. This layer then passes values through.
    public func fold(into conv: Conv2D) {
        precondition(conv.outChannels == channels, "\(weight.name): cannot fold into \(conv.weight.name) with \(conv.outChannels) channels")
        precondition(!isFolded, "\(weight.name) is already folded")
        let per = conv.weight.value.count / channels
        let w = conv.weight.value.scratchPointer
        if conv.bias == nil {
            let name = String(conv.weight.name.dropLast("weight".count)) + "bias"
            conv.bias = Parameter(name: name, value: Tensor(zeros: [channels]))
        }
        let b = conv.bias!.value.scratchPointer
        for c in 0..<channels {
            let s = weight.value.pointer[c] / (runningVariance.value.pointer[c] + epsilon).squareRoot()
            Kernels.scale(per, s, w + c * per)
            b[c] = (b[c] - runningMean.value.pointer[c]) * s + bias.value.pointer[c]
        }
        isFolded = true
    }
}
