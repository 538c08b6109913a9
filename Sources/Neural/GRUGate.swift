// The GRU-type gating layer of GTrXL (Parisotto et al. 2020, "Stabilizing Transformers for
// Reinforcement Learning", §3.2), which replaces a residual connection x + y, where x is the
// stream and y a sublayer's output, by
//   r = σ(W_r y + U_r x)      z = σ(W_z y + U_z x − b_g)      ĥ = tanh(W_g y + U_g (r ⊙ x))
//   g = (1 − z) ⊙ x + z ⊙ ĥ
// With b_g = 2 at the start (their best setting) z is small and the gate starts near the
// identity: the sublayer's contribution is learned, which made transformer policies train
// stably where plain residuals failed. Rows: x, y and g are [N, E].
// Stored as W = [W_r; W_z; W_g] [3E, E] (applied to y), U = [U_r; U_z] [2E, E] (applied to x),
// U_g [E, E] and b_g [E].
import Foundation
import Tensors

public final class GRUGate {
    public let width: Int
    public let w: Parameter, u: Parameter, ug: Parameter, bias: Parameter
    private var x = Tensor.empty, y = Tensor.empty, fromY = Tensor.empty, fromX = Tensor.empty, rx = Tensor.empty
    private var candidate = Tensor.empty, output = Tensor.empty
    private var dFromY = Tensor.empty, dFromX = Tensor.empty, dRx = Tensor.empty, dx = Tensor.empty, dy = Tensor.empty

    public init(width: Int, gateBias: Float = 2, name: String, generator: inout SeededGenerator) {
        precondition(width > 0, "a gate needs a positive width")
        self.width = width
        w = Parameter(name: joinName(name, "w"), value: .kaimingUniform(shape: [3 * width, width], fanIn: width, using: &generator))
        u = Parameter(name: joinName(name, "u"), value: .kaimingUniform(shape: [2 * width, width], fanIn: width, using: &generator))
        ug = Parameter(name: joinName(name, "u_g"), value: .kaimingUniform(shape: [width, width], fanIn: width, using: &generator))
        bias = Parameter(name: joinName(name, "b_g"), value: Tensor(shape: [width], values: [Float](repeating: gateBias, count: width)))
    }

    public var parameters: [Parameter] { [w, u, ug, bias] }

    @inline(__always) private static func sigmoid(_ v: Float) -> Float { 1 / (1 + exp(-v)) }

    /// g for stream rows `x` and sublayer rows `y`, both [N, E].
    public func forward(_ stream: Tensor, _ sublayer: Tensor) -> Tensor {
        let E = width
        expectShape(stream.rank == 2 && stream.shape[1] == E && sublayer.shape == stream.shape, "GRUGate",
                    "expected two inputs [rows, \(E)], got \(stream.shape) and \(sublayer.shape)")
        let N = stream.shape[0]
        Tensor.prepare(&x, shape: [N, E]); x.scratchPointer.update(from: stream.pointer, count: N * E)
        Tensor.prepare(&y, shape: [N, E]); y.scratchPointer.update(from: sublayer.pointer, count: N * E)
        Tensor.prepare(&fromY, shape: [N, 3 * E]); Tensor.prepare(&fromX, shape: [N, 2 * E])
        BLAS.gemm(.none, .transposed, m: N, n: 3 * E, k: E, a: y.pointer, lda: E, b: w.value.pointer, ldb: E, beta: 0, c: fromY.scratchPointer, ldc: 3 * E)
        BLAS.gemm(.none, .transposed, m: N, n: 2 * E, k: E, a: x.pointer, lda: E, b: u.value.pointer, ldb: E, beta: 0, c: fromX.scratchPointer, ldc: 2 * E)
        // fromX becomes the gates r | z after their nonlinearity.
        let a = fromY.pointer, gates = fromX.scratchPointer, b = bias.value.pointer, xs = x.pointer
        Tensor.prepare(&rx, shape: [N, E])
        let rxs = rx.scratchPointer
        for n in 0..<N {
            for j in 0..<E {
                let r = Self.sigmoid(a[n * 3 * E + j] + gates[n * 2 * E + j])
                let z = Self.sigmoid(a[n * 3 * E + E + j] + gates[n * 2 * E + E + j] - b[j])
                gates[n * 2 * E + j] = r; gates[n * 2 * E + E + j] = z
                rxs[n * E + j] = r * xs[n * E + j]
            }
        }
        Tensor.prepare(&candidate, shape: [N, E])
        BLAS.gemm(.none, .transposed, m: N, n: E, k: E, a: rx.pointer, lda: E, b: ug.value.pointer, ldb: E, beta: 0, c: candidate.scratchPointer, ldc: E)
        Tensor.prepare(&output, shape: [N, E])
        let h = candidate.scratchPointer, g = output.scratchPointer
        for n in 0..<N {
            for j in 0..<E {
                h[n * E + j] = tanh(a[n * 3 * E + 2 * E + j] + h[n * E + j])
                let z = gates[n * 2 * E + E + j]
                g[n * E + j] = (1 - z) * xs[n * E + j] + z * h[n * E + j]
            }
        }
        return output
    }

