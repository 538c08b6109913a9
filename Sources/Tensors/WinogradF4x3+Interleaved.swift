// The F(4×4, 3×3) input transform eight channels at a time: the channels' padded planes are
// interleaved ([y][x][8]) so every arithmetic step is one 8-lane vector operation, and V is
// stored as [36][T][in] (channels contiguous) so each tile's result is eight contiguous floats
// per ξ. The matrix products then take V transposed (U[ξ] · V[ξ]ᵀ). Same arithmetic as
// `transformInput`, about four times fewer instructions.
import CSIMD

extension WinogradF4x3 {
    /// Elements of the interleaved padded buffer `transformInput8` needs.
    public var interleavedArea: Int { paddedArea * 8 }

    /// V[ξ][tile][c] for channels c0..<c0+count (count ≤ 8) of one sample: `planes` points at
    /// channel c0's image plane (planes `height·width` apart), `interleaved` is scratch of
    /// `interleavedArea` floats whose border is zero, `v` points at V[0][first tile][c0],
    /// `tileStride` = in (floats between tiles), `xiStride` = T·in (between ξ matrices).
    @inlinable
    public func transformInput8(_ planes: UnsafePointer<Float>, count: Int, interleaved: UnsafeMutablePointer<Float>,
                                _ v: UnsafeMutablePointer<Float>, tileStride: Int, xiStride: Int) {
        let area = height &* width, pw = paddedWidth
        // Interleave: lane c of pixel (y, x) = channel c; missing channels stay zero. Eight full
        // channels go eight pixels at a time through an 8×8 transpose.
        for y in 0..<height {
            let row = interleaved + (((y &+ 1) &* pw &+ 1) &* 8)
            var first = 0
            if count == 8 {
                while first &+ 8 <= width {
                    dojo_transpose8x8(planes + (y &* width &+ first), area, row + first &* 8, 8)
                    first &+= 8
                }
            }
            for x in first..<width {
                let dst = row + x &* 8
                for c in 0..<8 { dst[c] = c < count ? planes[c &* area &+ y &* width &+ x] : 0 }
            }
        }
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        let four = SIMD8<Float>(repeating: 4), five = SIMD8<Float>(repeating: 5), two = SIMD8<Float>(repeating: 2)
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 36) { scratch in
            let t = scratch.baseAddress!
            var tile = 0
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let corner = UnsafePointer(interleaved) + (((4 &* ty) &* pw &+ 4 &* tx) &* 8)
                    // Bᵀ d: combine the six rows, column by column.
                    for j in 0..<6 {
                        let p = corner + j &* 8, rowStride = pw &* 8
                        let x0 = load(p), x1 = load(p + rowStride), x2 = load(p + 2 &* rowStride)
                        let x3 = load(p + 3 &* rowStride), x4 = load(p + 4 &* rowStride), x5 = load(p + 5 &* rowStride)
                        t[j] = four * x0 - five * x2 + x4
                        t[6 &+ j] = x3 + x4 - four * (x1 + x2)
                        t[12 &+ j] = four * (x1 - x2) - x3 + x4
                        t[18 &+ j] = two * (x3 - x1) - x2 + x4
                        t[24 &+ j] = two * (x1 - x3) - x2 + x4
                        t[30 &+ j] = four * x1 - five * x3 + x5
                    }
                    // (Bᵀ d) B: each row; results go to V[6r + i][tile][c0..].
                    let base = v + tile &* tileStride
                    @inline(__always) func put(_ xi: Int, _ value: SIMD8<Float>) {
                        let dst = base + xi &* xiStride
                        if count == 8 {
                            UnsafeMutableRawPointer(dst).storeBytes(of: value, as: SIMD8<Float>.self)
                        } else {
                            for c in 0..<count { dst[c] = value[c] }
                        }
                    }
                    for r in 0..<6 {
                        let row = t + r &* 6
                        let x0 = row[0], x1 = row[1], x2 = row[2], x3 = row[3], x4 = row[4], x5 = row[5]
                        let o = r &* 6
                        put(o, four * x0 - five * x2 + x4)
                        put(o &+ 1, x3 + x4 - four * (x1 + x2))
                        put(o &+ 2, four * (x1 - x2) - x3 + x4)
                        put(o &+ 3, two * (x3 - x1) - x2 + x4)
                        put(o &+ 4, two * (x1 - x3) - x2 + x4)
                        put(o &+ 5, four * x1 - five * x3 + x5)
                    }
                    tile &+= 1
                }
            }
        }
    }
}

