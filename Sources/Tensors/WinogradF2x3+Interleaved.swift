// The F(2×2, 3×3) transforms sixteen channels at a time, for training (forward and backward):
// channel planes interleaved [y][x][16] (ChannelInterleaving.swift), so each tile's transform
// is sixteen-lane vector arithmetic and each ξ of a tile is sixteen contiguous floats.
// Layouts here: V and dV are [16][T][in], M and dM [16][T][out] (channels contiguous), with
// `tileStride` floats between tiles (in or out) and `xiStride` between ξ matrices (T·in or
// T·out); U stays [16][out][in]. The per-plane transforms of WinogradF2x3.swift use 5 of 16
// lanes on a 9×9 board (a row of five tiles) and write each ξ as five scattered floats.
// Same formulas as the per-plane code (rows first, then columns).

extension WinogradF2x3 {
    /// V[ξ][tile][c] for channels c0..<c0+count of one sample: `planes` points at channel c0's
    /// plane (planes height·width apart), `padded` is `interleavedPaddedArea` floats of scratch
    /// whose border is zero, `v` points at V[0][first tile][c0].
    @inlinable
    public func transformInputInterleaved(_ planes: UnsafePointer<Float>, count: Int, padded: UnsafeMutablePointer<Float>,
                                          _ v: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int) {
        typealias L = WinogradLanes
        let pw = paddedWidth, lanes = ChannelInterleaving.lanes, rowStride = pw &* lanes
        ChannelInterleaving.interleave(planes, count: count, height: height, width: width, into: padded,
                                       rowPixels: pw, top: 1, left: 1)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> L { ChannelInterleaving.load(p, count: lanes) }
        forEachTile(rowPixels: pw) { tile, offset in
            let corner = UnsafePointer(padded) + offset
            // Bᵀ d: combine rows, column by column: a = r0 − r2, b = r1 + r2, c = r2 − r1, e = r1 − r3.
            @inline(__always) func column(_ j: Int) -> (L, L, L, L) {
                let p = corner + j &* lanes
                let r0 = load(p), r1 = load(p + rowStride), r2 = load(p + 2 &* rowStride), r3 = load(p + 3 &* rowStride)
                return (r0 - r2, r1 + r2, r2 - r1, r1 - r3)
            }
            let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
            // (Bᵀ d) B: each combined row's columns.
            let base = v + tile &* tileStride
            @inline(__always) func row(_ i: Int, _ x0: L, _ x1: L, _ x2: L, _ x3: L) {
                ChannelInterleaving.store(x0 - x2, base + (4 &* i) &* xiStride, count: count)
                ChannelInterleaving.store(x1 + x2, base + (4 &* i &+ 1) &* xiStride, count: count)
                ChannelInterleaving.store(x2 - x1, base + (4 &* i &+ 2) &* xiStride, count: count)
                ChannelInterleaving.store(x1 - x3, base + (4 &* i &+ 3) &* xiStride, count: count)
            }
            row(0, c0.0, c1.0, c2.0, c3.0)
            row(1, c0.1, c1.1, c2.1, c3.1)
            row(2, c0.2, c1.2, c2.2, c3.2)
            row(3, c0.3, c1.3, c2.3, c3.3)
        }
    }

    /// Output planes o0..<o0+count of one sample from M (`m` at M[0][first tile][o0]):
    /// Y = Aᵀ M A + bias into `staging` (`interleavedTileArea` floats), then to the NCHW planes.
    @inlinable
    public func writeOutputInterleaved(_ m: UnsafePointer<Float>, count: Int, tileStride: Int, xiStride: Int,
                                       bias: WinogradLanes, staging: UnsafeMutablePointer<Float>,
                                       _ planes: UnsafeMutablePointer<Float>) {
        typealias L = WinogradLanes
        let lanes = ChannelInterleaving.lanes, outWidth = 2 &* tilesX
        forEachTile(rowPixels: outWidth) { tile, corner in
            let src = m + tile &* tileStride
            @inline(__always) func at(_ xi: Int) -> L { ChannelInterleaving.load(src + xi &* xiStride, count: count) }
            // Aᵀ M: two rows from four, column by column (Aᵀ = [1 1 1 0; 0 1 −1 −1]).
            @inline(__always) func column(_ j: Int) -> (L, L) {
                let m0 = at(j), m1 = at(4 &+ j), m2 = at(8 &+ j), m3 = at(12 &+ j)
                return (m0 + m1 + m2, m1 - m2 - m3)
            }
            let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
            // (Aᵀ M) A: two outputs per row.
            let dst = staging + corner
            @inline(__always) func put(_ p: UnsafeMutablePointer<Float>, _ value: L) {
                UnsafeMutableRawPointer(p).storeBytes(of: value, as: L.self)
            }
            put(dst, c0.0 + c1.0 + c2.0 + bias)
            put(dst + lanes, c1.0 - c2.0 - c3.0 + bias)
            put(dst + outWidth &* lanes, c0.1 + c1.1 + c2.1 + bias)
            put(dst + (outWidth &+ 1) &* lanes, c1.1 - c2.1 - c3.1 + bias)
        }
        ChannelInterleaving.deinterleave(staging, rowPixels: outWidth, top: 0, left: 0, count: count,
                                         height: height, width: width, into: planes)
    }

