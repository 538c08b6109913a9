// Backward transforms of Winograd F(3×3, 3×3), for training on boards it tiles well (9×9: 225
// products per channel pair and image against F(2×2)'s 400): the exact gradient of the forward
// algorithm, as F(2×2)'s (WinogradF2x3+Backward.swift). With Y = Aᵀ M A, M[ξ] = V[ξ] · U[ξ],
// V = Bᵀ d B and U = G g Gᵀ (matrices in WinogradF3x3.swift):
//   dM = A dY Aᵀ,   dU[ξ] = dM[ξ]ᵀ · V[ξ] ([out][in]),   dV[ξ] = dM[ξ] · U[ξ]ᵀ,
//   dd = B dV Bᵀ (tiles overlap: accumulated),   dg = Gᵀ dU G.
// dM and dd are computed sixteen channels at a time, laid out as the forward's V and M.

extension WinogradF3x3 {
    /// dM[ξ][tile][o] = (A dY Aᵀ)[ξ] for output-gradient planes o0..<o0+count of one sample;
    /// `staging` is `interleavedTileArea` floats whose pixels past the image (the last columns
    /// and rows of sides that are not multiples of three) are zero and are never written here.
    @inlinable
    public func transformOutputGradientInterleaved(_ planes: UnsafePointer<Float>, count: Int, staging: UnsafeMutablePointer<Float>,
                                                   _ dm: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int) {
        typealias L = WinogradLanes
        let lanes = ChannelInterleaving.lanes, outWidth = 3 &* tilesX, rowStride = outWidth &* lanes
        ChannelInterleaving.interleave(planes, count: count, height: height, width: width, into: staging,
                                       rowPixels: outWidth, top: 0, left: 0)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> L { ChannelInterleaving.load(p, count: lanes) }
        let two = L(repeating: 2), four = L(repeating: 4)
        forEachTile(rowPixels: outWidth) { tile, corner in
            let p = UnsafePointer(staging) + corner
            // A dY: five rows of three (A's rows: [1 0 0], [1 1 1], [1 −1 1], [1 2 4], [0 0 1]).
            @inline(__always) func column(_ j: Int) -> (L, L, L, L, L) {
                let y0 = load(p + j &* lanes), y1 = load(p + (rowStride &+ j &* lanes)), y2 = load(p + (2 &* rowStride &+ j &* lanes))
                let s02 = y0 + y2
                return (y0, s02 + y1, s02 - y1, y0 + two * y1 + four * y2, y2)
            }
            let c0 = column(0), c1 = column(1), c2 = column(2)
            // (A dY) Aᵀ: each row's three values to five.
            let base = dm + tile &* tileStride
            @inline(__always) func row(_ i: Int, _ a: L, _ b: L, _ c: L) {
                let o = 5 &* i, ac = a + c
                ChannelInterleaving.store(a, base + o &* xiStride, count: count)
                ChannelInterleaving.store(ac + b, base + (o &+ 1) &* xiStride, count: count)
                ChannelInterleaving.store(ac - b, base + (o &+ 2) &* xiStride, count: count)
                ChannelInterleaving.store(a + two * b + four * c, base + (o &+ 3) &* xiStride, count: count)
                ChannelInterleaving.store(c, base + (o &+ 4) &* xiStride, count: count)
            }
            row(0, c0.0, c1.0, c2.0)
            row(1, c0.1, c1.1, c2.1)
            row(2, c0.2, c1.2, c2.2)
            row(3, c0.3, c1.3, c2.3)
            row(4, c0.4, c1.4, c2.4)
        }
    }

