// A chain of layers: forward left to right, backward right to left.
import Tensors

public final class Sequential: Layer {
    public private(set) var layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var isTraining: Bool {
        get { layers.first?.isTraining ?? true }
        set { for layer in layers { layer.isTraining = newValue } }
    }

    public func forward(_ x: Tensor) -> Tensor {
        var h = x
        for layer in layers { h = layer.forward(h) }
        return h
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var g = dy
        for layer in layers.reversed() { g = layer.backward(g) }
        return g
    }
}
