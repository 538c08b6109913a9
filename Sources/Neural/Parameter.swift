// A named tensor of a network: trainable weights with their accumulated gradient, or a
// non-trainable buffer (BatchNorm's running statistics). Names are dotted paths
// (`trunk.block3.conv1.weight`) fixed at construction, so optimizers, checkpoints and error
// messages all speak of the same list.
import Tensors

public final class Parameter {
    public let name: String
    public var value: Tensor
    /// Accumulated by `backward`; zeroed by `zeroGradients()` (empty for buffers).
    public var gradient: Tensor
    /// False for buffers that are saved and loaded but never optimised.
    public let isTrainable: Bool

    public init(name: String, value: Tensor, isTrainable: Bool = true) {
        self.name = name
        self.value = value
        self.isTrainable = isTrainable
        gradient = isTrainable ? Tensor(zeros: value.shape) : Tensor(zeros: [0])
    }
}

extension Array where Element == Parameter {
    public func zeroGradients() {
        for p in self where p.isTrainable { Kernels.fill(p.gradient.scratchPointer, p.gradient.count, 0) }
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
