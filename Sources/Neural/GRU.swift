// Gated recurrent unit (Cho et al. 2014) exactly as PyTorch's nn.GRU computes and stores it, so
// weights convert one to one. Per layer l: weight_ih [3H, I], weight_hh [3H, H], bias_ih and
// bias_hh [3H], the gate rows in the order r, z, n:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))    h′ = (1 − z) ⊙ n + z ⊙ h
// (the reset gate multiplies the hidden projection after its bias, PyTorch's form). Sequences,
// state and truncation follow RecurrentState.swift; the state has no cell.
import Foundation
import Tensors

public final class GRU: RecurrentLayer {
    public let inputSize: Int, hiddenSize: Int, layerCount: Int
    public let weights: RecurrentWeights
    public var isTraining = true
    /// h₀, [layers, B, H]; nil starts from zeros.
    public var initialState: RecurrentState?
    /// Episode starts inside the sequence: resets[t·B + b] zeroes sequence b's state before
    /// step t (nil: none). No gradient crosses a reset.
    public var resets: [Bool]?
    public private(set) var finalState = RecurrentState.empty
    /// After `backward`: d loss/d h₀.
    public private(set) var stateGradient = RecurrentState.empty

    /// What backward needs of each layer: its input [T·B·In]; r, z, n [T·B·3H]; the hidden
    /// projection's n rows W_hn h + b_hn [T·B·H]; h as each step saw it (after resets) and after
    /// the last [(T+1)·B·H]; the layer's outputs [T·B·H].
    private struct Tape { var input = Tensor.empty, gates = Tensor.empty, hiddenN = Tensor.empty, h = Tensor.empty, output = Tensor.empty }
    private var tapes: [Tape]
    private var output = Tensor.empty, inputGradient = Tensor.empty, hidden = Tensor.empty
    private var inputSideGradient = Tensor.empty, hiddenSideGradient = Tensor.empty, layerGradient = Tensor.empty, hNext = Tensor.empty
    private var steps = 0, batch = 0

    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, name: String, generator: inout SeededGenerator) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; layerCount = layers
        weights = RecurrentWeights(gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, name: name, generator: &generator)
        tapes = Array(repeating: Tape(), count: layers)
    }

    public var parameters: [Parameter] { weights.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 3 && x.shape[2] == inputSize, "GRU", "expected input [steps, batch, \(inputSize)], got \(x.shape)")
        steps = x.shape[0]; batch = x.shape[1]
        let H = hiddenSize, T = steps, B = batch
        if let s = initialState {
            expectShape(s.h.shape == [layerCount, B, H], "GRU", "initial state must be [\(layerCount), \(B), \(H)], got \(s.h.shape)")
        }
        expectShape(resets.map { $0.count == T * B } ?? true, "\(Self.self)", "resets must have steps × batch = \(T * B) entries, got \(resets?.count ?? 0)")
        RecurrentState.prepare(&finalState, layers: layerCount, batch: B, hidden: H, cell: false)
        let final = finalState   // the same storage: written below
        Tensor.prepare(&hidden, shape: [B, 3 * H])
        for l in 0..<layerCount {
            let inputs = l == 0 ? inputSize : H
            var tape = Tape()
            swap(&tape, &tapes[l])   // so its tensors are uniquely held and `prepare` reuses them
            if l == 0 { Tensor.prepare(&tape.input, shape: x.shape); tape.input.scratchPointer.update(from: x.pointer, count: x.count) }
            else { Tensor.prepare(&tape.input, shape: [T, B, H]); tape.input.scratchPointer.update(from: tapes[l - 1].output.pointer, count: T * B * H) }
            Tensor.prepare(&tape.gates, shape: [T, B, 3 * H])
            Tensor.prepare(&tape.hiddenN, shape: [T, B, H])
            Tensor.prepare(&tape.h, shape: [T + 1, B, H])
            Tensor.prepare(&tape.output, shape: [T, B, H])
            let gates = tape.gates.scratchPointer, hn = tape.hiddenN.scratchPointer, h = tape.h.scratchPointer
            if let s = initialState { h.update(from: s.h.pointer + l * B * H, count: B * H) } else { Kernels.fill(h, B * H, 0) }
            // The input projections of every step in one product (b_ih added).
            weights.projectInputs(layer: l, rows: T * B, inputs: inputs, input: tape.input.pointer, into: gates, withHiddenBias: false)
            let bh = weights.biasHH[l].value.pointer
            let hp = hidden.scratchPointer
            let out = tape.output.scratchPointer
            for t in 0..<T {
                if let resets {
                    for b in 0..<B where resets[t * B + b] { Kernels.fill(h + (t * B + b) * H, H, 0) }
                }
                for b in 0..<B { (hp + b * 3 * H).update(from: bh, count: 3 * H) }
                BLAS.gemm(.none, .transposed, m: B, n: 3 * H, k: H, a: h + t * B * H, lda: H,
                          b: weights.hiddenHH[l].value.pointer, ldb: H, beta: 1, c: hp, ldc: 3 * H)
                let g = gates + t * B * 3 * H, hPrev = h + t * B * H, hNow = h + (t + 1) * B * H, hnNow = hn + t * B * H
                for b in 0..<B {
                    let row = b * 3 * H
                    Kernels.axpy(2 * H, 1, hp + row, g + row)
                    VectorMath.sigmoid(2 * H, g + row, g + row)   // r, z
                    @inline(__always) func candidate<L: FloatLanes>(_ j: Int, _: L.Type) {
                        let projected = L.load(hp + row + 2 * H + j)
                        projected.store(hnNow + b * H + j)
                        (L.load(g + row + 2 * H + j) + L.load(g + row + j) * projected).store(g + row + 2 * H + j)
                    }
                    Lanes.forEach(H, candidate, candidate)
                    VectorMath.tanh(H, g + row + 2 * H, g + row + 2 * H)   // n
                    @inline(__always) func hidden<L: FloatLanes>(_ j: Int, _: L.Type) {
                        let z = L.load(g + row + H + j)
                        ((L(repeating: 1) - z) * L.load(g + row + 2 * H + j) + z * L.load(hPrev + b * H + j)).store(hNow + b * H + j)
                    }
                    Lanes.forEach(H, hidden, hidden)
                }
                (out + t * B * H).update(from: hNow, count: B * H)
            }
            final.h.scratchPointer.advanced(by: l * B * H).update(from: h + T * B * H, count: B * H)
            swap(&tape, &tapes[l])
        }
        Tensor.prepare(&output, shape: [T, B, H])
        output.scratchPointer.update(from: tapes[layerCount - 1].output.pointer, count: T * B * H)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let H = hiddenSize, T = steps, B = batch
        expectShape(dy.shape == [T, B, H], "GRU", "output gradient \(dy.shape) does not match output [\(T), \(B), \(H)]")
        RecurrentState.prepare(&stateGradient, layers: layerCount, batch: B, hidden: H, cell: false)
        let stateGrad = stateGradient   // the same storage: written below
        Tensor.prepare(&layerGradient, shape: [T, B, H])
        layerGradient.scratchPointer.update(from: dy.pointer, count: dy.count)
        Tensor.prepare(&hNext, shape: [B, H])
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let tape = tapes[l], inputs = l == 0 ? inputSize : H
            Tensor.prepare(&inputSideGradient, shape: [T, B, 3 * H])
            Tensor.prepare(&hiddenSideGradient, shape: [T, B, 3 * H])
            let dX = inputSideGradient.scratchPointer, dHid = hiddenSideGradient.scratchPointer
            let gates = tape.gates.pointer, hn = tape.hiddenN.pointer, h = tape.h.pointer
            let dOut = layerGradient.scratchPointer, dh = hNext.scratchPointer
            Kernels.fill(dh, B * H, 0)
            for t in stride(from: T - 1, through: 0, by: -1) {
                let g = gates + t * B * 3 * H, hPrev = h + t * B * H, hnNow = hn + t * B * H
                let dx = dX + t * B * 3 * H, dhid = dHid + t * B * 3 * H
                for b in 0..<B {
                    let row = b * 3 * H
                    // 16 units at a time (FloatLanes: the same operations as one unit at a time).
                    @inline(__always) func unit<L: FloatLanes>(_ j: Int, _: L.Type) {
                        let k = b * H + j, one = L(repeating: 1)
                        let r = L.load(g + row + j), z = L.load(g + row + H + j), n = L.load(g + row + 2 * H + j)
                        let dhTotal = L.load(dOut + t * B * H + k) + L.load(dh + k)
                        let dn = dhTotal * (one - z) * (one - n * n)                 // d pre-activation of n
                        let dz = dhTotal * (L.load(hPrev + k) - n) * z * (one - z)   // d pre-activation of z
                        let dr = dn * L.load(hnNow + k) * r * (one - r)              // d pre-activation of r
                        dr.store(dx + row + j); dz.store(dx + row + H + j); dn.store(dx + row + 2 * H + j)
                        dr.store(dhid + row + j); dz.store(dhid + row + H + j); (dn * r).store(dhid + row + 2 * H + j)
                        (dhTotal * z).store(dh + k)   // the direct path; the projections' part is added below
                    }
                    Lanes.forEach(H, unit, unit)
                }
                // d h_{t−1} += dHidden_t · W_hh
                BLAS.gemm(.none, .none, m: B, n: H, k: 3 * H, a: dhid, lda: 3 * H, b: weights.hiddenHH[l].value.pointer, ldb: H,
                          beta: 1, c: dh, ldc: H)
                if let resets {
                    for b in 0..<B where resets[t * B + b] { Kernels.fill(dh + b * H, H, 0) }
                }
            }
            stateGrad.h.scratchPointer.advanced(by: l * B * H).update(from: dh, count: B * H)
            let target: UnsafeMutablePointer<Float>
            if l == 0 { Tensor.prepare(&inputGradient, shape: [T, B, inputSize]); target = inputGradient.scratchPointer }
            else { target = layerGradient.scratchPointer }
            weights.accumulateGradients(layer: l, rows: T * B, inputs: inputs, hidden: H, inputSide: dX, hiddenSide: dHid,
                                        input: tape.input.pointer, previousH: h, inputGradient: target)
        }
        return inputGradient
    }
}
