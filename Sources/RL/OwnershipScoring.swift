// Games that end with every point of the board owned by one player or by none, and a score
// margin (Go's area scoring). AlphaZero learns both as KataGo's auxiliary targets (Wu 2019,
// §4.2): predicting who ends up owning each point teaches the trunk what a group's life is
// worth long before the game's single win or loss can.
public protocol OwnershipScoring {
    /// The owner of each point (row-major over the observation's height × width): +1 the first
    /// player, −1 the second, 0 neither; and the first player's score margin — as the board
    /// stands, counted by the game's own rules.
    func finalOwnership() -> (owners: [Float], margin: Float)
}
