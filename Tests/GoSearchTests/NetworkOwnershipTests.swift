// An AlphaZero network's ownership head as GTP's `dojo-ownership` (issue 22 §1): the player's
// prediction is the head's output turned to Black's view (the head is trained for the player to
// move), GTP prints exactly that, and a network without the head falls back to playouts.
import Go
import GoSearch
import MCTS
import Neural
import RL
import Tensors
import XCTest

final class NetworkOwnershipTests: XCTestCase {
    func evaluator(ownership: Bool) -> NetworkEvaluator {
        let shape = GoGame(size: 5).observationShape
        var generator = SeededGenerator(seed: 4)
        let network = TwoHeadNetwork.policyValue(height: 5, width: 5, planes: shape.channels, actions: 26, filters: 8, blocks: 1, valueHidden: 8,
                                                 ownership: ownership, generator: &generator)
        // Untrained, the head's outputs are ~1e-4; larger weights make them differ in print.
        for p in network.ownershipHead?.parameters ?? [] { Kernels.scale(p.value.count, 300, p.value.scratchPointer) }
        return NetworkEvaluator(network: network, observationShape: shape, actionCount: 26)
    }

    /// The head's raw output for `game` (for the player to move).
    func head(_ e: NetworkEvaluator, _ game: GoGame) throws -> [Float] {
        let shape = game.observationShape
        let input = Tensor(zeros: [1, shape.channels, shape.height, shape.width])
        game.observe(into: UnsafeMutableBufferPointer(start: input.scratchPointer, count: shape.count))
        let out = try XCTUnwrap(e.network.forwardAll(input).ownership)
        return (0..<out.count).map { out.pointer[$0] }
    }

    func testThePredictionIsTheHeadSeenFromBlack() throws {
        let e = evaluator(ownership: true)
        var game = GoGame(size: 5, komi: 0.5)
        _ = game.step(12)   // C3
        _ = game.step(8)    // D4
        _ = game.step(16)   // B2; White to move
        let player = MCTSGoPlayer(config: try MCTSConfig.parse("playouts=8"), seed: 1, network: e)
        let predicted = try XCTUnwrap(player.predictedOwnership(game))
        let raw = try head(e, game)
        XCTAssertEqual(predicted.count, 25)
        XCTAssertEqual(predicted, raw.map { -$0 }, "White to move: the head's view is White's")
        XCTAssertGreaterThan(Set(raw.map { ($0 * 100).rounded() }).count, 5, "the head varies over the board in print")
        let session = GTPSession(player: player, size: 5, komi: 0.5)
        for move in ["play b C3", "play w D4", "play b B2"] { XCTAssertEqual(session.respond(to: move), "=\n\n") }
        let rows = try XCTUnwrap(session.respond(to: "dojo-ownership")).split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 5)
        let printed = rows.flatMap { $0.split(separator: " ").compactMap { Double($0) } }
        XCTAssertEqual(printed, predicted.map { Double(String(format: "%.2f", $0)) ?? .nan })
        XCTAssertEqual(session.respond(to: "dojo-ownership"), session.respond(to: "dojo-ownership"), "a network answers the same twice")
    }

    func testANetworkWithoutTheHeadFallsBackToPlayouts() throws {
        let player = MCTSGoPlayer(config: try MCTSConfig.parse("playouts=8"), seed: 1, network: evaluator(ownership: false))
        XCTAssertNil(player.predictedOwnership(GoGame(size: 5)))
        let session = GTPSession(player: player, size: 5, komi: 0.5)
        _ = session.respond(to: "play b C3")
        let rows = try XCTUnwrap(session.respond(to: "dojo-ownership")).split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 5)
        XCTAssertGreaterThan(Double(rows[2].split(separator: " ")[2]) ?? 0, 0.05, "playouts: Black's stone's point leans Black")
    }
}
