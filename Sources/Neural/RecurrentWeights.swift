// The weights the recurrent layers share (LSTM.swift, GRU.swift) and the two products every
// such layer does the same way: all steps' input projections at once before the recurrence,
// and all steps' weight and input gradients at once after it.
import Tensors

/// A recurrent layer's weights in PyTorch's layout: per layer l, weight_ih_l{l} [gates·H, inputs]
/// (layer 0 reads the layer's inputs, the others the layer below's H), weight_hh_l{l}
/// [gates·H, H], bias_ih_l{l} and bias_hh_l{l} [gates·H]; all uniform in ±1/√H, as PyTorch
/// initialises them.
public struct RecurrentWeights {
    public let inputIH: [Parameter], hiddenHH: [Parameter], biasIH: [Parameter], biasHH: [Parameter]

    public init(gates: Int, inputSize: Int, hiddenSize: Int, layers: Int, name: String, generator: inout SeededGenerator) {
        precondition(inputSize > 0 && hiddenSize > 0 && layers > 0, "a recurrent layer needs positive sizes")
        let bound = 1 / Float(hiddenSize).squareRoot(), rows = gates * hiddenSize
        func parameter(_ label: String, _ shape: [Int]) -> Parameter {
            Parameter(name: joinName(name, label), value: .uniform(shape: shape, low: -bound, high: bound, using: &generator))
        }
        var ih: [Parameter] = [], hh: [Parameter] = [], bih: [Parameter] = [], bhh: [Parameter] = []
        for l in 0..<layers {
            ih.append(parameter("weight_ih_l\(l)", [rows, l == 0 ? inputSize : hiddenSize]))
            hh.append(parameter("weight_hh_l\(l)", [rows, hiddenSize]))
            bih.append(parameter("bias_ih_l\(l)", [rows]))
            bhh.append(parameter("bias_hh_l\(l)", [rows]))
        }
        inputIH = ih; hiddenHH = hh; biasIH = bih; biasHH = bhh
    }

    /// PyTorch's order: weight_ih, weight_hh, bias_ih, bias_hh per layer.
    public var parameters: [Parameter] { inputIH.indices.flatMap { [inputIH[$0], hiddenHH[$0], biasIH[$0], biasHH[$0]] } }
}

extension RecurrentWeights {
    /// Every step's input projection of layer `l` at once into `gates` [rows, gates·H]:
    /// x·W_ihᵀ + b_ih, plus b_hh when `withHiddenBias` (the LSTM adds both biases up front; the
    /// GRU keeps b_hn inside its reset gate's product).
    func projectInputs(layer l: Int, rows: Int, inputs: Int, input: UnsafePointer<Float>, into gates: UnsafeMutablePointer<Float>, withHiddenBias: Bool) {
        let width = biasIH[l].value.count, bi = biasIH[l].value.pointer, bh = biasHH[l].value.pointer
        for r in 0..<rows {
            let row = gates + r * width
            if withHiddenBias { for j in 0..<width { row[j] = bi[j] + bh[j] } } else { row.update(from: bi, count: width) }
        }
        BLAS.splitGemm(.none, .transposed, m: rows, n: width, k: inputs, a: input, lda: inputs,
                       b: inputIH[l].value.pointer, ldb: inputs, beta: 1, c: gates, ldc: width)
    }

    /// After layer `l`'s steps backward, with d pre-activations on the input side `dX` and on the
    /// hidden side `dH` (the same for the LSTM), each [rows, gates·H]: dW_ih += dXᵀ·x,
    /// dW_hh += dHᵀ·h₋₁…, the bias sums, and d input = dX·W_ih written to `inputGradient`.
    func accumulateGradients(layer l: Int, rows: Int, inputs: Int, hidden: Int, inputSide dX: UnsafePointer<Float>, hiddenSide dH: UnsafePointer<Float>,
                             input: UnsafePointer<Float>, previousH: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>) {
        let width = biasIH[l].value.count
        let (dWhh, betaHH) = hiddenHH[l].gradientForProduct()
        BLAS.splitGemm(.transposed, .none, m: width, n: hidden, k: rows, a: dH, lda: width, b: previousH, ldb: hidden, beta: betaHH, c: dWhh, ldc: hidden)
        let (dWih, betaIH) = inputIH[l].gradientForProduct()
        BLAS.splitGemm(.transposed, .none, m: width, n: inputs, k: rows, a: dX, lda: width, b: input, ldb: inputs, beta: betaIH, c: dWih, ldc: inputs)
        let dbi = biasIH[l].gradient.scratchPointer, dbh = biasHH[l].gradient.scratchPointer
        for r in 0..<rows {
            for j in 0..<width { dbi[j] += dX[r * width + j]; dbh[j] += dH[r * width + j] }
        }
        BLAS.splitGemm(.none, .none, m: rows, n: inputs, k: width, a: dX, lda: width, b: inputIH[l].value.pointer, ldb: inputs,
                       beta: 0, c: inputGradient, ldc: inputs)
    }
}