extension WinogradF4x3 {
    /// Output planes o0..<o0+count (count ≤ 8) of one sample from M stored as [36][T][out]
    /// (`m` points at M[0][first tile][o0], `tileStride` = out, `xiStride` = T·out): Y = Aᵀ M A
    /// eight channels per vector into `interleaved` ([y][x][8], at least 16·tiles·8 floats),
    /// then spread to the NCHW planes at `planes` (height·width apart) with `bias[c]` added.
    @inlinable
    public func writeOutput8(_ m: UnsafePointer<Float>, count: Int, tileStride: Int, xiStride: Int,
                             bias: SIMD8<Float>, interleaved: UnsafeMutablePointer<Float>, _ planes: UnsafeMutablePointer<Float>) {
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
            if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
            var v = SIMD8<Float>(repeating: 0)
            for c in 0..<count { v[c] = p[c] }
            return v
        }
        let two = SIMD8<Float>(repeating: 2), four = SIMD8<Float>(repeating: 4), eight = SIMD8<Float>(repeating: 8)
        let outWidth = 4 &* tilesX   // the interleaved buffer holds whole tiles
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 24) { scratch in
            let t = scratch.baseAddress!
            var tile = 0
            for ty in 0..<tilesY {
                for tx in 0..<tilesX {
                    let src = m + tile &* tileStride
                    // Aᵀ M: 4×6, column by column.
                    for j in 0..<6 {
                        let x0 = load(src + j &* xiStride), x1 = load(src + (6 &+ j) &* xiStride), x2 = load(src + (12 &+ j) &* xiStride)
                        let x3 = load(src + (18 &+ j) &* xiStride), x4 = load(src + (24 &+ j) &* xiStride), x5 = load(src + (30 &+ j) &* xiStride)
                        let s12 = x1 + x2, d12 = x1 - x2, s34 = x3 + x4, d34 = x3 - x4
                        t[j] = x0 + s12 + s34
                        t[6 &+ j] = d12 + two * d34
                        t[12 &+ j] = s12 + four * s34
                        t[18 &+ j] = d12 + eight * d34 + x5
                    }
                    // (Aᵀ M) A: four rows of four outputs, into the interleaved tile.
                    for r in 0..<4 {
                        let row = t + r &* 6
                        let s12 = row[1] + row[2], d12 = row[1] - row[2], s34 = row[3] + row[4], d34 = row[3] - row[4]
                        let dst = UnsafeMutableRawPointer(interleaved + (((4 &* ty &+ r) &* outWidth &+ 4 &* tx) &* 8))
                        dst.storeBytes(of: row[0] + s12 + s34 + bias, as: SIMD8<Float>.self)
                        dst.storeBytes(of: d12 + two * d34 + bias, toByteOffset: 32, as: SIMD8<Float>.self)
                        dst.storeBytes(of: s12 + four * s34 + bias, toByteOffset: 64, as: SIMD8<Float>.self)
                        dst.storeBytes(of: d12 + eight * d34 + row[5] + bias, toByteOffset: 96, as: SIMD8<Float>.self)
                    }
                    tile &+= 1
                }
            }
        }
        // De-interleave the image part into the output planes (8×8 transposes for eight channels).
        let area = height &* width
        for y in 0..<height {
            var first = 0
            if count == 8 {
                while first &+ 8 <= width {
                    dojo_transpose8x8(interleaved + (y &* outWidth &+ first) &* 8, 8, planes + (y &* width &+ first), area)
                    first &+= 8
                }
            }
            for c in 0..<count {
                let src = interleaved + ((y &* outWidth) &* 8 &+ c), dst = planes + (c &* area &+ y &* width)
                for x in first..<width { dst[x] = src[x &* 8] }
            }
        }
    }

    /// Elements of `writeOutput8`'s interleaved buffer.
    public var interleavedOutputArea: Int { 16 * tilesPerImage * 8 }
}
