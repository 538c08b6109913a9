// Search on a two-player game other than Go: tic-tac-toe positions with one right answer.
import BoardGames
@testable import MCTS
import RL
import Tensors
import XCTest

final class TicTacToeSearchTests: XCTestCase {
    func bestMove(after moves: [Int], selection: MCTSConfig.Selection) -> Int {
        var game = ConnectionGame.ticTacToe()
        for m in moves { _ = game.step(m) }
        var c = MCTSConfig()
        c.selection = selection
        c.simulations = 2_000
        let tree = MCTS(root: game, config: c, evaluator: RandomRolloutEvaluator(seed: 5), seed: 6)
        tree.search()
        return tree.bestAction()
    }

    func testSearchTakesTheWinAndBlocksTheThreat() {
        for selection in [MCTSConfig.Selection.uct, .puct] {
            // X: 0, 1; O: 3, 4; X to move wins at 2 (blocking O's row at 5 is second best).
            XCTAssertEqual(bestMove(after: [0, 3, 1, 4], selection: selection), 2, "\(selection)")
            // X: 0, 2; O: 4; O to move must block the top row at 1.
            XCTAssertEqual(bestMove(after: [0, 4, 2], selection: selection), 1, "\(selection)")
        }
    }
}
