// The 16-lane exp, sigmoid and tanh against libm over their whole range, extremes and a tail
// shorter than 16 included.
import Foundation
@testable import Neural
import XCTest

final class VectorMathTests: XCTestCase {
    func testAgreesWithLibm() {
        var x: [Float] = stride(from: -30, through: 30, by: 0.0137).map { Float($0) }
        x += [-1000, -88, -87.5, 0, 1e-8, -1e-8, 87.9, 1000]   // 4,388 values: a tail of 4
        var y = [Float](repeating: 0, count: x.count)
        VectorMath.sigmoid(x.count, x, &y)
        for (a, b) in zip(x, y) { XCTAssertEqual(b, 1 / (1 + Foundation.exp(-a)), accuracy: 2e-7, "sigmoid(\(a))") }
        VectorMath.tanh(x.count, x, &y)
        for (a, b) in zip(x, y) { XCTAssertEqual(b, Foundation.tanh(a), accuracy: 3e-7, "tanh(\(a))") }
        VectorMath.map(x.count, x, &y, VectorMath.exp)
        for (a, b) in zip(x, y) where abs(a) < 80 {
            let expected = Foundation.exp(a)
            XCTAssertEqual(b, expected, accuracy: 3 * expected.ulp, "exp(\(a))")
        }
        XCTAssertTrue(y.allSatisfy(\.isFinite), "clamped, never infinite")
    }
}