    /// dM[ξ][tile][o] = (A dY Aᵀ)[ξ] for output-gradient planes o0..<o0+count of one sample;
    /// `staging` is `interleavedTileArea` floats whose pixels past the image (the last column
    /// and row of odd sizes) are zero and are never written here.
    @inlinable
    public func transformOutputGradientInterleaved(_ planes: UnsafePointer<Float>, count: Int, staging: UnsafeMutablePointer<Float>,
                                                   _ dm: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int) {
        typealias L = WinogradLanes
        let lanes = ChannelInterleaving.lanes, outWidth = 2 &* tilesX
        ChannelInterleaving.interleave(planes, count: count, height: height, width: width, into: staging,
                                       rowPixels: outWidth, top: 0, left: 0)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> L { ChannelInterleaving.load(p, count: lanes) }
        forEachTile(rowPixels: outWidth) { tile, corner in
            let p = UnsafePointer(staging) + corner
            let g00 = load(p), g01 = load(p + lanes), g10 = load(p + outWidth &* lanes), g11 = load(p + (outWidth &+ 1) &* lanes)
            // A dY: four rows of two, then each times Aᵀ: four columns.
            let base = dm + tile &* tileStride
            @inline(__always) func row(_ i: Int, _ a: L, _ b: L) {
                ChannelInterleaving.store(a, base + (4 &* i) &* xiStride, count: count)
                ChannelInterleaving.store(a + b, base + (4 &* i &+ 1) &* xiStride, count: count)
                ChannelInterleaving.store(a - b, base + (4 &* i &+ 2) &* xiStride, count: count)
                ChannelInterleaving.store(-b, base + (4 &* i &+ 3) &* xiStride, count: count)
            }
            row(0, g00, g01)
            row(1, g00 + g10, g01 + g11)
            row(2, g00 - g10, g01 - g11)
            row(3, -g10, -g11)
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
        forEachTile(rowPixels: pw) { tile, offset in
            let src = dv + tile &* tileStride
            @inline(__always) func at(_ xi: Int) -> L { ChannelInterleaving.load(src + xi &* xiStride, count: count) }
            // B dV: rows q0 = v0, q1 = v1 − v2 + v3, q2 = −v0 + v1 + v2, q3 = −v3, column by column.
            @inline(__always) func column(_ j: Int) -> (L, L, L, L) {
                let v0 = at(j), v1 = at(4 &+ j), v2 = at(8 &+ j), v3 = at(12 &+ j)
                return (v0, v1 - v2 + v3, -v0 + v1 + v2, -v3)
            }
            let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
            let corner = padded + offset
            // (B dV) Bᵀ: each row's columns the same way, added into the overlapping tiles.
            @inline(__always) func add(_ p: UnsafeMutablePointer<Float>, _ value: L) { ChannelInterleaving.add(value, p) }
            @inline(__always) func row(_ r: Int, _ x0: L, _ x1: L, _ x2: L, _ x3: L) {
                let p = corner + r &* pw &* lanes
                add(p, x0)
                add(p + lanes, x1 - x2 + x3)
                add(p + 2 &* lanes, -x0 + x1 + x2)
                add(p + 3 &* lanes, -x3)
            }
            row(0, c0.0, c1.0, c2.0, c3.0)
            row(1, c0.1, c1.1, c2.1, c3.1)
            row(2, c0.2, c1.2, c2.2, c3.2)
            row(3, c0.3, c1.3, c2.3, c3.3)
        }
        ChannelInterleaving.deinterleave(padded, rowPixels: pw, top: 1, left: 1, count: count,
                                         height: height, width: width, into: planes)
    }
}
