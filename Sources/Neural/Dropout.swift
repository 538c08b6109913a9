// Inverted dropout: in training each element is zeroed with probability p and survivors are
// scaled by 1/(1−p), so evaluation mode is the identity. The mask comes from the layer's own
// seeded generator (reproducible given the seed it was built with).
import Tensors

public final class Dropout: Layer {
    public let probability: Float
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    public var generator: SeededGenerator
    private var mask = Tensor.empty
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty

    public init(probability: Float, generator: SeededGenerator) {
        precondition(probability >= 0 && probability < 1, "Dropout probability must be in [0, 1), got \(probability)")
        self.probability = probability
        self.generator = generator
    }

    public func forward(_ x: Tensor) -> Tensor {
        guard isTraining && probability > 0 else { return x }
        Tensor.prepare(&mask, shape: x.shape)
        Tensor.prepare(&output, shape: x.shape)
        let m = mask.scratchPointer, y = output.scratchPointer, src = x.pointer
        let keep = 1 / (1 - probability)
        for i in 0..<x.count {
            m[i] = generator.nextUniform() < probability ? 0 : keep
            y[i] = src[i] * m[i]
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard isTraining && probability > 0 else { return dy }
        Tensor.prepare(&inputGradient, shape: dy.shape)
        let m = mask.pointer, g = dy.pointer, dx = inputGradient.scratchPointer
        for i in 0..<dy.count { dx[i] = g[i] * m[i] }
        return inputGradient
    }
}
