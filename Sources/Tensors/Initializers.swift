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
