// Multi-head self-attention (Vaswani et al. 2017) as PyTorch's nn.MultiheadAttention computes
// it with query = key = value, so weights convert one to one: in_proj_weight [3E, E] and
// in_proj_bias [3E] (rows: queries, keys, values), out_proj.weight [E, E], out_proj.bias [E];
// each of the h heads attends with d = E/h dimensions, softmax(Q Kᵀ/√d + mask) V, and the heads'
// outputs, side by side, go through out_proj.
// Sequences are time-major like the recurrent layers': input and output [T, B, E].
// Masks, combined: `causal` (step t attends to steps ≤ t), `window` (only to steps less than
// `window` apart: with `causal`, the last `window` steps — sliding-window attention), `padding`
// ([B·T], true where a sequence's step is padding: no query attends to it) and `segments` ([B·T],
// a query attends only to steps of its own segment: several episodes packed in one sequence). A
// query with nothing left to attend to outputs the bias alone (PyTorch gives NaN there).
// Each head's scores are kept key-major, Sᵀ = K·Qᵀ ([key, query]), so the softmax and its
// backward run down the columns 16 queries at a time (VectorMath+ColumnSoftmax.swift).
import Foundation
import Tensors

public final class MultiHeadAttention: Layer {
    public let embed: Int, heads: Int
    public let inProjection: Parameter, inBias: Parameter, outProjection: Parameter, outBias: Parameter
    public var isTraining = true
    public var causal = false
    /// [B·T], true where sequence b's step t is padding; nil: none.
    public var padding: [Bool]?
    /// Keys at most `window − 1` steps from the query; nil: any distance.
    public var window: Int?
    /// [B·T], sequence b's step t belongs to segment segments[b·T + t]; nil: one segment.
    public var segments: [Int]?

    private var input = Tensor.empty, qkv = Tensor.empty, weights = Tensor.empty, concat = Tensor.empty, output = Tensor.empty
    private var qkvGradient = Tensor.empty, concatGradient = Tensor.empty, inputGradient = Tensor.empty
    private var scratch = Tensor.empty
    /// Queries, keys and values per sequence and head, each [T, d] contiguous: [B, heads, 3, T, d]
    /// (and their gradients), so the per-head products read dense blocks, not 16 floats every
    /// 3E·B; `headGradient` holds one head's output gradient, [T, d].
    private var packed = Tensor.empty, packedGradient = Tensor.empty, headGradient = Tensor.empty
    /// One sequence's mask, [key, query] as the scores: 1 where the query may attend to the key.
    private var mask = Tensor.empty
    /// The column softmax's room for its last, narrower group of queries.
    private var softmaxScratch = Tensor.empty
    private var steps = 0, batch = 0

    public init(embed: Int, heads: Int, name: String, generator: inout SeededGenerator) {
        precondition(embed > 0 && heads > 0 && embed % heads == 0, "attention needs an embedding width divisible by the head count")
        self.embed = embed; self.heads = heads
        // PyTorch: Xavier-uniform in_proj, zero biases; out_proj as a Linear's weight.
        let bound = (6 / Float(embed + 3 * embed)).squareRoot()
        inProjection = Parameter(name: joinName(name, "in_proj_weight"), value: .uniform(shape: [3 * embed, embed], low: -bound, high: bound, using: &generator))
        inBias = Parameter(name: joinName(name, "in_proj_bias"), value: Tensor(zeros: [3 * embed]))
        outProjection = Parameter(name: joinName(name, "out_proj.weight"), value: .kaimingUniform(shape: [embed, embed], fanIn: embed, using: &generator))
        outBias = Parameter(name: joinName(name, "out_proj.bias"), value: Tensor(zeros: [embed]))
    }

    public var parameters: [Parameter] { [inProjection, inBias, outProjection, outBias] }

    private var headWidth: Int { embed / heads }

