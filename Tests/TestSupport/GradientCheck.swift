// Finite-difference gradient checks. The layers compute in Float32; the probe loss
// L = Σ rᵢ·yᵢ (fixed random r) is accumulated in Double and differentiated by centred
// differences, so the check measures the layer's own rounding, not the probe's.
// Analytic gradients come from backward(r): the input gradient and every parameter gradient.
import Neural
import Tensors
import XCTest

public struct GradientCheck {
    public var epsilon: Float = 1e-3
    public var tolerance: Double = 2e-2
    /// At most this many coordinates per tensor are checked (spread evenly).
    public var samples = 40

    public init() {}

    /// Probe loss Σ r·y in Double.
    public static func probe(_ y: Tensor, _ r: Tensor) -> Double {
        y.withUnsafeBufferPointer { a in r.withUnsafeBufferPointer { b in zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } } }
    }

    /// Compares analytic and numeric gradients; `forward` must be deterministic.
    public func check(_ name: String, input: Tensor, parameters: [Parameter], forward: (Tensor) -> Tensor,
               backward: (Tensor) -> Tensor, checkInput: Bool = true, generator: inout SeededGenerator,
               file: StaticString = #filePath, line: UInt = #line) {
        let y0 = forward(input).copy()
        let r = Tensor.uniform(shape: y0.shape, low: -1, high: 1, using: &generator)
        parameters.zeroGradients()
        let dx = backward(r).copy()
        func loss(_ x: Tensor) -> Double { GradientCheck.probe(forward(x), r) }

        let center = loss(input)
        var checked = 0, kinks = 0
        // A coordinate whose one-sided slopes disagree straddles a kink (ReLU, max) within ±ε:
        // finite differences say nothing there, so it is counted and skipped, not compared.
        func compare(_ label: String, analytic: Float, up: Double, down: Double) {
            let e = Double(epsilon)
            let right = (up - center) / e, left = (center - down) / e
            let numeric = (up - down) / (2 * e)
            let scale = max(1, abs(numeric), Double(abs(analytic)))
            checked += 1
            if abs(right - left) / scale > tolerance { kinks += 1; return }
            XCTAssertLessThan(abs(Double(analytic) - numeric) / scale, tolerance,
                              "\(name) \(label): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
        }

        if checkInput {
            XCTAssertEqual(dx.shape, input.shape, "\(name): input gradient shape", file: file, line: line)
            for i in indices(input.count) {
                var plus = input, minus = input
                plus[flat: i] += epsilon
                minus[flat: i] -= epsilon
                compare("d/dinput[\(i)]", analytic: dx[flat: i], up: loss(plus), down: loss(minus))
            }
        }
        for p in parameters where p.isTrainable {
            let analytic = p.gradient.copy()
            for i in indices(p.value.count) {
                let original = p.value[flat: i]
                p.value.scratchPointer[i] = original + epsilon
                let up = loss(input)
                p.value.scratchPointer[i] = original - epsilon
                let down = loss(input)
                p.value.scratchPointer[i] = original
                compare("d/d\(p.name)[\(i)]", analytic: analytic[flat: i], up: up, down: down)
            }
        }
        XCTAssertLessThanOrEqual(kinks * 5, checked, "\(name): \(kinks) of \(checked) coordinates sit on kinks; the check proves little", file: file, line: line)
    }

    func indices(_ count: Int) -> [Int] {
        count <= samples ? Array(0..<count) : (0..<samples).map { $0 * count / samples }
    }

    /// Checks a layer through its own forward/backward.
    public func check(_ layer: any Layer, input: Tensor, checkInput: Bool = true, generator: inout SeededGenerator,
               file: StaticString = #filePath, line: UInt = #line) {
        check(String(describing: type(of: layer)), input: input, parameters: layer.parameters,
              forward: { layer.forward($0) }, backward: { layer.backward($0) }, checkInput: checkInput,
              generator: &generator, file: file, line: line)
    }
}

/// Uniform values kept at least `margin` away from zero, so kinks (ReLU, max) are not straddled.
public func awayFromZero(shape: [Int], margin: Float = 0.05, generator: inout SeededGenerator) -> Tensor {
    Tensor.uniform(shape: shape, low: -1, high: 1, using: &generator).map { $0 >= 0 ? $0 + margin : $0 - margin }
}
