// How a finished two-player game's result is written for logs and game records. A game with a
// notation of its own states it by conforming to `ResultDescribing` (Go: SGF's "B+3.5", "W+R");
// every other game is described in words ("first player won", "draw").

public protocol ResultDescribing {
    /// The result, from the final outcome per player and the player who resigned, if one did.
    func resultText(outcome: SIMD2<Float>, resignedBy loser: Int?) -> String
}

public enum GameResult {
    /// `game`'s own notation, or words.
    public static func text(_ game: some Environment, outcome: SIMD2<Float>, resignedBy loser: Int?) -> String {
        if let described = game as? ResultDescribing { return described.resultText(outcome: outcome, resignedBy: loser) }
        let winner = outcome[0] > outcome[1] ? "first player" : outcome[1] > outcome[0] ? "second player" : nil
        guard let winner else { return "draw" }
        return winner + (loser != nil ? " won by resignation" : " won")
    }
}
