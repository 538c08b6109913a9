// RMSprop (Tieleman & Hinton 2012) in PyTorch's form, plain or centered (Graves 2013):
//   v ← α·v + (1−α)·g²;  centered: ḡ ← α·ḡ + (1−α)·g, denominator √(v − ḡ²) + ε,
//   plain: √v + ε;  θ ← θ − lr·g/denominator (or through a momentum buffer).
// ε is added outside the square root, as in PyTorch and the MinAtar reference DQN
// (lr 2.5e-4, α 0.95, ε 0.01, centered).
import Tensors

public final class RMSprop: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let alpha: Float, epsilon: Float, centered: Bool, momentum: Float, weightDecay: Float
    public var stepCount = 0
    private var slots: OptimizerSlots

    public init(parameters: [Parameter], learningRate: Float, alpha: Float = 0.99, epsilon: Float = 1e-8,
                centered: Bool = false, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters.trainable
        self.learningRate = learningRate; self.alpha = alpha; self.epsilon = epsilon
        self.centered = centered; self.momentum = momentum; self.weightDecay = weightDecay
        var names = ["square_avg"]
        if centered { names.append("grad_avg") }
        if momentum > 0 { names.append("momentum") }
        slots = OptimizerSlots(kind: "rmsprop", names: names, parameters: self.parameters)
    }

    public func step() {
        let lr = learningRate, a = alpha, eps = epsilon, mu = momentum, wd = weightDecay
        let gIndex = centered ? 1 : -1, mIndex = momentum > 0 ? (centered ? 2 : 1) : -1
        for (i, p) in parameters.enumerated() {
            let w = p.value.scratchPointer, g = p.gradient.pointer
            let v = slots.values[0][i].scratchPointer
            let gbar = gIndex >= 0 ? slots.values[gIndex][i].scratchPointer : nil
            let buf = mIndex >= 0 ? slots.values[mIndex][i].scratchPointer : nil
            for j in 0..<p.value.count {
                let d = g[j] + wd * w[j]
                v[j] = a * v[j] + (1 - a) * d * d
                var denominator: Float
                if let gbar {
                    gbar[j] = a * gbar[j] + (1 - a) * d
                    denominator = (v[j] - gbar[j] * gbar[j]).squareRoot() + eps
                } else {
                    denominator = v[j].squareRoot() + eps
                }
                if let buf {
                    buf[j] = mu * buf[j] + d / denominator
                    w[j] -= lr * buf[j]
                } else {
                    w[j] -= lr * d / denominator
                }
            }
        }
        stepCount += 1
    }

    public var stateTensors: [(name: String, tensor: Tensor)] { slots.tensors(for: parameters) }
    public func loadState(_ tensors: [String: Tensor]) throws { try slots.load(tensors, for: parameters) }
}
