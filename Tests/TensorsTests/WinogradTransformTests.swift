// The F(2×2, 3×3) input transform three ways: the AVX-512 per-plane kernel
// (CSIMD/WinogradF2x3.c) and the channel-interleaved one training uses
// (WinogradF2x3+Interleaved.swift) against the scalar tile-at-a-time code of
// Tensors/WinogradF2x3.swift: the same bits on every plane size, odd and even, small and wider
// than one vector of tiles, with signed zeros and negative values in the input.
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

    /// V[ξ][tile][channel] from the interleaved transform holds exactly the per-plane V[ξ][tile]
    /// of each channel, for partial and full groups of sixteen channels; nothing is written
    /// outside the group's lanes.
    func testInterleavedInputTransformIsThePlaneTransform() {
        var g = SeededGenerator(seed: 23)
        defer { WinogradF2x3.usesVectorTransforms = BLAS.hasSmallKernels }
        WinogradF2x3.usesVectorTransforms = false
        for ((h, w), channels) in zip(sizes, [1, 5, 16, 17, 33, 3, 16, 20, 2]) {
            let f = WinogradF2x3(height: h, width: w), tiles = f.tilesPerImage
            let planes = values(channels * h * w, &g)
            // Per plane (scalar), V[ξ][c][tile].
            var expected = [Float](repeating: 0, count: 16 * channels * tiles)
            var padded = [Float](repeating: 0, count: f.paddedArea)
            for c in 0..<channels {
                planes.withUnsafeBufferPointer { p in
                    padded.withUnsafeMutableBufferPointer { f.pad(p.baseAddress! + c * h * w, into: $0.baseAddress!) }
                }
                padded.withUnsafeBufferPointer { p in
                    expected.withUnsafeMutableBufferPointer {
                        f.transformInput(p.baseAddress!, $0.baseAddress! + c * tiles, stride: channels * tiles)
                    }
                }
            }
            // Interleaved, V[ξ][tile][c], groups of sixteen; 7s mark floats never written.
            var v = [Float](repeating: 7, count: 16 * tiles * channels)
            var lanes = [Float](repeating: 0, count: f.interleavedPaddedArea)
            for c0 in stride(from: 0, to: channels, by: 16) {
                planes.withUnsafeBufferPointer { p in
                    lanes.withUnsafeMutableBufferPointer { l in
                        v.withUnsafeMutableBufferPointer {
                            f.transformInputInterleaved(p.baseAddress! + c0 * h * w, count: min(16, channels - c0), padded: l.baseAddress!,
                                                        $0.baseAddress! + c0, tileStride: channels, xiStride: tiles * channels)
                        }
                    }
                }
            }
            for xi in 0..<16 {
                for t in 0..<tiles {
                    for c in 0..<channels {
                        let got = v[(xi * tiles + t) * channels + c], want = expected[(xi * channels + c) * tiles + t]
                        if got.bitPattern != want.bitPattern {
                            return XCTFail("\(h)×\(w), \(channels) channels: V[\(xi)][\(t)][\(c)] = \(got), per plane \(want)")
                        }
                    }
                }
            }
        }
    }
}
