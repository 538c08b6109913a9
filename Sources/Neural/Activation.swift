// Elementwise activations. Each is a small function type; the layer switches on its kind once
// per call and runs a loop specialised for that function, so the per-element work is inlined
// (a generic class called through `any Layer` would otherwise call a witness per element).
// Derivatives are written in terms of the input x and the output y, whichever is cheaper.
import Foundation
import Tensors

public protocol ActivationFunction {
    func value(_ x: Float) -> Float
    func derivative(x: Float, y: Float) -> Float
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

public final class Activation: Layer {
    public enum Kind: Sendable, Equatable {
        case relu, leakyReLU(slope: Float), tanh, sigmoid, silu
    }

    public let kind: Kind
    public var isTraining = true
    public var parameters: [Parameter] { [] }
    private var input = Tensor.empty
    private var output = Tensor.empty
    private var inputGradient = Tensor.empty

    public init(_ kind: Kind) { self.kind = kind }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        Tensor.prepare(&output, shape: x.shape)
        let src = x.pointer, dst = output.scratchPointer, n = x.count
        @inline(__always) func run<F: ActivationFunction>(_ f: F) { for i in 0..<n { dst[i] = f.value(src[i]) } }
        switch kind {
        case .relu: run(ReLUFunction())
        case .leakyReLU(let slope): run(LeakyReLUFunction(slope: slope))
        case .tanh: run(TanhFunction())
        case .sigmoid: run(SigmoidFunction())
        case .silu: run(SiLUFunction())
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.shape == output.shape, "activation: gradient \(dy.shape) does not match output \(output.shape)")
        Tensor.prepare(&inputGradient, shape: dy.shape)
        let x = input.pointer, y = output.pointer, g = dy.pointer, dx = inputGradient.scratchPointer, n = dy.count
        @inline(__always) func run<F: ActivationFunction>(_ f: F) {
            for i in 0..<n { dx[i] = g[i] * f.derivative(x: x[i], y: y[i]) }
        }
        switch kind {
        case .relu: for i in 0..<n { dx[i] = y[i] > 0 ? g[i] : 0 }
        case .leakyReLU(let slope): run(LeakyReLUFunction(slope: slope))
        case .tanh: run(TanhFunction())
        case .sigmoid: run(SigmoidFunction())
        case .silu: run(SiLUFunction())
        }
        return inputGradient
    }
}

/// Factory names matching the usual layer names: `ReLU()`, `Tanh()`, ...
public func ReLU() -> Activation { Activation(.relu) }
public func LeakyReLU(slope: Float = 0.01) -> Activation { Activation(.leakyReLU(slope: slope)) }
public func Tanh() -> Activation { Activation(.tanh) }
public func Sigmoid() -> Activation { Activation(.sigmoid) }
public func SiLU() -> Activation { Activation(.silu) }
