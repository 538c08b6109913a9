// The board's symmetries for training-data augmentation (RL/BoardSymmetry.swift): without
// gravity the grid's (the square's 8 for tic-tac-toe, else the rectangle's 4); with gravity only
// the left-right mirror, since a column's stones fall the same way in its mirror image.
import RL

extension ConnectionGame: SymmetricBoard {
    public var boardSymmetries: [BoardSymmetry] {
        let shape = observationShape
        return gravity ? BoardSymmetry.columnMirror(height: shape.height, width: shape.width)
                       : BoardSymmetry.grid(height: shape.height, width: shape.width)
    }
}
