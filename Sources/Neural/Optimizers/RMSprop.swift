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
    private let pieces: UpdatePieces

    public init(parameters: [Parameter], learningRate: Float, alpha: Float = 0.99, epsilon: Float = 1e-8,
                centered: Bool = false, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters.trainable
        self.learningRate = learningRate; self.alpha = alpha; self.epsilon = epsilon
        self.centered = centered; self.momentum = momentum; self.weightDecay = weightDecay
        var names = ["square_avg"]
        if centered { names.append("grad_avg") }
        if momentum > 0 { names.append("momentum") }
        slots = OptimizerSlots(kind: "rmsprop", names: names, parameters: self.parameters)
        pieces = UpdatePieces(self.parameters)
    }

    public func step() {
        let lr = learningRate, a = alpha, b = 1 - alpha, eps = epsilon, mu = momentum, wd = weightDecay
        let gIndex = centered ? 1 : -1, mIndex = momentum > 0 ? (centered ? 2 : 1) : -1
        pieces.forEach { i, range in
            let p = parameters[i], first = range.lowerBound, n = range.count
            let w = p.value.scratchPointer + first, g = p.gradient.pointer + first
            let v = slots.values[0][i].scratchPointer + first
            /// The decayed gradient g + wd·w; without weight decay g itself (w is not read twice).
            @inline(__always) func decayed<L: FloatLanes>(_ j: Int, _: L.Type) -> L {
                wd == 0 ? L.load(g + j) : L.load(g + j) + L(repeating: wd) * L.load(w + j)
            }
            // One branch-free loop per variant, so each vectorises.
            switch (gIndex >= 0, mIndex >= 0) {
            case (true, false):
                let gbar = slots.values[gIndex][i].scratchPointer + first
                @inline(__always) func update<L: FloatLanes>(_ j: Int, _: L.Type) {
                    let d = decayed(j, L.self)
                    let vj = L(repeating: a) * L.load(v + j) + L(repeating: b) * d * d
                    let gj = L(repeating: a) * L.load(gbar + j) + L(repeating: b) * d
                    vj.store(v + j)
                    gj.store(gbar + j)
                    let step = L(repeating: lr) * d / ((vj - gj * gj).lanesSquareRoot() + L(repeating: eps))
                    (L.load(w + j) - step).store(w + j)
                }
                Lanes.forEach(n, update, update)
            case (false, false):
                @inline(__always) func update<L: FloatLanes>(_ j: Int, _: L.Type) {
                    let d = decayed(j, L.self)
                    let vj = L(repeating: a) * L.load(v + j) + L(repeating: b) * d * d
                    vj.store(v + j)
                    (L.load(w + j) - L(repeating: lr) * d / (vj.lanesSquareRoot() + L(repeating: eps))).store(w + j)
                }
                Lanes.forEach(n, update, update)
            default:
                let gbar = gIndex >= 0 ? slots.values[gIndex][i].scratchPointer + first : nil
                let buf = slots.values[mIndex][i].scratchPointer + first
                for j in 0..<n {
                    let d = g[j] + wd * w[j]
                    v[j] = a * v[j] + b * d * d
                    var square = v[j]
                    if let gbar {
                        gbar[j] = a * gbar[j] + b * d
                        square -= gbar[j] * gbar[j]
                    }
                    buf[j] = mu * buf[j] + d / (square.lanesSquareRoot() + eps)
                    w[j] -= lr * buf[j]
                }
            }
        }
        stepCount += 1
    }

    public var stateTensors: [(name: String, tensor: Tensor)] { slots.tensors(for: parameters) }
    public func loadState(_ tensors: [String: Tensor]) throws { try slots.load(tensors, for: parameters) }
}
