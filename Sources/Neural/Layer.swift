// The Layer contract (llm.c style explicit forward/backward).
//
// - `forward(x)` computes the output and keeps whatever `backward` needs (inputs, masks,
//   normalised activations). In training mode it uses batch statistics / dropout masks.
// - `backward(dy)` takes the gradient of the loss with respect to the last forward's output,
//   *accumulates* parameter gradients (call `zeroGradients()` between steps) and returns the
//   gradient with respect to the input.
// - Returned tensors are the layer's own buffers (no allocation once shapes are steady): they
//   hold their values until the layer's next call. `copy()` one to keep it longer.
// - Images are NCHW; dense inputs are [batch, features].
import Tensors

public protocol Layer: AnyObject {
    func forward(_ input: Tensor) -> Tensor
    func backward(_ outputGradient: Tensor) -> Tensor
    /// Weights and buffers in a stable order, with their full dotted names.
    var parameters: [Parameter] { get }
    /// Training mode (batch statistics, dropout) or evaluation mode.
    var isTraining: Bool { get set }
}

extension Layer {
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input) }
}

/// Shape checks shared by layers: one sentence that names the layer and both shapes.
@inline(__always)
func expectShape(_ condition: Bool, _ layer: String, _ message: @autoclosure () -> String) {
    precondition(condition, "\(layer): \(message())")
}