    /// Whether query step i of sequence b may attend to key step j.
    @inline(__always) private func allowed(_ b: Int, _ i: Int, _ j: Int) -> Bool {
        !(causal && j > i) && !(padding?[b * steps + j] ?? false) && (window.map { abs(i - j) < $0 } ?? true)
            && (segments.map { $0[b * steps + i] == $0[b * steps + j] } ?? true)
    }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 3 && x.shape[2] == embed, "MultiHeadAttention", "expected input [steps, batch, \(embed)], got \(x.shape)")
        steps = x.shape[0]; batch = x.shape[1]
        let T = steps, B = batch, E = embed, d = headWidth
        expectShape(padding.map { $0.count == B * T } ?? true, "MultiHeadAttention", "padding must have batch × steps = \(B * T) entries, got \(padding?.count ?? 0)")
        expectShape(segments.map { $0.count == B * T } ?? true, "MultiHeadAttention", "segments must have batch × steps = \(B * T) entries, got \(segments?.count ?? 0)")
        expectShape(window.map { $0 > 0 } ?? true, "MultiHeadAttention", "window must be positive, got \(window ?? 0)")
        input = x
        Tensor.prepare(&qkv, shape: [T * B, 3 * E])
        Tensor.prepare(&weights, shape: [B, heads, T, T])
        Tensor.prepare(&concat, shape: [T * B, E])
        Tensor.prepare(&output, shape: [T, B, E])
        let q = qkv.scratchPointer, p = weights.scratchPointer, o = concat.scratchPointer
        let bi = inBias.value.pointer
        for r in 0..<(T * B) { Kernels.copy(3 * E, bi, q + r * 3 * E) }
        BLAS.gemm(.none, .transposed, m: T * B, n: 3 * E, k: E, a: x.pointer, lda: E, b: inProjection.value.pointer, ldb: E, beta: 1, c: q, ldc: 3 * E)
        let scale = 1 / Float(d).squareRoot()
        pack(q)
        let pk = packed.pointer
        let masked = causal || padding != nil || window != nil || segments != nil
        if masked { Tensor.prepare(&mask, shape: [T, T]) }
        let allow = mask.scratchPointer
        Tensor.prepare(&softmaxScratch, shape: [VectorMath.columnScratchCount(rows: T)])
        let room = softmaxScratch.scratchPointer
        for b in 0..<B {
            // Sequence b's mask once, for every head: allow[j·T + i] = 1 where query i sees key j.
            if masked { for j in 0..<T { for i in 0..<T { allow[j * T + i] = allowed(b, i, j) ? 1 : 0 } } }
            for h in 0..<heads {
                let queries = pk + (b * heads + h) * 3 * T * d, keys = queries + T * d, values = keys + T * d
                let scores = p + (b * heads + h) * T * T
                // Sᵀ = K·Qᵀ/√d, normalised down its columns (one per query): Pᵀ.
                BLAS.gemm(.none, .transposed, m: T, n: T, k: d, alpha: scale, a: keys, lda: d, b: queries, ldb: d,
                          beta: 0, c: scores, ldc: T)
                if masked { VectorMath.maskedColumnSoftmax(rows: T, columns: T, scores, mask: allow, scratch: room) }
                else { VectorMath.columnSoftmax(rows: T, columns: T, scores, scratch: room) }
                // O = P·V = (Pᵀ)ᵀ·V
                BLAS.gemm(.transposed, .none, m: T, n: d, k: T, a: scores, lda: T, b: values, ldb: d,
                          beta: 0, c: o + b * E + h * d, ldc: B * E)
            }
        }
        let y = output.scratchPointer, bo = outBias.value.pointer
        for r in 0..<(T * B) { Kernels.copy(E, bo, y + r * E) }
        BLAS.gemm(.none, .transposed, m: T * B, n: E, k: E, a: o, lda: E, b: outProjection.value.pointer, ldb: E, beta: 1, c: y, ldc: E)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let T = steps, B = batch, E = embed, d = headWidth
        expectShape(dy.shape == [T, B, E], "MultiHeadAttention", "output gradient \(dy.shape) does not match output [\(T), \(B), \(E)]")
        let g = dy.pointer
        // out_proj: dW += dyᵀ·concat, db += Σ dy, d concat = dy·W.
        let (dWo, betaO) = outProjection.gradientForProduct()
        BLAS.gemm(.transposed, .none, m: E, n: E, k: T * B, a: g, lda: E, b: concat.pointer, ldb: E, beta: betaO, c: dWo, ldc: E)
        let dbo = outBias.gradient.scratchPointer
        for r in 0..<(T * B) { Kernels.axpy(E, 1, g + r * E, dbo) }
        Tensor.prepare(&concatGradient, shape: [T * B, E])
        BLAS.gemm(.none, .none, m: T * B, n: E, k: E, a: g, lda: E, b: outProjection.value.pointer, ldb: E, beta: 0, c: concatGradient.scratchPointer, ldc: E)
        Tensor.prepare(&qkvGradient, shape: [T * B, 3 * E])
        Tensor.prepare(&packedGradient, shape: packed.shape)
        Tensor.prepare(&scratch, shape: [T, T])
        Tensor.prepare(&headGradient, shape: [T, d])
        Tensor.prepare(&softmaxScratch, shape: [VectorMath.columnScratchCount(rows: T)])
        let pk = packed.pointer, p = weights.pointer, dO = concatGradient.pointer, dpk = packedGradient.scratchPointer
        let dP = scratch.scratchPointer, dOut = headGradient.scratchPointer
        let scale = 1 / Float(d).squareRoot()
        for b in 0..<B {
            for h in 0..<heads {
                let block = (b * heads + h) * 3 * T * d
                let queries = pk + block, keys = queries + T * d, values = keys + T * d
                let dQueries = dpk + block, dKeys = dQueries + T * d, dValues = dKeys + T * d
                let probabilities = p + (b * heads + h) * T * T   // Pᵀ: [key, query]
                for t in 0..<T { Kernels.copy(d, dO + (t * B + b) * E + h * d, dOut + t * d) }
                // dV = Pᵀ dO;  dPᵀ = V dOᵀ
                BLAS.gemm(.none, .none, m: T, n: d, k: T, a: probabilities, lda: T, b: dOut, ldb: d, beta: 0, c: dValues, ldc: d)
                BLAS.gemm(.none, .transposed, m: T, n: T, k: d, a: values, lda: d, b: dOut, ldb: d, beta: 0, c: dP, ldc: T)
                // Softmax backward, the scale folded in: dS = P ⊙ (dP − Σⱼ Pⱼ dPⱼ) / √d, per query.
                VectorMath.columnSoftmaxBackward(rows: T, columns: T, probabilities: probabilities, dP, scale: scale,
                                                 scratch: softmaxScratch.scratchPointer)
                // dQ = dS K = (dSᵀ)ᵀ K;  dK = dSᵀ Q
                BLAS.gemm(.transposed, .none, m: T, n: d, k: T, a: dP, lda: T, b: keys, ldb: d, beta: 0, c: dQueries, ldc: d)
                BLAS.gemm(.none, .none, m: T, n: d, k: T, a: dP, lda: T, b: queries, ldb: d, beta: 0, c: dKeys, ldc: d)
            }
        }
        unpack(dpk, into: qkvGradient.scratchPointer)
        // in_proj: dW += dQKVᵀ·x, db += Σ dQKV, dx = dQKV·W.
        let dQKV = qkvGradient.pointer
        let (dWi, betaI) = inProjection.gradientForProduct()
        BLAS.gemm(.transposed, .none, m: 3 * E, n: E, k: T * B, a: dQKV, lda: 3 * E, b: input.pointer, ldb: E, beta: betaI, c: dWi, ldc: E)
        let dbi = inBias.gradient.scratchPointer
        for r in 0..<(T * B) { Kernels.axpy(3 * E, 1, dQKV + r * 3 * E, dbi) }
        Tensor.prepare(&inputGradient, shape: [T, B, E])
        BLAS.gemm(.none, .none, m: T * B, n: E, k: 3 * E, a: dQKV, lda: 3 * E, b: inProjection.value.pointer, ldb: E, beta: 0, c: inputGradient.scratchPointer, ldc: E)
        return inputGradient
    }

    /// Calls `move(row, block)` for every head's d floats of one step: `row` their offset in
    /// the rows [T·B, 3E], `block` in the packed [B, heads, 3, T, d] (the one layout map of
    /// `pack` and `unpack`).
    @inline(__always) private func forEachHeadPiece(_ move: (_ row: Int, _ block: Int) -> Void) {
        let T = steps, B = batch, E = embed, d = headWidth
        for t in 0..<T {
            for b in 0..<B {
                let row = (t * B + b) * 3 * E
                for h in 0..<heads {
                    for part in 0..<3 { move(row + part * E + h * d, (((b * heads + h) * 3 + part) * T + t) * d) }
                }
            }
        }
    }

    /// qkv rows [T·B, 3E] → `packed` [B, heads, 3, T, d].
    private func pack(_ q: UnsafePointer<Float>) {
        Tensor.prepare(&packed, shape: [batch, heads, 3, steps, headWidth])
        let pk = packed.scratchPointer, d = headWidth
        forEachHeadPiece { row, block in Kernels.copy(d, q + row, pk + block) }
    }

    /// The inverse of `pack`: [B, heads, 3, T, d] → rows [T·B, 3E].
    private func unpack(_ pk: UnsafePointer<Float>, into q: UnsafeMutablePointer<Float>) {
        let d = headWidth
        forEachHeadPiece { row, block in Kernels.copy(d, pk + block, q + row) }
    }
}
