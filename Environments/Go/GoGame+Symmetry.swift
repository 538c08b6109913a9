// The square board's 8 symmetries as a game's symmetries for training-data augmentation
// (RL/BoardSymmetry.swift): one action per point, the pass unmoved.
import RL

extension GoGame: SymmetricBoard {
    public var boardSymmetries: [BoardSymmetry] {
        BoardSymmetry.grid(height: size, width: size, extraActions: actionCount - size * size)
    }
}
