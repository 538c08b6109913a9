// The AVX-512 F(2×2, 3×3) transforms (CSIMD/WinogradF2x3.c) against the scalar tile-at-a-time
// code of Tensors/WinogradF2x3.swift: the same bits on every plane size, odd and even, small
// and wider than one vector of tiles, with signed zeros and negative values in the input.
import Tensors
import XCTest

final class WinogradTransformTests: XCTestCase {
    let sizes = [(1, 1), (2, 3), (5, 4), (7, 9), (9, 9), (13, 8), (19, 19), (33, 2), (40, 37)]

    /// Runs `body` with the scalar transforms, then with the vector ones; both results.
    func bothPaths(_ body: () -> [Float]) throws -> (scalar: [Float], vector: [Float]) {
        try XCTSkipUnless(BLAS.hasSmallKernels, "this CPU has no AVX-512: only the scalar transforms run")
        defer { WinogradF2x3.usesVectorTransforms = BLAS.hasSmallKernels }
        WinogradF2x3.usesVectorTransforms = false
        let scalar = body()
        WinogradF2x3.usesVectorTransforms = true
        return (scalar, body())
    }

    func values(_ count: Int, _ g: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in g.nextUniform() < 0.2 ? -0.0 : g.uniform(-2, 2) }
    }

    func testInputTransformIsTheSameBits() throws {
        var g = SeededGenerator(seed: 21)
        for (h, w) in sizes {
            let f = WinogradF2x3(height: h, width: w), tiles = f.tilesPerImage, stride = tiles + 3
            let plane = values(h * w, &g)
            var padded = [Float](repeating: 0, count: f.paddedArea)
            let result = try bothPaths {
                // Guard floats around every ξ block show a store past the tiles.
                var v = [Float](repeating: 7, count: 16 * stride)
                plane.withUnsafeBufferPointer { p in
                    padded.withUnsafeMutableBufferPointer { f.pad(p.baseAddress!, into: $0.baseAddress!) }
                }
                padded.withUnsafeBufferPointer { p in
                    v.withUnsafeMutableBufferPointer { f.transformInput(p.baseAddress!, $0.baseAddress!, stride: stride) }
                }
                return v
            }
            XCTAssertEqual(result.vector.map(\.bitPattern), result.scalar.map(\.bitPattern), "\(h)×\(w)")
            XCTAssertEqual(result.vector[tiles], 7, "\(h)×\(w): nothing written past the tiles")
        }
    }

    func testOutputGradientTransformIsTheSameBits() throws {
        var g = SeededGenerator(seed: 22)
        for (h, w) in sizes {
            let f = WinogradF2x3(height: h, width: w), tiles = f.tilesPerImage, stride = tiles + 3
            let plane = values(h * w, &g)
            let result = try bothPaths {
                var dm = [Float](repeating: 7, count: 16 * stride)
                plane.withUnsafeBufferPointer { p in
                    dm.withUnsafeMutableBufferPointer { f.transformOutputGradient(p.baseAddress!, $0.baseAddress!, stride: stride) }
                }
                return dm
            }
            XCTAssertEqual(result.vector.map(\.bitPattern), result.scalar.map(\.bitPattern), "\(h)×\(w)")
            XCTAssertEqual(result.vector[tiles], 7, "\(h)×\(w): nothing written past the tiles")
        }
    }
}
