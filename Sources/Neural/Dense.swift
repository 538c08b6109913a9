// Fully connected layer: y = x · Wᵀ + b, with W stored [outputs, inputs] as in PyTorch so that
// weights convert one to one. Input [batch, inputs], output [batch, outputs].
import Tensors

public final class Dense: Layer {
    public let inputs: Int, outputs: Int
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true
    /// False for a network's first layer: its input gradient is never used, so skip computing it.
    public var propagatesInputGradient = true

    private var input = Tensor.empty
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty

    public init(inputs: Int, outputs: Int, bias: Bool = true, name: String,
                generator: inout SeededGenerator) {
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(name: joinName(name, "weight"),
                           value: .kaimingUniform(shape: [outputs, inputs], fanIn: inputs, using: &generator))
        self.bias = bias ? Parameter(name: joinName(name, "bias"), value: Tensor(zeros: [outputs])) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 2 && x.shape[1] == inputs, weight.name,
                    "expected input [batch, \(inputs)], got \(x.shape)")
        let n = x.shape[0]
        input = x
        Tensor.prepare(&output, shape: [n, outputs])
        let y = output.scratchPointer
        if let bias {
            for i in 0..<n { (y + i * outputs).update(from: bias.value.pointer, count: outputs) }
        }
        BLAS.splitGemm(.none, .transposed, m: n, n: outputs, k: inputs, a: x.pointer, lda: inputs,
                  b: weight.value.pointer, ldb: inputs, beta: bias == nil ? 0 : 1, c: y, ldc: outputs)
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let n = input.shape[0]
        expectShape(dy.shape == [n, outputs], weight.name, "output gradient \(dy.shape) does not match output [\(n), \(outputs)]")
        // dW += dyᵀ · x (or = after a clear)
        let (dW, beta) = weight.gradientForProduct()
        BLAS.splitGemm(.transposed, .none, m: outputs, n: inputs, k: n, a: dy.pointer, lda: outputs,
                  b: input.pointer, ldb: inputs, beta: beta, c: dW, ldc: inputs)
        if let bias {
            let db = bias.gradient.scratchPointer, g = dy.pointer
            for i in 0..<n { for j in 0..<outputs { db[j] += g[i * outputs + j] } }
        }
        guard propagatesInputGradient else { return .empty }
        Tensor.prepare(&inputGradient, shape: [n, inputs])
        BLAS.splitGemm(.none, .none, m: n, n: inputs, k: outputs, a: dy.pointer, lda: outputs,
                  b: weight.value.pointer, ldb: inputs, c: inputGradient.scratchPointer, ldc: inputs)
        return inputGradient
    }
}
