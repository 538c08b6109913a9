// A named tensor of a network: trainable weights with their accumulated gradient, or a
// non-trainable buffer (BatchNorm's running statistics). Names are dotted paths
// (`trunk.block3.conv1.weight`) fixed at construction, so optimizers, checkpoints and error
// messages all speak of the same list.
import Tensors

public final class Parameter {
    public let name: String
    public var value: Tensor
    /// Accumulated by `backward`; cleared by `zeroGradients()` (empty for buffers). A cleared
    /// gradient reads as zeros: they are written when it is first read, unless a layer's
    /// product has overwritten it first (`gradientForProduct`).
    public var gradient: Tensor {
        get {
            if gradientIsCleared {
                Kernels.fill(storedGradient.scratchPointer, storedGradient.count, 0)
                gradientIsCleared = false
            }
            return storedGradient
        }
        set { storedGradient = newValue; gradientIsCleared = false }
    }
    private var storedGradient: Tensor
    private var gradientIsCleared = false
    /// False for buffers that are saved and loaded but never optimised.
    public let isTrainable: Bool

    public init(name: String, value: Tensor, isTrainable: Bool = true) {
        self.name = name
        self.value = value
        self.isTrainable = isTrainable
        storedGradient = isTrainable ? Tensor(zeros: value.shape) : Tensor(zeros: [0])
    }

    /// Marks the gradient zero without touching its storage (as PyTorch's `set_to_none`): a
    /// dense layer's weight gradient is then written by its product instead of being zeroed
    /// in one pass and read back as zeros in the next (dqn-step 1.015× in nine paired runs).
    public func clearGradient() { gradientIsCleared = true }

    /// For a layer adding its whole gradient with one matrix product: the storage, and the
    /// product's beta — 0 while the gradient is cleared (the product writes it), 1 when it
    /// already holds a sum to add to.
    public func gradientForProduct() -> (pointer: UnsafeMutablePointer<Float>, beta: Float) {
        defer { gradientIsCleared = false }
        return (storedGradient.scratchPointer, gradientIsCleared ? 0 : 1)
    }
}

extension Array where Element == Parameter {
    public func zeroGradients() {
        for p in self where p.isTrainable { p.clearGradient() }
    }

    public var trainable: [Parameter] { filter(\.isTrainable) }

    /// Number of trainable scalars.
    public var scalarCount: Int { trainable.reduce(0) { $0 + $1.value.count } }

    /// Copies values from `source` (same names and shapes, e.g. a DQN target network).
    public func copyValues(from source: [Parameter]) {
        precondition(count == source.count, "copyValues: \(count) parameters vs \(source.count)")
        for (dst, src) in zip(self, source) {
            precondition(dst.value.shape == src.value.shape,
                         "copyValues: \(dst.name) has shape \(dst.value.shape), source \(src.name) has \(src.value.shape)")
            dst.value.scratchPointer.update(from: src.value.pointer, count: src.value.count)
        }
    }
}

/// Name of a child inside a parent (`"trunk" + "conv1"` → `"trunk.conv1"`).
public func joinName(_ prefix: String, _ name: String) -> String {
    prefix.isEmpty ? name : "\(prefix).\(name)"
}