    /// Input-gradient planes c0..<c0+count of one sample (written, not added) from dV
    /// (`dv` at dV[0][first tile][c0]): B dV Bᵀ of every tile summed where tiles overlap, in
    /// `padded` (`interleavedPaddedArea` floats of scratch, cleared here), then its interior.
    @inlinable
    public func inputGradientInterleaved(_ dv: UnsafePointer<Float>, count: Int, tileStride: Int, xiStride: Int,
                                         padded: UnsafeMutablePointer<Float>, _ planes: UnsafeMutablePointer<Float>) {
        typealias L = WinogradLanes
        let pw = paddedWidth, lanes = ChannelInterleaving.lanes
        padded.update(repeating: 0, count: interleavedPaddedArea)
        let two = L(repeating: 2), three = L(repeating: 3)
        // B v for a 5-vector (B = (Bᵀ)ᵀ): [2v0, −v0 + 2v1 − 2v2 − v3 + 2v4, −2v0 + v1 + 3v2 − v4,
        // v0 − v1 − v2 + v3 − 2v4, v4].
        @inline(__always) func b(_ v0: L, _ v1: L, _ v2: L, _ v3: L, _ v4: L) -> (L, L, L, L, L) {
            (two * v0, two * (v1 - v2 + v4) - v0 - v3, v1 + three * v2 - two * v0 - v4, v0 - v1 - v2 + v3 - two * v4, v4)
        }
        forEachTile(rowPixels: pw) { tile, offset in
            let src = dv + tile &* tileStride
            @inline(__always) func at(_ xi: Int) -> L { ChannelInterleaving.load(src + xi &* xiStride, count: count) }
            // B dV: column by column.
            @inline(__always) func column(_ j: Int) -> (L, L, L, L, L) { b(at(j), at(5 &+ j), at(10 &+ j), at(15 &+ j), at(20 &+ j)) }
            let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3), c4 = column(4)
            let corner = padded + offset
            // (B dV) Bᵀ: each row's columns the same way, added into the overlapping tiles.
            @inline(__always) func add(_ p: UnsafeMutablePointer<Float>, _ value: L) { ChannelInterleaving.add(value, p) }
            @inline(__always) func row(_ r: Int, _ x0: L, _ x1: L, _ x2: L, _ x3: L, _ x4: L) {
                let p = corner + r &* pw &* lanes
                let y = b(x0, x1, x2, x3, x4)
                add(p, y.0)
                add(p + lanes, y.1)
                add(p + 2 &* lanes, y.2)
                add(p + 3 &* lanes, y.3)
                add(p + 4 &* lanes, y.4)
            }
            row(0, c0.0, c1.0, c2.0, c3.0, c4.0)
            row(1, c0.1, c1.1, c2.1, c3.1, c4.1)
            row(2, c0.2, c1.2, c2.2, c3.2, c4.2)
            row(3, c0.3, c1.3, c2.3, c3.3, c4.3)
            row(4, c0.4, c1.4, c2.4, c3.4, c4.4)
        }
        ChannelInterleaving.deinterleave(padded, rowPixels: pw, top: 1, left: 1, count: count,
                                         height: height, width: width, into: planes)
    }

    /// dW[o][i][3][3] += (Gᵀ dU G) for dU [25][out][in].
    @inlinable
    public static func accumulateWeightGradient(_ du: UnsafePointer<Float>, out: Int, in inputs: Int,
                                                _ dw: UnsafeMutablePointer<Float>) {
        let plane = out &* inputs
        let half: Float = 0.5, sixth: Float = 1.0 / 6, third: Float = 1.0 / 3, twoThirds: Float = 2.0 / 3
        // Gᵀ u for a 5-vector (G's columns): [½u0 + ½u1 + ⅙u2 + ⅙u3, ½u1 − ⅙u2 + ⅓u3, ½u1 + ⅙u2 + ⅔u3 + u4].
        @inline(__always) func gt(_ u0: Float, _ u1: Float, _ u2: Float, _ u3: Float, _ u4: Float) -> (Float, Float, Float) {
            (half * (u0 + u1) + sixth * (u2 + u3), half * u1 - sixth * u2 + third * u3, half * u1 + sixth * u2 + twoThirds * u3 + u4)
        }
        for at in 0..<plane {
            @inline(__always) func u(_ r: Int, _ c: Int) -> Float { du[(r &* 5 &+ c) &* plane &+ at] }
            // Gᵀ dU: three rows from five (per column c).
            @inline(__always) func column(_ c: Int) -> (Float, Float, Float) { gt(u(0, c), u(1, c), u(2, c), u(3, c), u(4, c)) }
            let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3), c4 = column(4)
            let k = dw + (at &* 9)
            // (Gᵀ dU) G: three columns from five, for each of the three rows.
            @inline(__always) func emit(_ row: Int, _ a: Float, _ b: Float, _ c: Float, _ d: Float, _ e: Float) {
                let w = gt(a, b, c, d, e)
                k[row &* 3] += w.0
                k[row &* 3 &+ 1] += w.1
                k[row &* 3 &+ 2] += w.2
            }
            emit(0, c0.0, c1.0, c2.0, c3.0, c4.0)
            emit(1, c0.1, c1.1, c2.1, c3.1, c4.1)
            emit(2, c0.2, c1.2, c2.2, c3.2, c4.2)
        }
    }
}
