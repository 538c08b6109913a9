// Go's final ownership for AlphaZero's auxiliary targets: Tromp-Taylor area owners (stones,
// and empty regions that reach only one colour) with Black as the first player, and Black's
// margin after komi.
import RL

extension GoGame: OwnershipScoring {
    public func finalOwnership() -> (owners: [Float], margin: Float) {
        let owners = board.areaOwners().map { stone -> Float in stone == .black ? 1 : stone == .white ? -1 : 0 }
        return (owners, Float(blackMargin))
    }
}
