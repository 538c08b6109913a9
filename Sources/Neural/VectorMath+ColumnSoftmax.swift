// Softmax down the columns of a row-major block: block[j·columns + i] is key j's score for query
// i, and each column (one query) is normalised over its `rows` keys. Attention keeps its scores
// this way round (Kᵀ·Q, not Q·Kᵀ) because then 16 queries share one vector and every reduction —
// the maximum, the sum, the backward's dot product — is a lane-wise operation down the rows,
// with no horizontal sum per query (which had made a row-wise softmax over 64 keys cost about
// as much as its 64 exponentials). Columns past the last multiple of 16 run through the same
// code on a zero-padded copy in the caller's `scratch` (2·rows·16 floats: no allocation here).
// Masks are 0/1 floats of the block's shape; a column whose mask has no 1 becomes all zeros
// (the query attends to nothing).
import Tensors

extension VectorMath {
    /// Floats of `scratch` the column functions need for `rows` rows.
    static func columnScratchCount(rows: Int) -> Int { 2 * rows * 16 }

    /// Softmax of every column of `block` ([rows, columns], row-major) in place.
    static func columnSoftmax(rows: Int, columns: Int, _ block: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        forEachColumnGroup(rows: rows, columns: columns, block, nil, scratch: scratch) { rows, stride, p, _ in
            var top = Lanes.load(p)
            for j in 1..<rows { top = lanesMax(top, Lanes.load(p + j * stride)) }
            var sum = Lanes(repeating: 0)
            for j in 0..<rows {
                let e = exp(Lanes.load(p + j * stride) - top)
                e.store(p + j * stride); sum += e
            }
            let scale = 1 / sum
            for j in 0..<rows { (Lanes.load(p + j * stride) * scale).store(p + j * stride) }
        }
    }

    /// Softmax of every column of `block` over the rows whose `mask` entry is 1; the others
    /// become 0, and so does a column with no 1. Arithmetic with the 0/1 mask: no lane masks.
    static func maskedColumnSoftmax(rows: Int, columns: Int, _ block: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>,
                                    scratch: UnsafeMutablePointer<Float>) {
        let far = Lanes(repeating: 1e30)
        forEachColumnGroup(rows: rows, columns: columns, block, mask, scratch: scratch) { rows, stride, p, m in
            var top = -far, any = Lanes(repeating: 0)
            for j in 0..<rows {
                let v = Lanes.load(p + j * stride), allowed = Lanes.load(m + j * stride)
                top = lanesMax(top, v * allowed - (1 - allowed) * far)
                any = lanesMax(any, allowed)
            }
            var sum = Lanes(repeating: 0)
            for j in 0..<rows {
                let allowed = Lanes.load(m + j * stride)
                // Masked entries take exp(0)·0: never −∞ or an overflow.
                let e = exp((Lanes.load(p + j * stride) - top) * allowed) * allowed
                e.store(p + j * stride); sum += e
            }
            // 1/sum where the column has a key, 0 where it has none (sum is 0 there).
            let scale = any / (sum + (1 - any))
            for j in 0..<rows { (Lanes.load(p + j * stride) * scale).store(p + j * stride) }
        }
    }

    /// Softmax backward down the columns, in place: d ← P ⊙ (d − Σⱼ Pⱼ dⱼ) · scale per column.
    static func columnSoftmaxBackward(rows: Int, columns: Int, probabilities: UnsafePointer<Float>,
                                      _ d: UnsafeMutablePointer<Float>, scale: Float, scratch: UnsafeMutablePointer<Float>) {
        let scaleLanes = Lanes(repeating: scale)
        forEachColumnGroup(rows: rows, columns: columns, d, probabilities, scratch: scratch) { rows, stride, g, p in
            var dot = Lanes(repeating: 0)
            for j in 0..<rows { dot += Lanes.load(p + j * stride) * Lanes.load(g + j * stride) }
            for j in 0..<rows {
                let pj = Lanes.load(p + j * stride)
                (pj * (Lanes.load(g + j * stride) - dot) * scaleLanes).store(g + j * stride)
            }
        }
    }

    /// Runs `body(rows, stride, block + c, other + c)` for every group of 16 columns c; for
    /// the last, narrower group, on zero-padded copies (stride 16) in `scratch` whose results are
    /// copied back into `block` (`other` is only read).
    @inline(__always) private static func forEachColumnGroup(
        rows: Int, columns: Int, _ block: UnsafeMutablePointer<Float>, _ other: UnsafePointer<Float>?,
        scratch padded: UnsafeMutablePointer<Float>, _ body: (Int, Int, UnsafeMutablePointer<Float>, UnsafePointer<Float>) -> Void
    ) {
        guard rows > 0 && columns > 0 else { return }
        var c = 0
        while c + 16 <= columns {
            body(rows, columns, block + c, (other ?? UnsafePointer(block)) + c)
            c += 16
        }
        let tail = columns - c
        guard tail > 0 else { return }
        let copy = padded + rows * 16
        padded.update(repeating: 0, count: 2 * rows * 16)
        for j in 0..<rows {
            (padded + j * 16).update(from: block + j * columns + c, count: tail)
            if let other { (copy + j * 16).update(from: other + j * columns + c, count: tail) }
        }
        body(rows, 16, padded, UnsafePointer(other == nil ? padded : copy))
        for j in 0..<rows { (block + j * columns + c).update(from: padded + j * 16, count: tail) }
    }

    @inline(__always) private static func lanesMax(_ a: Lanes, _ b: Lanes) -> Lanes {
        a.replacing(with: b, where: b .> a)
    }
}
