// The channel-interleaved F(2×2, 3×3) input transform (WinogradF2x3+Interleaved.swift) against
// V = Bᵀ d B computed here as plain matrix products for every tile of every channel: every
// plane size, odd and even, smaller and larger than one 8-pixel transpose, channel counts that
// fill sixteen-lane groups fully and partly, signed zeros and negative values in the input.
import Tensors
import XCTest

final class WinogradTransformTests: XCTestCase {
    let sizes = [(1, 1), (2, 3), (5, 4), (7, 9), (9, 9), (13, 8), (19, 19), (33, 2), (40, 37)]
    let bt: [[Float]] = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]

    func values(_ count: Int, _ g: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in g.nextUniform() < 0.2 ? -0.0 : g.uniform(-2, 2) }
    }

    /// V[ξ][tile][channel] equals Bᵀ d B of each channel's tile; nothing is written outside the
    /// group's lanes.
    func testInterleavedInputTransformIsBtDB() {
        var g = SeededGenerator(seed: 23)
        for ((h, w), channels) in zip(sizes, [1, 5, 16, 17, 33, 3, 16, 20, 2]) {
            let f = WinogradF2x3(height: h, width: w), tiles = f.tilesPerImage
            let planes = values(channels * h * w, &g)
            // 7s mark floats never written.
            var v = [Float](repeating: 7, count: 16 * tiles * channels + 1)
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
            XCTAssertEqual(v.last, 7, "\(h)×\(w): nothing written past V")
            for c in 0..<channels {
                // The image with its zero border (one pixel top and left, whole tiles).
                func pixel(_ y: Int, _ x: Int) -> Float {
                    (1...h).contains(y) && (1...w).contains(x) ? planes[c * h * w + (y - 1) * w + (x - 1)] : 0
                }
                for t in 0..<tiles {
                    let y0 = 2 * (t / f.tilesX), x0 = 2 * (t % f.tilesX)
                    for i in 0..<4 {
                        for j in 0..<4 {
                            var want: Float = 0
                            for r in 0..<4 { for s in 0..<4 { want += bt[i][r] * pixel(y0 + r, x0 + s) * bt[j][s] } }
                            let got = v[((4 * i + j) * tiles + t) * channels + c]
                            if abs(got - want) > 1e-6 * (1 + abs(want)) {
                                return XCTFail("\(h)×\(w), \(channels) channels: V[\(4 * i + j)][\(t)][\(c)] = \(got), Bᵀ d B gives \(want)")
                            }
                        }
                    }
                }
            }
        }
    }
}
