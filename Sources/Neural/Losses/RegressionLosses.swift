// Regression losses, mean over all elements: MSE and Huber (δ).
// Each writes d(loss)/d(prediction) into a caller-owned buffer (no allocation per step) and
// returns the loss. Huber with δ = 1 is PyTorch's smooth_l1_loss / huber_loss(delta=1).
import Tensors

public struct MeanSquaredError: Sendable {
    public init() {}

    public func callAsFunction(_ prediction: Tensor, _ target: Tensor, gradient: inout Tensor) -> Float {
        precondition(prediction.shape == target.shape, "MSE: prediction \(prediction.shape) and target \(target.shape) differ")
        Tensor.prepare(&gradient, shape: prediction.shape)
        let p = prediction.pointer, t = target.pointer, g = gradient.scratchPointer
        let n = prediction.count, scale = 2 / Float(n)
        var total: Double = 0
        for i in 0..<n {
            let d = p[i] - t[i]
            total += Double(d * d)
            g[i] = scale * d
        }
        return Float(total / Double(n))
    }
}

public struct HuberLoss: Sendable {
    public let delta: Float
    public init(delta: Float = 1) {
        precondition(delta > 0, "Huber δ must be positive, got \(delta)")
        self.delta = delta
    }

    /// 0.5·d² where |d| ≤ δ, else δ·(|d| − 0.5·δ), with d = prediction − target.
    public func callAsFunction(_ prediction: Tensor, _ target: Tensor, gradient: inout Tensor) -> Float {
        precondition(prediction.shape == target.shape, "Huber: prediction \(prediction.shape) and target \(target.shape) differ")
        Tensor.prepare(&gradient, shape: prediction.shape)
        let p = prediction.pointer, t = target.pointer, g = gradient.scratchPointer
        let n = prediction.count, scale = 1 / Float(n)
        var total: Double = 0
        for i in 0..<n {
            let d = p[i] - t[i], a = abs(d)
            if a <= delta {
                total += Double(0.5 * d * d)
                g[i] = scale * d
            } else {
                total += Double(delta * (a - 0.5 * delta))
                g[i] = scale * (d > 0 ? delta : -delta)
            }
        }
        return Float(total / Double(n))
    }
}
