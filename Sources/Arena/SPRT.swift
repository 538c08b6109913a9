// Sequential probability ratio test for a two-player match: stop as soon as the games so far
// say, with error rates α and β, whether the first player is `elo0` or `elo1` Elo stronger
// than the second. Uses the generalised SPRT with the normal approximation of the score
// (as chess engine testers do): with N games, mean score s and per-game score variance σ²,
//     LLR = N · (s1 − s0) · (2s − s0 − s1) / (2σ²),   s_k = 1 / (1 + 10^(−elo_k/400)),
// compared with the Wald bounds ln(β/(1−α)) (accept H0) and ln((1−β)/α) (accept H1).
// Half a win and half a loss are added to the counts so a clean sweep has a finite variance.
import Foundation

public struct SPRT: Sendable, Equatable, Codable {
    public var elo0: Double, elo1: Double, alpha: Double, beta: Double

    public init(elo0: Double = 0, elo1: Double = 50, alpha: Double = 0.05, beta: Double = 0.05) {
        self.elo0 = elo0; self.elo1 = elo1; self.alpha = alpha; self.beta = beta
    }

    /// "elo0=0,elo1=50,alpha=0.05,beta=0.05" (any subset; the rest keep their defaults).
    public static func parse(_ text: String) throws -> SPRT {
        var t = SPRT()
        for item in text.split(separator: ",") where !item.isEmpty {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, let v = Double(kv[1]) else { throw ArenaError("--sprt expects key=value pairs like elo0=0,elo1=50,alpha=0.05,beta=0.05; got '\(item)'") }
            switch kv[0] {
            case "elo0": t.elo0 = v
            case "elo1": t.elo1 = v
            case "alpha": t.alpha = v
            case "beta": t.beta = v
            default: throw ArenaError("unknown --sprt key '\(kv[0])'; use elo0, elo1, alpha, beta")
            }
        }
        guard t.elo1 > t.elo0 else { throw ArenaError("--sprt needs elo1 > elo0 (got \(t.elo0), \(t.elo1))") }
        guard (0..<0.5).contains(t.alpha), (0..<0.5).contains(t.beta), t.alpha > 0, t.beta > 0 else {
            throw ArenaError("--sprt alpha and beta must be in (0, 0.5)")
        }
        return t
    }

    public enum Decision: String, Sendable { case h0 = "H0", h1 = "H1", continuing = "continue" }

    public var lowerBound: Double { log(beta / (1 - alpha)) }
    public var upperBound: Double { log((1 - beta) / alpha) }

    static func expectedScore(_ elo: Double) -> Double { 1 / (1 + pow(10, -elo / 400)) }

    public func llr(wins: Double, draws: Double, losses: Double) -> Double {
        let w = wins + 0.5, l = losses + 0.5, d = draws
        let n = w + d + l
        let s = (w + d / 2) / n
        let variance = (w * (1 - s) * (1 - s) + d * (0.5 - s) * (0.5 - s) + l * s * s) / n
        let s0 = SPRT.expectedScore(elo0), s1 = SPRT.expectedScore(elo1)
        return n * (s1 - s0) * (2 * s - s0 - s1) / (2 * variance)
    }

    public func decision(wins: Double, draws: Double, losses: Double) -> Decision {
        let x = llr(wins: wins, draws: draws, losses: losses)
        if x >= upperBound { return .h1 }
        if x <= lowerBound { return .h0 }
        return .continuing
    }
}

