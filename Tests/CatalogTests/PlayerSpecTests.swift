// One spec grammar for every command that takes a player (`play --opponent`, `watch --agent`,
// `gtp --agent`, `tournament --player`): the same words give the same player or the same
// sentence, wherever they are typed.
import Arena
@testable import Catalog
import Foundation
import Go
import RL
import XCTest

final class PlayerSpecTests: XCTestCase {
    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testOutsideEnginesAndCheckpointsAreJudgedAlikeByEveryCommand() throws {
        let go = GoGame(size: 5), ticTacToe = try EnvironmentCatalog.make("tic-tac-toe")
        // An outside engine plays Go only, and a broken one is found before any game.
        XCTAssertEqual(message { try AgentCatalog.make("gtp:/bin/cat", seed: 0, for: ticTacToe) },
                       "GTP engines play Go only, and this game is not Go")
        XCTAssertEqual(message { try PlayerCatalog.player(PlayerEntry(name: "e", spec: "gtp:/bin/cat"), seed: 0, for: ticTacToe) },
                       "player 'e': GTP engines play Go only, and this game is not Go")
        XCTAssertTrue(message { try AgentCatalog.make("gtp:/bin/false", seed: 0, for: go) }.contains("does not work as a GTP engine"))
        XCTAssertTrue(message { try PlayerCatalog.player(PlayerEntry(name: "e", spec: "gtp:/bin/false"), seed: 0, for: go) }
                        .contains("does not work as a GTP engine"))
        // checkpoint:PATH is the same file as PATH, in play and watch as in tournaments.
        let missing = "/nonexistent/dqn.safetensors"
        XCTAssertEqual(message { try AgentCatalog.make("checkpoint:" + missing, seed: 0, for: ticTacToe) },
                       message { try AgentCatalog.make(missing, seed: 0, for: ticTacToe) })
        XCTAssertTrue(message { try AgentCatalog.make("checkpoint:" + missing, seed: 0, for: go) }.contains("is a DQN, R2D2 or PPO checkpoint"))
    }

    func testATournamentSeatKeepsOneEngineAndMakesInProcessPlayersPerGame() throws {
        let engine = try PlayerCatalog.goSeat(PlayerEntry(name: "e", spec: "gtp:/bin/cat"), boardSize: 5)
        XCTAssertTrue(try engine(1) as AnyObject === engine(2) as AnyObject, "one engine process between games")
        let random = try PlayerCatalog.goSeat(PlayerEntry(name: "r", spec: "random"), boardSize: 5)
        func firstMoves(_ seed: UInt64) throws -> [Int] {
            var player = try random(seed)
            return (0..<8).map { _ in player.move(in: GoGame(size: 5), secondsLeft: nil).action ?? -1 }
        }
        XCTAssertEqual(try firstMoves(3), try firstMoves(3), "a game's seed fixes an in-process player")
        XCTAssertNotEqual(try firstMoves(3), try firstMoves(4))
    }

    /// An AlphaZero network plays with its training search's playouts unless told otherwise,
    /// but with at least 100: az:go9 was trained with 32-simulation Gumbel searches.
    func testANetworkTrainedWithFewSimulationsPlaysWithAtLeastAHundred() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Catalog/Networks/alphazero-go9.safetensors").path
        let bundled = try GoPlayerCatalog.alphaZeroSearch("checkpoint=\(file)")
        XCTAssertEqual(bundled.config.simulations, 32)
        XCTAssertEqual(bundled.search.simulations, 100)
        XCTAssertEqual(bundled.search.selection, .puct)
        XCTAssertEqual(try GoPlayerCatalog.alphaZeroSearch("checkpoint=\(file),playouts=50").search.simulations, 50)
    }
}