    /// d loss/d g → (d loss/d x, d loss/d y); parameter gradients accumulate.
    public func backward(_ dg: Tensor) -> (stream: Tensor, sublayer: Tensor) {
        let E = width, N = x.shape[0]
        expectShape(dg.shape == [N, E], "GRUGate", "output gradient \(dg.shape) does not match output [\(N), \(E)]")
        Tensor.prepare(&dFromY, shape: [N, 3 * E]); Tensor.prepare(&dFromX, shape: [N, 2 * E]); Tensor.prepare(&dx, shape: [N, E])
        let d = dg.pointer, gates = fromX.pointer, h = candidate.pointer, xs = x.pointer
        let dA = dFromY.scratchPointer, dB = dFromX.scratchPointer, dxs = dx.scratchPointer
        // Through g = (1 − z) x + z ĥ and ĥ = tanh(·): the candidate's pre-activation gradient
        // goes to W_g (from y) and to U_g (from r ⊙ x).
        for n in 0..<N {
            for j in 0..<E {
                let k = n * E + j, z = gates[n * 2 * E + E + j], hh = h[k]
                let dPreCandidate = d[k] * z * (1 - hh * hh)
                let dz = d[k] * (hh - xs[k]) * z * (1 - z)
                dA[n * 3 * E + 2 * E + j] = dPreCandidate
                dA[n * 3 * E + E + j] = dz
                dB[n * 2 * E + E + j] = dz
                dxs[k] = d[k] * (1 - z)
            }
        }
        // d(r ⊙ x) = dPreCandidate · U_g; dU_g += dPreCandidateᵀ · (r ⊙ x)
        Tensor.prepare(&dRx, shape: [N, E])
        BLAS.gemm(.none, .none, m: N, n: E, k: E, a: dA + 2 * E, lda: 3 * E, b: ug.value.pointer, ldb: E, beta: 0, c: dRx.scratchPointer, ldc: E)
        let (dUg, betaG) = ug.gradientForProduct()
        BLAS.gemm(.transposed, .none, m: E, n: E, k: N, a: dA + 2 * E, lda: 3 * E, b: rx.pointer, ldb: E, beta: betaG, c: dUg, ldc: E)
        let drx = dRx.pointer, db = bias.gradient.scratchPointer
        for n in 0..<N {
            for j in 0..<E {
                let k = n * E + j, r = gates[n * 2 * E + j]
                let dr = drx[k] * xs[k] * r * (1 - r)
                dA[n * 3 * E + j] = dr
                dB[n * 2 * E + j] = dr
                dxs[k] += drx[k] * r
                db[j] -= dB[n * 2 * E + E + j]
            }
        }
        let (dW, betaW) = w.gradientForProduct()
        BLAS.gemm(.transposed, .none, m: 3 * E, n: E, k: N, a: dFromY.pointer, lda: 3 * E, b: y.pointer, ldb: E, beta: betaW, c: dW, ldc: E)
        let (dU, betaU) = u.gradientForProduct()
        BLAS.gemm(.transposed, .none, m: 2 * E, n: E, k: N, a: dFromX.pointer, lda: 2 * E, b: x.pointer, ldb: E, beta: betaU, c: dU, ldc: E)
        Tensor.prepare(&dy, shape: [N, E])
        BLAS.gemm(.none, .none, m: N, n: E, k: 3 * E, a: dFromY.pointer, lda: 3 * E, b: w.value.pointer, ldb: E, beta: 0, c: dy.scratchPointer, ldc: E)
        BLAS.gemm(.none, .none, m: N, n: E, k: 2 * E, a: dFromX.pointer, lda: 2 * E, b: u.value.pointer, ldb: E, beta: 1, c: dx.scratchPointer, ldc: E)
        return (dx, dy)
    }
}
