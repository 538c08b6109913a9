// Stochastic gradient descent with optional momentum (PyTorch's form: the buffer starts as the
// first gradient), Nesterov momentum and L2 weight decay added to the gradient.
import Tensors

public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float, nesterov: Bool, weightDecay: Float
    public var stepCount = 0
    private var slots: OptimizerSlots
    private let pieces: UpdatePieces

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0,
                nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || momentum > 0, "Nesterov SGD needs momentum > 0")
        self.parameters = parameters.trainable
        self.learningRate = learningRate; self.momentum = momentum
        self.nesterov = nesterov; self.weightDecay = weightDecay
        slots = OptimizerSlots(kind: "sgd", names: momentum > 0 ? ["momentum"] : [], parameters: self.parameters)
        pieces = UpdatePieces(self.parameters)
    }

    public func step() {
        let lr = learningRate, mu = momentum, wd = weightDecay, first = stepCount == 0
        pieces.forEach { i, range in
            let p = parameters[i]
            let w = p.value.scratchPointer, g = p.gradient.pointer
            if mu == 0 {
                for j in range { w[j] -= lr * (g[j] + wd * w[j]) }
                return
            }
            let buf = slots.values[0][i].scratchPointer
            for j in range {
                let d = g[j] + wd * w[j]
                buf[j] = first ? d : mu * buf[j] + d
                w[j] -= lr * (nesterov ? d + mu * buf[j] : buf[j])
            }
        }
        stepCount += 1
    }

    public var stateTensors: [(name: String, tensor: Tensor)] { slots.tensors(for: parameters) }
    public func loadState(_ tensors: [String: Tensor]) throws { try slots.load(tensors, for: parameters) }
}
