// Elo ratings from a Bradley-Terry maximum-likelihood fit over all games at once (not averages
// of pairwise results): P(i beats j) = 1 / (1 + 10^((Rj − Ri)/400)), a draw counted as half a
// win for each side. Ratings are anchored on one player (0 by convention: the random player),
// and the 95% intervals come from the inverse of the observed information (the Hessian of the
// log-likelihood at the optimum, anchor held fixed): R ± 1.96·sd.
//
// A player who won (or lost) every game has no finite maximum-likelihood rating. `priorDraws`
// adds that many virtual drawn games to every pairing that played (BayesElo's device), which
// keeps every rating finite and pulls perfect scores in by a bounded amount; 0 gives the pure
// fit, which then fails with a sentence when some player's rating would be infinite.
import Foundation

public struct PairResult: Sendable, Equatable {
    public var a: Int, b: Int
    /// a's score: 1 win, 0.5 draw, 0 loss.
    public var scoreA: Double
    public init(_ a: Int, _ b: Int, scoreA: Double) { self.a = a; self.b = b; self.scoreA = scoreA }
}

public struct Rating: Sendable, Equatable, Codable {
    /// Elo relative to the anchor; nil when the player is not connected to the anchor by games.
    public var elo: Double?
    /// Half-width of the 95% interval (0 for the anchor).
    public var halfWidth95: Double?
    public var games: Double
    public var score: Double
}

public enum BradleyTerry {
    static let eloPerNat = 400 / log(10.0)

    public static func fit(players: Int, results: [PairResult], anchor: Int, priorDraws: Double = 1) throws -> [Rating] {
        precondition((0..<players).contains(anchor), "anchor out of range")
        var wins = [[Double]](repeating: [Double](repeating: 0, count: players), count: players)
        var count = wins
        for r in results where r.a != r.b {
            wins[r.a][r.b] += r.scoreA
            wins[r.b][r.a] += 1 - r.scoreA
            count[r.a][r.b] += 1
            count[r.b][r.a] += 1
        }
        var ratings = (0..<players).map { i in
            Rating(elo: nil, halfWidth95: nil, games: count[i].reduce(0, +), score: wins[i].reduce(0, +))
        }
        if priorDraws > 0 {
            for i in 0..<players { for j in 0..<players where count[i][j] > 0 {
                wins[i][j] += priorDraws / 2
                count[i][j] += priorDraws
            } }
        }
        // Only players joined to the anchor by games can be rated against it.
        var component = [anchor], seen = Set([anchor])
        var k = 0
        while k < component.count {
            let i = component[k]; k += 1
            for j in 0..<players where count[i][j] > 0 && seen.insert(j).inserted { component.append(j) }
        }
        component.sort()
        if priorDraws == 0 { try checkFinite(component, wins: wins) }
        let free = component.filter { $0 != anchor }
        var theta = [Double](repeating: 0, count: players)
        func logLikelihood(_ t: [Double]) -> Double {
            var l = 0.0
            for i in component { for j in component where count[i][j] > 0 {
                l += wins[i][j] * -log1p(exp(t[j] - t[i]))
            } }
            return l
        }
        func information(_ t: [Double]) -> [[Double]] {
            free.map { i in free.map { j in
                if i == j { return component.reduce(0) { $0 + count[i][$1] * pq(t[i] - t[$1]) } }
                return -count[i][j] * pq(t[i] - t[j])
            } }
        }
        for _ in 0..<200 where !free.isEmpty {
            let gradient = free.map { i in component.reduce(0.0) { $0 + wins[i][$1] - count[i][$1] * sigmoid(theta[i] - theta[$1]) } }
            guard let step = solve(information(theta), gradient) else { break }
            var scale = 1.0, current = logLikelihood(theta), next = theta
            repeat {   // Newton with step halving: the log-likelihood is concave, so this ends.
                next = theta
                for (k, i) in free.enumerated() { next[i] += scale * step[k] }
                scale /= 2
            } while logLikelihood(next) < current - 1e-12 && scale > 1e-8
            let moved = zip(next, theta).map { abs($0 - $1) }.max() ?? 0
            theta = next
            current = logLikelihood(theta)
            if moved < 1e-10 { break }
        }
        let covariance = invert(information(theta))
        for i in component {
            ratings[i].elo = theta[i] * eloPerNat
            if i == anchor { ratings[i].halfWidth95 = 0; continue }
            if let covariance, let k = free.firstIndex(of: i) {
                ratings[i].halfWidth95 = 1.96 * covariance[k][k].squareRoot() * eloPerNat
            }
        }
        return ratings
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    static func pq(_ x: Double) -> Double { let p = sigmoid(x); return p * (1 - p) }

    /// Without a prior the fit is finite only if, within the rated group, every player can be
    /// reached from every other through "scored against" links (Zermelo's condition).
    static func checkFinite(_ component: [Int], wins: [[Double]]) throws {
        for start in component {
            var reached = Set([start]), stack = [start]
            while let i = stack.popLast() {
                for j in component where wins[i][j] > 0 && reached.insert(j).inserted { stack.append(j) }
            }
            if reached.count < component.count {
                throw ArenaError("player \(start) has no finite maximum-likelihood rating (the results separate the players into groups that won every game between them); rate with a prior (--prior-draws 1) or play more games")
            }
        }
    }

    /// Solves A·x = b (A symmetric positive definite, small) by Gaussian elimination with partial
    /// pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, x = b
        for c in 0..<n {
            guard let p = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-300 else { return nil }
            m.swapAt(c, p); x.swapAt(c, p)
            for r in (c + 1)..<max(c + 1, n) {
                let f = m[r][c] / m[c][c]
                if f == 0 { continue }
                for k in c..<n { m[r][k] -= f * m[c][k] }
                x[r] -= f * x[c]
            }
        }
        for c in stride(from: n - 1, through: 0, by: -1) {
            var s = x[c]
            for k in (c + 1)..<max(c + 1, n) { s -= m[c][k] * x[k] }
            x[c] = s / m[c][c]
        }
        return x
    }

    static func invert(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for c in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[c] = 1
            guard let x = solve(a, e) else { return nil }
            columns.append(x)
        }
        return (0..<n).map { r in (0..<n).map { c in columns[c][r] } }
    }
}
