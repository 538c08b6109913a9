// Softmax and log-softmax over the last axis of [batch, classes], computed stably
// (subtract the row maximum before exponentiating).
import Foundation
import Tensors

/// Row-wise log-softmax of `n` rows of `k` values, written to `out` (may alias `x`).
@inlinable
public func logSoftmaxRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, rows n: Int, columns k: Int) {
    for r in 0..<n {
        let xr = x + r * k, orow = out + r * k
        var m = -Float.infinity
        for j in 0..<k { m = max(m, xr[j]) }
        var s: Float = 0
        for j in 0..<k { s += exp(xr[j] - m) }
        let lse = m + log(s)
        for j in 0..<k { orow[j] = xr[j] - lse }
    }
}

/// Softmax over the last axis, or its logarithm (`LogSoftmax()`), one layer for both: they
/// share the stable log-sum-exp and differ only in the final exponentiation and the gradient.
public final class Softmax: Layer {
    /// True for log-softmax.
    public let isLog: Bool
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty

    public init(log: Bool = false) { isLog = log }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2, "\(isLog ? "LogSoftmax" : "Softmax") expects [batch, classes], got \(x.shape)")
        Tensor.prepare(&output, shape: x.shape)
        logSoftmaxRows(x.pointer, output.scratchPointer, rows: x.shape[0], columns: x.shape[1])
        if !isLog {
            let y = output.scratchPointer
            for i in 0..<x.count { y[i] = exp(y[i]) }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let n = output.shape[0], k = output.shape[1]
        Tensor.prepare(&inputGradient, shape: output.shape)
        let y = output.pointer, g = dy.pointer, dx = inputGradient.scratchPointer
        for r in 0..<n {
            let o = r * k
            if isLog {
                // d/dx of log softmax: g − softmax · Σg
                let s = Kernels.sum(k, g + o)
                for j in 0..<k { dx[o + j] = g[o + j] - exp(y[o + j]) * s }
            } else {
                // d/dx of softmax: y ⊙ (g − ⟨y, g⟩)
                let d = Kernels.dot(k, y + o, g + o)
                for j in 0..<k { dx[o + j] = y[o + j] * (g[o + j] - d) }
            }
        }
        return inputGradient
    }
}

public func LogSoftmax() -> Softmax { Softmax(log: true) }
