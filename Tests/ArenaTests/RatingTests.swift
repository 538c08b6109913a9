// Bradley-Terry ratings and the SPRT against hand-computed values and a published fit.
@testable import Arena
import Foundation
import XCTest

final class RatingTests: XCTestCase {
    func elo(_ p: Double) -> Double { 400 * log10(p) }

    func testTwoPlayersGiveTheLogOddsOfTheScore() throws {
        // 3 wins in 4: P = 3/4 ⇒ R = 400·log10(3) = 190.85; information n·p·q = 4·3/16 = 0.75,
        // so the 95% half-width is 1.96/√0.75 nats.
        let results = [PairResult(1, 0, scoreA: 1), PairResult(1, 0, scoreA: 1), PairResult(0, 1, scoreA: 1), PairResult(0, 1, scoreA: 0)]
        let r = try BradleyTerry.fit(players: 2, results: results, anchor: 0, priorDraws: 0)
        XCTAssertEqual(r[0].elo!, 0, accuracy: 1e-9)
        XCTAssertEqual(r[1].elo!, elo(3), accuracy: 1e-6)
        XCTAssertEqual(r[1].halfWidth95!, 1.96 / 0.75.squareRoot() * 400 / log(10), accuracy: 1e-6)
        XCTAssertEqual(r[1].games, 4)
        XCTAssertEqual(r[1].score, 3)
    }

    func testDrawsCountHalfAndThePriorKeepsPerfectScoresFinite() throws {
        // 1 win + 2 draws of 3 = score 2 of 3 ⇒ odds 2 ⇒ 400·log10(2).
        let drawn = [PairResult(0, 1, scoreA: 1), PairResult(0, 1, scoreA: 0.5), PairResult(1, 0, scoreA: 0.5)]
        XCTAssertEqual(try BradleyTerry.fit(players: 2, results: drawn, anchor: 1, priorDraws: 0)[0].elo!, elo(2), accuracy: 1e-6)
        // 4–0 has no finite maximum-likelihood rating…
        let sweep = Array(repeating: PairResult(0, 1, scoreA: 1), count: 4)
        XCTAssertThrowsError(try BradleyTerry.fit(players: 2, results: sweep, anchor: 1, priorDraws: 0))
        // …and one virtual draw makes it 4.5 of 5: odds 9.
        XCTAssertEqual(try BradleyTerry.fit(players: 2, results: sweep, anchor: 1, priorDraws: 1)[0].elo!, elo(9), accuracy: 1e-6)
    }

    func testPublishedWorkedExample() throws {
        // The worked example of the Wikipedia article "Bradley–Terry model": wins of row over
        // column for A, B, C, D; the published strengths (normalised to geometric mean 1) are
        // 0.640, 1.043, 0.660, 2.270.
        let wins = [[0, 2, 0, 1], [3, 0, 5, 0], [0, 3, 0, 1], [4, 0, 3, 0]]
        var results: [PairResult] = []
        for i in 0..<4 { for j in 0..<4 { for _ in 0..<wins[i][j] { results.append(PairResult(i, j, scoreA: 1)) } } }
        let r = try BradleyTerry.fit(players: 4, results: results, anchor: 0, priorDraws: 0)
        let published = [0.640, 1.043, 0.660, 2.270]
        for i in 1..<4 {
            // Three published digits: strengths within ±0.0005 ⇒ Elo within about ±0.5.
            XCTAssertEqual(r[i].elo!, elo(published[i] / published[0]), accuracy: 0.6, "player \(i)")
        }
    }

    func testPlayersWithoutGamesAgainstTheAnchorGroupAreNotRated() throws {
        let r = try BradleyTerry.fit(players: 4, results: [PairResult(0, 1, scoreA: 1), PairResult(2, 3, scoreA: 1)], anchor: 0)
        XCTAssertNotNil(r[1].elo)
        XCTAssertNil(r[2].elo)
        XCTAssertNil(r[3].elo)
    }

    func testSPRTMatchesTheFormulaAndDecides() throws {
        let t = SPRT(elo0: 0, elo1: 50, alpha: 0.05, beta: 0.05)
        // 30 wins, 10 draws, 20 losses (+ half a win and half a loss): N = 61, s = 35.5/61.
        let n = 61.0, s = 35.5 / 61
        let variance = (30.5 * (1 - s) * (1 - s) + 10 * (0.5 - s) * (0.5 - s) + 20.5 * s * s) / n
        let s0 = 0.5, s1 = 1 / (1 + pow(10, -50.0 / 400))
        XCTAssertEqual(t.llr(wins: 30, draws: 10, losses: 20), n * (s1 - s0) * (2 * s - s0 - s1) / (2 * variance), accuracy: 1e-12)
        XCTAssertEqual(t.upperBound, log(19), accuracy: 1e-12)
        XCTAssertEqual(t.decision(wins: 30, draws: 10, losses: 20), .continuing)
        XCTAssertEqual(t.decision(wins: 60, draws: 0, losses: 20), .h1)
        XCTAssertEqual(t.decision(wins: 20, draws: 0, losses: 40), .h0)
        XCTAssertThrowsError(try SPRT.parse("elo0=10,elo1=5"))
        XCTAssertThrowsError(try SPRT.parse("gamma=1"))
        XCTAssertEqual(try SPRT.parse("elo1=30,alpha=0.1"), SPRT(elo0: 0, elo1: 30, alpha: 0.1, beta: 0.05))
    }
}
