// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) in PyTorch's form:
//   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
//   θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
// Adam adds weight decay to the gradient (L2); AdamW decays the weights directly,
// θ ← θ·(1 − lr·λ), before the update.
import Foundation
import Tensors

public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    /// True for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool
    public var stepCount = 0
    private var slots: OptimizerSlots
    private let pieces: UpdatePieces

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters.trainable
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay; self.decoupledWeightDecay = decoupledWeightDecay
        slots = OptimizerSlots(kind: decoupledWeightDecay ? "adamw" : "adam", names: ["m", "v"], parameters: self.parameters)
        pieces = UpdatePieces(self.parameters)
    }

    /// AdamW with PyTorch's default decay 0.01.
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 0.01,
                             beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
             epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = Float(1 - pow(Double(beta1), t)), correction2 = Float(1 - pow(Double(beta2), t))
        let stepSize = learningRate / correction1, rootCorrection2 = correction2.lanesSquareRoot()
        let b1 = beta1, b2 = beta2, eps = epsilon
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        let decay = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        pieces.forEach { i, range in
            let p = parameters[i], first = range.lowerBound
            let w = p.value.scratchPointer + first, g = p.gradient.pointer + first
            let m = slots.values[0][i].scratchPointer + first, v = slots.values[1][i].scratchPointer + first
            @inline(__always) func update<L: FloatLanes>(_ j: Int, _: L.Type) {
                let d = L.load(g + j) + L(repeating: l2) * L.load(w + j)
                let mj = L(repeating: b1) * L.load(m + j) + L(repeating: 1 - b1) * d
                let vj = L(repeating: b2) * L.load(v + j) + L(repeating: 1 - b2) * d * d
                mj.store(m + j)
                vj.store(v + j)
                let denominator = vj.lanesSquareRoot() / L(repeating: rootCorrection2) + L(repeating: eps)
                (L.load(w + j) * L(repeating: decay) - L(repeating: stepSize) * mj / denominator).store(w + j)
            }
            Lanes.forEach(range.count, update, update)
        }
    }

    public var stateTensors: [(name: String, tensor: Tensor)] { slots.tensors(for: parameters) }
    public func loadState(_ tensors: [String: Tensor]) throws { try slots.load(tensors, for: parameters) }
}
