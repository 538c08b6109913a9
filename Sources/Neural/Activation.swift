// Elementwise activations as one generic layer over a small function type, so each activation
// is a few lines and the loops are specialised (no closure call per element).
// Derivatives are written in terms of the input x and the output y, whichever is cheaper.
import Foundation
import Tensors

public protocol ActivationFunction {
    func value(_ x: Float) -> Float
    func derivative(x: Float, y: Float) -> Float
}

public final class Activation<F: ActivationFunction>: Layer {
    public let function: F
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    private var input = Tensor.empty
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty

    public init(_ function: F) { self.function = function }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        Tensor.prepare(&output, shape: x.shape)
        let src = x.pointer, dst = output.scratchPointer
        for i in 0..<x.count { dst[i] = function.value(src[i]) }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.shape == output.shape, "activation: gradient \(dy.shape) does not match output \(output.shape)")
        Tensor.prepare(&inputGradient, shape: dy.shape)
        let x = input.pointer, y = output.pointer, g = dy.pointer, dx = inputGradient.scratchPointer
        for i in 0..<dy.count { dx[i] = g[i] * function.derivative(x: x[i], y: y[i]) }
        return inputGradient
    }
}

public struct ReLUFunction: ActivationFunction {
    public init() {}
    @inline(__always) public func value(_ x: Float) -> Float { max(x, 0) }
    @inline(__always) public func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : 0 }
}

public struct LeakyReLUFunction: ActivationFunction {
    public let slope: Float
    public init(slope: Float = 0.01) { self.slope = slope }
    @inline(__always) public func value(_ x: Float) -> Float { x > 0 ? x : slope * x }
    @inline(__always) public func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : slope }
}

public struct TanhFunction: ActivationFunction {
    public init() {}
    @inline(__always) public func value(_ x: Float) -> Float { tanh(x) }
    @inline(__always) public func derivative(x: Float, y: Float) -> Float { 1 - y * y }
}

public struct SigmoidFunction: ActivationFunction {
    public init() {}
    @inline(__always) public func value(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    @inline(__always) public func derivative(x: Float, y: Float) -> Float { y * (1 - y) }
}

/// SiLU (swish): x · σ(x).
public struct SiLUFunction: ActivationFunction {
    public init() {}
    @inline(__always) public func value(_ x: Float) -> Float { x / (1 + exp(-x)) }
    @inline(__always) public func derivative(x: Float, y: Float) -> Float {
        let s = 1 / (1 + exp(-x))
        return s * (1 + x * (1 - s))
    }
}

public typealias ReLU = Activation<ReLUFunction>
public typealias LeakyReLU = Activation<LeakyReLUFunction>
public typealias Tanh = Activation<TanhFunction>
public typealias Sigmoid = Activation<SigmoidFunction>
public typealias SiLU = Activation<SiLUFunction>

extension Activation where F == ReLUFunction { public convenience init() { self.init(ReLUFunction()) } }
extension Activation where F == TanhFunction { public convenience init() { self.init(TanhFunction()) } }
extension Activation where F == SigmoidFunction { public convenience init() { self.init(SigmoidFunction()) } }
extension Activation where F == SiLUFunction { public convenience init() { self.init(SiLUFunction()) } }
extension Activation where F == LeakyReLUFunction {
    public convenience init(slope: Float = 0.01) { self.init(LeakyReLUFunction(slope: slope)) }
}
