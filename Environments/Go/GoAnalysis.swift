// What a searching player can tell about a position while it thinks, for GTP analysis
// (`lz-analyze` and friends, GTPSession+Analysis.swift): per candidate move its visits, the
// win rate for the side to move (0…1), the network's or search's prior, a lower confidence
// bound, and the principal variation.
import RL

public struct MoveAnalysis: Equatable, Sendable {
    public var action: Int
    public var visits: Int
    /// For the side to move at the analysed position, 0…1.
    public var winrate: Double
    public var prior: Double
    /// winrate − 1.96·0.5/√visits (a binomial bound with the largest possible spread).
    public var lcb: Double
    /// Actions from this move on, most visited child first.
    public var pv: [Int]
    public init(action: Int, visits: Int, winrate: Double, prior: Double, lcb: Double, pv: [Int]) {
        self.action = action; self.visits = visits; self.winrate = winrate; self.prior = prior; self.lcb = lcb; self.pv = pv
    }
}

public protocol AnalyzingGoPlayer: GoPlayer {
    /// Searches `game` for the side to move, reporting the root's moves (most visited first)
    /// about every `interval` seconds, until `shouldStop()` says so or — when `budget` is true —
    /// the player's own search budget is spent. Returns the move it would play.
    mutating func analyze(_ game: GoGame, interval: Double, budget: Bool,
                          shouldStop: () -> Bool, report: ([MoveAnalysis]) -> Void) -> Move
}

/// A player whose network predicts who will own each point at the end (KataGo's ownership
/// head), which `dojo-ownership` shows instead of Monte Carlo playouts.
public protocol OwnershipPredictingGoPlayer: GoPlayer {
    /// Per point, row-major from the top row: +1 Black will own it, −1 White; nil when the
    /// player has no such prediction.
    func predictedOwnership(_ game: GoGame) -> [Float]?
}
