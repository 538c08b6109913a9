// How a convolution runs, chosen in one place for its forward and its backward: the scatter of a
// mostly-zero first-layer input (Conv2D+SparseInput.swift), Winograd F(2×2, 3×3) or F(4×4, 3×3)
// for 3×3 stride-1 padding-1 convolutions (Conv2D+Winograd.swift), one product per sample for
// 1×1 ones, im2col + GEMM for the rest (Conv2D.swift). The forward records its plan and the
// backward follows it. Which path runs depends on the layer's settings and the input alone, so
// results stay deterministic.
import Tensors

struct ConvolutionPlan: Equatable {
    enum Path: Equatable { case sparseInput, winograd2, winograd4, pointwise, im2col }
    /// The forward's path and the backward's (they differ for a scattered input of middling
    /// density, and after an F(4×4) forward, which has no backward of its own).
    var forward: Path, backward: Path
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
            let large = !isTraining && usesLargeWinogradTiles && Self.largeTilesPay(height: x.shape[2], width: x.shape[3], batch: x.shape[0])
            return ConvolutionPlan(forward: large ? .winograd4 : .winograd2, backward: .winograd2)
        }
        return ConvolutionPlan(forward: dense, backward: dense)
    }

    /// F(4×4) only when its multiplications, partial tiles included, are at most 0.6 of
    /// F(2×2)'s, or at most 0.85 from batches of 8 on: its transforms cost more. Measured with
    /// `dojo bench az-infer` on 9×9 (ratio 0.81): F(2×2) 805 vs 600 positions/s at batch 1,
    /// F(4×4) 967 vs 917 at batch 8 and 1,130 vs 1,048 at batch 64; on 19×19 (ratio 0.56)
    /// F(4×4) is about 30% faster at batch 8 (`dojo bench mcts-nn`).
    static func largeTilesPay(height h: Int, width w: Int, batch: Int) -> Bool {
        let f4 = 36 * ((h + 3) / 4) * ((w + 3) / 4), f2 = 16 * ((h + 1) / 2) * ((w + 1) / 2)
        let ratio = Double(f4) / Double(f2)
        return ratio <= 0.6 || (ratio <= 0.85 && batch >= 8)
    }
}
