// What a Go player asks of the networks it is given: they evaluate positions of one board
// size, so a player can refuse a game of another size before it starts.
import MCTS

/// A batched evaluator of Go positions of one board size (the network players' evaluators).
public protocol GoBoardEvaluator: BatchEvaluator {
    var boardSize: Int { get }
}

extension NetworkEvaluator: GoBoardEvaluator {}

/// Knowledge about Go positions of one board size (AlphaGo's networks).
public protocol GoNodeKnowledge: NodeKnowledge {
    var boardSize: Int { get }
}
