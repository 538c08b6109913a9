// Layer normalisation (Ba, Kiros & Hinton 2016) as PyTorch's nn.LayerNorm over the last axis:
// y = γ ⊙ (x − μ) / √(σ² + ε) + β, with μ and the biased σ² of each row of the last axis, γ
// ("weight") ones and β ("bias") zeros at the start. Any rank: [N, F], [T, B, F], …
import Foundation
import Tensors

public final class LayerNorm: Layer {
    public let features: Int, epsilon: Float
    public let weight: Parameter, bias: Parameter
    public var isTraining = true
    private var normalized = Tensor.empty, inverseDeviation: [Float] = []
    private var output = Tensor.empty, inputGradient = Tensor.empty

    public init(features: Int, epsilon: Float = 1e-5, name: String) {
        precondition(features > 0, "LayerNorm needs a positive feature count")
        self.features = features; self.epsilon = epsilon
        weight = Parameter(name: joinName(name, "weight"), value: Tensor(shape: [features], values: [Float](repeating: 1, count: features)))
        bias = Parameter(name: joinName(name, "bias"), value: Tensor(zeros: [features]))
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank >= 1 && x.shape.last == features, "LayerNorm", "expected a last axis of \(features), got \(x.shape)")
        let rows = x.count / features, F = features
        Tensor.prepare(&normalized, shape: x.shape)
        Tensor.prepare(&output, shape: x.shape)
        if inverseDeviation.count != rows { inverseDeviation = [Float](repeating: 0, count: rows) }
        let input = x.pointer, xhat = normalized.scratchPointer, y = output.scratchPointer
        let g = weight.value.pointer, b = bias.value.pointer
        for r in 0..<rows {
            let row = input + r * F
            var mean = 0.0
            for j in 0..<F { mean += Double(row[j]) }
            mean /= Double(F)
            var variance = 0.0
            for j in 0..<F { let d = Double(row[j]) - mean; variance += d * d }
            variance /= Double(F)
            let inverse = Float(1 / (variance + Double(epsilon)).squareRoot())
            inverseDeviation[r] = inverse
            for j in 0..<F {
                let n = (row[j] - Float(mean)) * inverse
                xhat[r * F + j] = n
                y[r * F + j] = g[j] * n + b[j]
            }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        expectShape(dy.shape == normalized.shape, "LayerNorm", "output gradient \(dy.shape) does not match output \(normalized.shape)")
        let rows = dy.count / features, F = features
        Tensor.prepare(&inputGradient, shape: dy.shape)
        let d = dy.pointer, xhat = normalized.pointer, dx = inputGradient.scratchPointer, g = weight.value.pointer
        let dg = weight.gradient.scratchPointer, db = bias.gradient.scratchPointer
        for r in 0..<rows {
            // dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)), with dx̂ = dy ⊙ γ.
            var sum: Float = 0, dot: Float = 0
            for j in 0..<F {
                let k = r * F + j, dn = d[k] * g[j]
                sum += dn; dot += dn * xhat[k]
                dg[j] += d[k] * xhat[k]; db[j] += d[k]
            }
            let meanD = sum / Float(F), meanDot = dot / Float(F), inverse = inverseDeviation[r]
            for j in 0..<F {
                let k = r * F + j
                dx[k] = inverse * (d[k] * g[j] - meanD - xhat[k] * meanDot)
            }
        }
        return inputGradient
    }
}
