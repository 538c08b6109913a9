// Channel-interleaved image buffers for the Winograd transforms (F(2×2) and F(4×4)): sixteen
// channel planes of one sample laid out [y][x][16] — lane c of pixel (y, x) is channel c0 + c —
// so every step of a tile transform is one 16-lane vector operation (one AVX-512 instruction,
// two AVX2 ones) and each tile's result is sixteen contiguous floats per ξ in V ([ξ][T][in]).
// A buffer has `rowPixels` pixels per row; the image sits at (top, left) inside it, so a
// transform's zero border is simply the part these functions never write.
import CSIMD

/// The vector of channels the interleaved transforms work on.
public typealias WinogradLanes = SIMD16<Float>

public enum ChannelInterleaving {
    /// Channels per interleaved group.
    public static let lanes = WinogradLanes.scalarCount

    /// Interleaves eight pixels of `lanes` channel planes into [pixel][lane], one 8×8
    /// transpose per eight lanes; `untransposeLanes` undoes it.
    @inlinable @inline(__always)
    static func transposeLanes(_ planes: UnsafePointer<Float>, area: Int, _ pixels: UnsafeMutablePointer<Float>) {
        for half in Swift.stride(from: 0, to: lanes, by: 8) {
            dojo_transpose8x8(planes + half &* area, area, pixels + half, lanes)
        }
    }

    @inlinable @inline(__always)
    static func untransposeLanes(_ pixels: UnsafePointer<Float>, _ planes: UnsafeMutablePointer<Float>, area: Int) {
        for half in Swift.stride(from: 0, to: lanes, by: 8) {
            dojo_transpose8x8(pixels + half, lanes, planes + half &* area, area)
        }
    }

    /// buffer[((y + top)·rowPixels + x + left)·16 + c] = planes[c·height·width + y·width + x]
    /// for c < count; lanes from `count` on are zero. Full groups go eight pixels at a time
    /// through 8×8 transposes (rows of at least eight pixels).
    @inlinable
    public static func interleave(_ planes: UnsafePointer<Float>, count: Int, height: Int, width: Int,
                                  into buffer: UnsafeMutablePointer<Float>, rowPixels: Int, top: Int, left: Int) {
        let area = height &* width
        for y in 0..<height {
            let row = buffer + (((y &+ top) &* rowPixels &+ left) &* lanes)
            var first = 0
            if count == lanes && width >= 8 {
                while first &+ 8 <= width {
                    transposeLanes(planes + (y &* width &+ first), area: area, row + first &* lanes)
                    first &+= 8
                }
                // The ragged end as one more transpose overlapping the last block (its pixels
                // written twice, the same values): a 9-pixel row is two transposes, not one
                // and sixteen scalar moves.
                if first < width { transposeLanes(planes + (y &* width &+ width &- 8), area: area, row + (width &- 8) &* lanes) }
                continue
            }
            for x in first..<width {
                let dst = row + x &* lanes
                for c in 0..<lanes { dst[c] = c < count ? planes[c &* area &+ y &* width &+ x] : 0 }
            }
        }
    }

    /// The inverse: planes[c·height·width + y·width + x] = buffer[((y + top)·rowPixels + x + left)·16 + c]
    /// for c < count.
    @inlinable
    public static func deinterleave(_ buffer: UnsafePointer<Float>, rowPixels: Int, top: Int, left: Int,
                                    count: Int, height: Int, width: Int, into planes: UnsafeMutablePointer<Float>) {
        let area = height &* width
        for y in 0..<height {
            let row = buffer + (((y &+ top) &* rowPixels &+ left) &* lanes)
            var first = 0
            if count == lanes && width >= 8 {
                while first &+ 8 <= width {
                    untransposeLanes(row + first &* lanes, planes + (y &* width &+ first), area: area)
                    first &+= 8
                }
                if first < width { untransposeLanes(row + (width &- 8) &* lanes, planes + (y &* width &+ width &- 8), area: area) }
                continue
            }
            for c in 0..<count {
                let src = row + c, dst = planes + (c &* area &+ y &* width)
                for x in first..<width { dst[x] = src[x &* lanes] }
            }
        }
    }

    /// One pixel's lanes (partial groups read `count` floats, the rest zero).
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, count: Int) -> WinogradLanes {
        if count == lanes { return UnsafeRawPointer(p).loadUnaligned(as: WinogradLanes.self) }
        var v = WinogradLanes(repeating: 0)
        for c in 0..<count { v[c] = p[c] }
        return v
    }

    /// Adds a whole pixel's lanes into `p` (the input-gradient sums where tiles overlap).
    @inlinable @inline(__always)
    public static func add(_ value: WinogradLanes, _ p: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(p)
        raw.storeBytes(of: raw.loadUnaligned(as: WinogradLanes.self) + value, as: WinogradLanes.self)
    }

    /// Stores the first `count` lanes of `value` at `p`.
    @inlinable @inline(__always)
    public static func store(_ value: WinogradLanes, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count == lanes {
            UnsafeMutableRawPointer(p).storeBytes(of: value, as: WinogradLanes.self)
        } else {
            for c in 0..<count { p[c] = value[c] }
        }
    }
}
