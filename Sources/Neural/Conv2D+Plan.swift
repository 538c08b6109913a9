// How a convolution runs, chosen in one place for its forward and its backward: the scatter of a
// mostly-zero first-layer input (Conv2D+SparseInput.swift), Winograd F(2×2, 3×3), F(3×3, 3×3)
// or F(4×4, 3×3) for 3×3 stride-1 padding-1 convolutions (Conv2D+Winograd.swift), one product
// per sample for 1×1 ones, im2col + GEMM for the rest (Conv2D.swift). The forward records its
// plan and the backward follows it. Which path runs depends on the layer's settings and the
// input alone, so results stay deterministic.
import Tensors

struct ConvolutionPlan: Equatable {
    enum Path: Equatable { case sparseInput, winograd2, winograd3, winograd4, pointwise, im2col }
    /// The forward's path and the backward's (they differ for a scattered input of middling
    /// density, and after an inference forward by a tiling training does not use).
    var forward: Path, backward: Path
}

/// The Winograd tiling of an inference forward: chosen by `Conv2D.inferenceTiling` or named.
public enum InferenceTiles: Sendable {
    case automatic, f2x2, f3x3, f4x4
}

extension Conv2D {
    var winogradApplies: Bool { usesWinograd && kernel == 3 && stride == 1 && padding == 1 }

    func plan(for x: Tensor, _ g: ConvGeometry) -> ConvolutionPlan {
        let dense: ConvolutionPlan.Path = g.isPointwise ? .pointwise : .im2col
        if let density = sparseInputDensity(x) {
            return ConvolutionPlan(forward: density <= Conv2D.sparseForwardDensityLimit ? .sparseInput : dense,
                                   backward: density <= Conv2D.sparseGradientDensityLimit ? .sparseInput : dense)
        }
        if winogradApplies {
            let h = x.shape[2], w = x.shape[3], training = Self.trainingTiling(height: h, width: w)
            guard !isTraining else { return ConvolutionPlan(forward: training, backward: training) }
            let forward: ConvolutionPlan.Path = switch inferenceTiles {
            case .automatic: Self.inferenceTiling(height: h, width: w, batch: x.shape[0])
            case .f2x2: .winograd2
            case .f3x3: .winograd3
            case .f4x4: .winograd4
            }
            return ConvolutionPlan(forward: forward, backward: training)
        }
        return ConvolutionPlan(forward: dense, backward: dense)
    }

    /// The tiling with the fewest multiplications per image, partial tiles included, among
    /// F(2×2) and the larger tiles that pay: a larger tiling only when its multiplications are at
    /// most 0.6 of F(2×2)'s, or at most 0.85 from batches of 8 on — its transforms cost more.
    /// Measured with `dojo bench az-infer` on 9×9: F(4×4) (ratio 0.81) against F(2×2) 805 vs 600
    /// positions/s at batch 1, 967 vs 917 at batch 8 and 1,130 vs 1,048 at batch 64; on 19×19
    /// (ratio 0.56) F(4×4) is about 30% faster at batch 8 (`dojo bench mcts-nn`). F(3×3) tiles
    /// a 9×9 board exactly (ratio 0.56).
    static func inferenceTiling(height h: Int, width w: Int, batch: Int) -> ConvolutionPlan.Path {
        let f2 = Double(winogradProducts(tile: 2, height: h, width: w))
        var best = (path: ConvolutionPlan.Path.winograd2, products: f2)
        for (path, m) in [(ConvolutionPlan.Path.winograd3, 3), (.winograd4, 4)] {
            let p = Double(winogradProducts(tile: m, height: h, width: w)), ratio = p / f2
            if (ratio <= 0.6 || (ratio <= 0.85 && batch >= 8)) && p < best.products { best = (path, p) }
        }
        return best.path
    }

    /// Training (forward and backward) by F(3×3) where it needs at most 0.6 of F(2×2)'s
    /// multiplications (9×9: 225 against 400 per channel pair and image), else by F(2×2).
    static func trainingTiling(height h: Int, width w: Int) -> ConvolutionPlan.Path {
        let ratio = Double(winogradProducts(tile: 3, height: h, width: w)) / Double(winogradProducts(tile: 2, height: h, width: w))
        return ratio <= 0.6 ? .winograd3 : .winograd2
    }

    /// Multiplications per channel pair of an h×w image tiled by F(m×m, 3×3), partial tiles whole.
    static func winogradProducts(tile m: Int, height h: Int, width w: Int) -> Int {
        (m + 2) * (m + 2) * ((h + m - 1) / m) * ((w + m - 1) / m)
    }
}
