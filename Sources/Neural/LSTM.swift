// Long short-term memory (Hochreiter & Schmidhuber 1997, with Gers et al.'s 2000 forget gate)
// exactly as PyTorch's nn.LSTM computes and stores it, so weights convert one to one. Per layer
// l: weight_ih [4H, I] (layer 0 reads I inputs, the others the layer below's H), weight_hh
// [4H, H], bias_ih and bias_hh [4H], the gate rows in the order i, f, g, o:
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(…f…)   g = tanh(…g…)   o = σ(…o…)
//   c′ = f ⊙ c + i ⊙ g                     h′ = o ⊙ tanh(c′)
// Convention (RecurrentState.swift): sequences are time-major, input [T, B, I] and output
// [T, B, H] (the top layer's h at every step); `initialState` (nil: zeros) before `forward`,
// `finalState` after it; `backward` also leaves d loss/d initial state in `stateGradient`.
// Truncated backpropagation through time: feed one chunk's `finalState` to the next chunk as
// its `initialState`; no gradient crosses that boundary.
import Foundation
import Tensors

public final class LSTM: RecurrentLayer {
    public let inputSize: Int, hiddenSize: Int, layerCount: Int
    public let weights: RecurrentWeights
    public var isTraining = true
    /// h₀ and c₀, each [layers, B, H]; nil starts from zeros.
    public var initialState: RecurrentState?
    /// Episode starts inside the sequence: resets[t·B + b] zeroes sequence b's state before
    /// step t (nil: none). No gradient crosses a reset.
    public var resets: [Bool]?
    public private(set) var finalState = RecurrentState.empty
    /// After `backward`: d loss/d h₀ and d loss/d c₀.
    public private(set) var stateGradient = RecurrentState.empty

