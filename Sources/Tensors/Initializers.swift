// Default parameter initialisations, as PyTorch's layers use them, so that networks start
// from the same distribution as the reference implementations we compare against:
// weights Kaiming-uniform with a = √5, i.e. U(−1/√fanIn, 1/√fanIn); biases zero (PyTorch
// draws biases from the same bound; zero is the AlphaZero/DQN-paper convention and the
// issue's choice, and the difference vanishes after a few updates).

extension Tensor {
    /// Uniform in [low, high) from `generator`.
    public static func uniform(shape: [Int], low: Float, high: Float,
                               using generator: inout SeededGenerator) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = generator.uniform(low, high) }
        }
        return t
    }

    /// Normal with `mean` and `std` from `generator`.
    public static func normal(shape: [Int], mean: Float = 0, std: Float = 1,
                              using generator: inout SeededGenerator) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = mean + std * generator.nextNormal() }
        }
        return t
    }

    /// PyTorch's default for `Linear` and `Conv2d` weights: Kaiming-uniform with a = √5,
    /// which is U(−b, b) with b = 1/√fanIn (fanIn = inputs × kernel area).
    public static func kaimingUniform(shape: [Int], fanIn: Int,
                                      using generator: inout SeededGenerator) -> Tensor {
        let bound = 1 / Float(fanIn).squareRoot()
        return uniform(shape: shape, low: -bound, high: bound, using: &generator)
    }
}

extension Tensor {
    /// A (semi-)orthogonal matrix scaled by `gain` (Saxe, McClelland & Ganguli 2014), as
    /// PyTorch's `orthogonal_`: the shape's first dimension is the rows, the rest flattened are
    /// the columns; W·Wᵀ = gain²·I when rows ≤ columns, Wᵀ·W = gain²·I otherwise. Built from a
    /// standard normal matrix by Gram–Schmidt in Double (each projection done twice, so the
    /// columns are orthogonal to rounding); Gram–Schmidt's positive diagonal of R is what makes
    /// the draw uniform over orthogonal matrices.
    public static func orthogonal(shape: [Int], gain: Float, using generator: inout SeededGenerator) -> Tensor {
        precondition(shape.count >= 2 && shape.allSatisfy { $0 > 0 }, "an orthogonal initialisation needs a matrix shape, got \(shape)")
        let rows = shape[0], columns = shape.dropFirst().reduce(1, *)
        // Orthonormal columns of a tall matrix: `long` entries each, `short` of them.
        let long = Swift.max(rows, columns), short = Swift.min(rows, columns)
        var q = (0..<(long * short)).map { _ in Double(generator.nextNormal()) }   // column-major
        for j in 0..<short {
            for _ in 0..<2 {
                for i in 0..<j {
                    var dot = 0.0
                    for k in 0..<long { dot += q[i * long + k] * q[j * long + k] }
                    for k in 0..<long { q[j * long + k] -= dot * q[i * long + k] }
                }
            }
            var norm = 0.0
            for k in 0..<long { norm += q[j * long + k] * q[j * long + k] }
            norm = norm.squareRoot()
            for k in 0..<long { q[j * long + k] /= Swift.max(norm, 1e-300) }
        }
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableBufferPointer { w in
            for r in 0..<rows {
                for c in 0..<columns {
                    // Tall (rows ≥ columns): column c of Q; wide: the transpose.
                    let value = rows >= columns ? q[c * long + r] : q[r * long + c]
                    w[r * columns + c] = gain * Float(value)
                }
            }
        }
        return t
    }
}
