// Go's playouts as the search's leaf evaluation (Environments/Go/Playout.swift and
// HeavyPlayout.swift): a playout from the leaf to the end, scored by Tromp-Taylor.
import Go
import MCTS
import RL
import Tensors

/// Go's light (or heavy) playout — random legal non-eye-filling moves to the end, heavy ones
/// trying captures, saves and shape around the last move first — and the Tromp-Taylor count as
/// the value: +1 for the winner, −1 for the loser. Other environments get random rollouts.
public struct GoPlayoutEvaluator: Evaluator, Sendable {
    public var generator: SeededGenerator
    var fallback: RandomRolloutEvaluator
    /// Report the playout's moves (RAVE needs them; plain UCT does not).
    public var recordsMoves: Bool
    public var heavy: Bool
    public init(seed: UInt64, recordsMoves: Bool = false, heavy: Bool = false) {
        self.recordsMoves = recordsMoves
        self.heavy = heavy
        generator = SeededGenerator(seed: seed)
        fallback = RandomRolloutEvaluator(seed: seed ^ 0x5EED)
    }

    public mutating func evaluate<E: Environment>(_ state: E, legal: [Int]) -> Evaluation {
        guard let game = state as? GoGame else { return fallback.evaluate(state, legal: legal) }
        var board = game.board
        var moves: [(action: Int32, player: Int8)] = []
        let cap = 3 * game.size * game.size
        if recordsMoves {
            moves.reserveCapacity(2 * game.size * game.size)
            let b = board
            let record = { (p: Int, c: Stone) in moves.append((Int32(b.action(p)), Int8(c.player))) }
            if heavy {
                board.heavyPlayout(toPlay: game.toPlay, generator: &generator, maxMoves: cap, lastMove: game.lastPoint, record: record)
            } else {
                board.playout(toPlay: game.toPlay, generator: &generator, maxMoves: cap, record: record)
            }
        } else if heavy {
            board.heavyPlayout(toPlay: game.toPlay, generator: &generator, maxMoves: cap, lastMove: game.lastPoint)
        } else {
            board.playout(toPlay: game.toPlay, generator: &generator, maxMoves: cap)
        }
        let margin = board.blackMargin(komi: game.komi)
        let black: Float = margin > 0 ? 1 : margin < 0 ? -1 : 0
        var e = Evaluation(priors: [Float](repeating: 1 / Float(max(1, legal.count)), count: legal.count), values: SIMD2(black, -black))
        e.playout = moves
        return e
    }
}