    /// What backward needs of each layer: its input [T·B·In], its gates after their
    /// nonlinearities [T·B·4H], h and c as each step saw them (after resets) and after the last
    /// [(T+1)·B·H], tanh(c) [T·B·H], the layer's outputs [T·B·H].
    private struct Tape { var input = Tensor.empty, gates = Tensor.empty, h = Tensor.empty, c = Tensor.empty, tanhC = Tensor.empty, output = Tensor.empty }
    private var tapes: [Tape]
    private var output = Tensor.empty, inputGradient = Tensor.empty
    private var gateGradient = Tensor.empty, layerGradient = Tensor.empty, hNext = Tensor.empty, cNext = Tensor.empty
    private var steps = 0, batch = 0

    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, name: String, generator: inout SeededGenerator) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; layerCount = layers
        weights = RecurrentWeights(gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers, name: name, generator: &generator)
        tapes = Array(repeating: Tape(), count: layers)
    }

    public var parameters: [Parameter] { weights.parameters }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 3 && x.shape[2] == inputSize, "LSTM", "expected input [steps, batch, \(inputSize)], got \(x.shape)")
        steps = x.shape[0]; batch = x.shape[1]
        let H = hiddenSize, T = steps, B = batch
        if let s = initialState {
            expectShape(s.h.shape == [layerCount, B, H] && s.c.shape == [layerCount, B, H], "LSTM", "initial state must be [\(layerCount), \(B), \(H)] twice, got \(s.h.shape) and \(s.c.shape)")
        }
        expectShape(resets.map { $0.count == T * B } ?? true, "\(Self.self)", "resets must have steps × batch = \(T * B) entries, got \(resets?.count ?? 0)")
        RecurrentState.prepare(&finalState, layers: layerCount, batch: B, hidden: H, cell: true)
        let final = finalState   // the same storage: written below
        for l in 0..<layerCount {
            let inputs = l == 0 ? inputSize : H
            var tape = Tape()
            swap(&tape, &tapes[l])   // so its tensors are uniquely held and `prepare` reuses them
            if l == 0 { Tensor.prepare(&tape.input, shape: x.shape); tape.input.scratchPointer.update(from: x.pointer, count: x.count) }
            else { Tensor.prepare(&tape.input, shape: [T, B, H]); tape.input.scratchPointer.update(from: tapes[l - 1].output.pointer, count: T * B * H) }
            Tensor.prepare(&tape.gates, shape: [T, B, 4 * H])
            Tensor.prepare(&tape.h, shape: [T + 1, B, H]); Tensor.prepare(&tape.c, shape: [T + 1, B, H])
            Tensor.prepare(&tape.output, shape: [T, B, H])
            Tensor.prepare(&tape.tanhC, shape: [T, B, H])
            let gates = tape.gates.scratchPointer, h = tape.h.scratchPointer, c = tape.c.scratchPointer, tc = tape.tanhC.scratchPointer
            if let s = initialState {
                h.update(from: s.h.pointer + l * B * H, count: B * H); c.update(from: s.c.pointer + l * B * H, count: B * H)
            } else {
                Kernels.fill(h, B * H, 0); Kernels.fill(c, B * H, 0)
            }
            // Every step's input projection in one product, both biases added.
            weights.projectInputs(layer: l, rows: T * B, inputs: inputs, input: tape.input.pointer, into: gates, withHiddenBias: true)
            let out = tape.output.scratchPointer
            for t in 0..<T {
                let g = gates + t * B * 4 * H
                if let resets {
                    for b in 0..<B where resets[t * B + b] { Kernels.fill(h + (t * B + b) * H, H, 0); Kernels.fill(c + (t * B + b) * H, H, 0) }
                }
                BLAS.gemm(.none, .transposed, m: B, n: 4 * H, k: H, a: h + t * B * H, lda: H,
                          b: weights.hiddenHH[l].value.pointer, ldb: H, beta: 1, c: g, ldc: 4 * H)
                let cPrev = c + t * B * H, cNow = c + (t + 1) * B * H, hNow = h + (t + 1) * B * H, tanhNow = tc + t * B * H
                for b in 0..<B {
                    let row = g + b * 4 * H
                    VectorMath.sigmoid(2 * H, row, row)              // i, f
                    VectorMath.tanh(H, row + 2 * H, row + 2 * H)     // g
                    VectorMath.sigmoid(H, row + 3 * H, row + 3 * H)  // o
                    @inline(__always) func cell<L: FloatLanes>(_ j: Int, _: L.Type) {
                        (L.load(row + H + j) * L.load(cPrev + b * H + j) + L.load(row + j) * L.load(row + 2 * H + j)).store(cNow + b * H + j)
                    }
                    Lanes.forEach(H, cell, cell)
                }
                VectorMath.tanh(B * H, cNow, tanhNow)
                for b in 0..<B {
                    let row = g + b * 4 * H
                    @inline(__always) func hidden<L: FloatLanes>(_ j: Int, _: L.Type) {
                        (L.load(row + 3 * H + j) * L.load(tanhNow + b * H + j)).store(hNow + b * H + j)
                    }
                    Lanes.forEach(H, hidden, hidden)
                }
                (out + t * B * H).update(from: hNow, count: B * H)
            }
            final.h.scratchPointer.advanced(by: l * B * H).update(from: h + T * B * H, count: B * H)
            final.c.scratchPointer.advanced(by: l * B * H).update(from: c + T * B * H, count: B * H)
            tapes[l] = tape
        }
        Tensor.prepare(&output, shape: [T, B, H])
        output.scratchPointer.update(from: tapes[layerCount - 1].output.pointer, count: T * B * H)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let H = hiddenSize, T = steps, B = batch
        expectShape(dy.shape == [T, B, H], "LSTM", "output gradient \(dy.shape) does not match output [\(T), \(B), \(H)]")
        RecurrentState.prepare(&stateGradient, layers: layerCount, batch: B, hidden: H, cell: true)
        let stateGrad = stateGradient   // the same storage: written below
        // The gradient arriving at the current layer's outputs, top layer first.
        Tensor.prepare(&layerGradient, shape: [T, B, H])
        layerGradient.scratchPointer.update(from: dy.pointer, count: dy.count)
        Tensor.prepare(&hNext, shape: [B, H]); Tensor.prepare(&cNext, shape: [B, H])
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let tape = tapes[l], inputs = l == 0 ? inputSize : H
            Tensor.prepare(&gateGradient, shape: [T, B, 4 * H])
            let dA = gateGradient.scratchPointer, gates = tape.gates.pointer, c = tape.c.pointer, tc = tape.tanhC.pointer
            let dOut = layerGradient.scratchPointer, dh = hNext.scratchPointer, dc = cNext.scratchPointer
            Kernels.fill(dh, B * H, 0); Kernels.fill(dc, B * H, 0)
            for t in stride(from: T - 1, through: 0, by: -1) {
                let g = gates + t * B * 4 * H, d = dA + t * B * 4 * H, cPrev = c + t * B * H, tanhNow = tc + t * B * H
                for b in 0..<B {
                    let row = b * 4 * H
                    // 16 units at a time (FloatLanes: the same operations as one unit at a time).
                    @inline(__always) func unit<L: FloatLanes>(_ j: Int, _: L.Type) {
                        let k = b * H + j, one = L(repeating: 1)
                        let i = L.load(g + row + j), f = L.load(g + row + H + j), gg = L.load(g + row + 2 * H + j), o = L.load(g + row + 3 * H + j)
                        let dhTotal = L.load(dOut + t * B * H + k) + L.load(dh + k)
                        let squashed = L.load(tanhNow + k)
                        let dcTotal = dhTotal * o * (one - squashed * squashed) + L.load(dc + k)
                        (dcTotal * gg * i * (one - i)).store(d + row + j)
                        (dcTotal * L.load(cPrev + k) * f * (one - f)).store(d + row + H + j)
                        (dcTotal * i * (one - gg * gg)).store(d + row + 2 * H + j)
                        (dhTotal * squashed * o * (one - o)).store(d + row + 3 * H + j)
                        (dcTotal * f).store(dc + k)
                    }
                    Lanes.forEach(H, unit, unit)
                }
                // d h_{t−1} = dA_t · W_hh
                BLAS.gemm(.none, .none, m: B, n: H, k: 4 * H, a: d, lda: 4 * H, b: weights.hiddenHH[l].value.pointer, ldb: H,
                          beta: 0, c: dh, ldc: H)
                if let resets {
                    for b in 0..<B where resets[t * B + b] { Kernels.fill(dh + b * H, H, 0); Kernels.fill(dc + b * H, H, 0) }
                }
            }
            stateGrad.h.scratchPointer.advanced(by: l * B * H).update(from: dh, count: B * H)
            stateGrad.c.scratchPointer.advanced(by: l * B * H).update(from: dc, count: B * H)
            // The input's gradient is the layer below's output gradient.
            let target: UnsafeMutablePointer<Float>
            if l == 0 { Tensor.prepare(&inputGradient, shape: [T, B, inputSize]); target = inputGradient.scratchPointer }
            else { target = layerGradient.scratchPointer }
            weights.accumulateGradients(layer: l, rows: T * B, inputs: inputs, hidden: H, inputSide: dA, hiddenSide: dA,
                                        input: tape.input.pointer, previousH: tape.h.pointer, inputGradient: target)
        }
        return inputGradient
    }
}

