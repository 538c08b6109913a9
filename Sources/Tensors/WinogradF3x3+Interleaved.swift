// The F(3×3, 3×3) transforms sixteen channels at a time, as F(4×4)'s
// (WinogradF4x3+Interleaved.swift): the channels' padded planes interleaved [y][x][16], V stored
// as [25][T][in] and M read as [25][T][out], so every step is one 16-lane vector operation.

extension WinogradF3x3 {
    /// V[ξ][tile][c] for channels c0..<c0+count (count ≤ 16) of one sample: `planes` points at
    /// channel c0's image plane (planes `height·width` apart), `padded` is scratch of
    /// `interleavedPaddedArea` floats whose border is zero, `v` points at V[0][first tile][c0],
    /// `tileStride` = in (floats between tiles), `xiStride` = T·in (between ξ matrices).
    @inlinable
    public func transformInputInterleaved(_ planes: UnsafePointer<Float>, count: Int, padded: UnsafeMutablePointer<Float>,
                                          _ v: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int) {
        typealias L = WinogradLanes
        let pw = paddedWidth, lanes = ChannelInterleaving.lanes, rowStride = pw &* lanes
        ChannelInterleaving.interleave(planes, count: count, height: height, width: width, into: padded,
                                       rowPixels: pw, top: 1, left: 1)
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> L { UnsafeRawPointer(p).loadUnaligned(as: L.self) }
        let two = L(repeating: 2), three = L(repeating: 3)
        withUnsafeTemporaryAllocation(of: L.self, capacity: 25) { scratch in
            let t = scratch.baseAddress!
            forEachTile(rowPixels: pw) { tile, offset in
                let corner = UnsafePointer(padded) + offset
                // Bᵀ d: combine the five rows, column by column.
                for j in 0..<5 {
                    let p = corner + j &* lanes
                    let x0 = load(p), x1 = load(p + rowStride), x2 = load(p + 2 &* rowStride)
                    let x3 = load(p + 3 &* rowStride), x4 = load(p + 4 &* rowStride)
                    t[j] = two * (x0 - x2) - x1 + x3
                    t[5 &+ j] = two * x1 + x2 - x3
                    t[10 &+ j] = three * x2 - two * x1 - x3
                    t[15 &+ j] = x3 - x1
                    t[20 &+ j] = two * (x1 - x3) - x2 + x4
                }
                // (Bᵀ d) B: each row; results go to V[5r + i][tile][c0..].
                let base = v + tile &* tileStride
                @inline(__always) func put(_ xi: Int, _ value: L) {
                    ChannelInterleaving.store(value, base + xi &* xiStride, count: count)
                }
                for r in 0..<5 {
                    let row = t + r &* 5
                    let x0 = row[0], x1 = row[1], x2 = row[2], x3 = row[3], x4 = row[4]
                    let o = r &* 5
                    put(o, two * (x0 - x2) - x1 + x3)
                    put(o &+ 1, two * x1 + x2 - x3)
                    put(o &+ 2, three * x2 - two * x1 - x3)
                    put(o &+ 3, x3 - x1)
                    put(o &+ 4, two * (x1 - x3) - x2 + x4)
                }
            }
        }
    }

    /// Output planes o0..<o0+count (count ≤ 16) of one sample from M stored as [25][T][out]
    /// (`m` points at M[0][first tile][o0], `tileStride` = out, `xiStride` = T·out):
    /// Y = Aᵀ M A, one channel per lane, into `staging` ([y][x][lanes], at least
    /// `interleavedTileArea` floats), then spread to the NCHW planes at `planes` with `bias` added.
    @inlinable
    public func writeOutputInterleaved(_ m: UnsafePointer<Float>, count: Int, tileStride: Int, xiStride: Int,
                                       bias: WinogradLanes, staging: UnsafeMutablePointer<Float>,
                                       _ planes: UnsafeMutablePointer<Float>) {
        typealias L = WinogradLanes
        let lanes = ChannelInterleaving.lanes
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> L { ChannelInterleaving.load(p, count: count) }
        let two = L(repeating: 2), four = L(repeating: 4)
        let outWidth = 3 &* tilesX   // the staging buffer holds whole tiles
        withUnsafeTemporaryAllocation(of: L.self, capacity: 15) { scratch in
            let t = scratch.baseAddress!
            forEachTile(rowPixels: outWidth) { tile, offset in
                let src = m + tile &* tileStride
                // Aᵀ M: 3×5, column by column.
                for j in 0..<5 {
                    let x0 = load(src + j &* xiStride), x1 = load(src + (5 &+ j) &* xiStride), x2 = load(src + (10 &+ j) &* xiStride)
                    let x3 = load(src + (15 &+ j) &* xiStride), x4 = load(src + (20 &+ j) &* xiStride)
                    let s12 = x1 + x2
                    t[j] = x0 + s12 + x3
                    t[5 &+ j] = x1 - x2 + two * x3
                    t[10 &+ j] = s12 + four * x3 + x4
                }
                // (Aᵀ M) A: three rows of three outputs, into the staging tile.
                for r in 0..<3 {
                    let row = t + r &* 5
                    let s12 = row[1] + row[2]
                    let dst = UnsafeMutableRawPointer(staging + (offset &+ r &* outWidth &* lanes))
                    let size = MemoryLayout<L>.size
                    dst.storeBytes(of: row[0] + s12 + row[3] + bias, as: L.self)
                    dst.storeBytes(of: row[1] - row[2] + two * row[3] + bias, toByteOffset: size, as: L.self)
                    dst.storeBytes(of: s12 + four * row[3] + row[4] + bias, toByteOffset: 2 &* size, as: L.self)
                }
            }
        }
        // De-interleave the image part into the output planes.
        ChannelInterleaving.deinterleave(staging, rowPixels: outWidth, top: 0, left: 0, count: count,
                                         height: height, width: width, into: planes)
    }
}
