// Range checks for config keys, shared by every agent's `validate()`: each failure is one
// sentence naming the key, the value it has and the values it may take. Numbers must be finite
// (a NaN passes no comparison, so it is named as out of range too), and every size has an upper
// bound so that no config — typed or read from a file — can ask for absurd memory.
import Foundation

public struct ConfigCheck {
    /// Put before every message ("AlphaZero config: ").
    public let prefix: String

    public init(prefix: String = "") { self.prefix = prefix }

    public func require(_ ok: Bool, _ message: @autoclosure () -> String) throws {
        if !ok { throw ConfigError(prefix + message()) }
    }

    /// An integer key within `range`.
    public func count(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws {
        try require(range.contains(value), "\(name) must be in \(range.lowerBound)…\(range.upperBound), got \(value)")
    }

    /// A finite number accepted by `ok`; `allowed` says which in words ("> 0", "in 0…1").
    public func number(_ name: String, _ value: Double, _ allowed: String, _ ok: (Double) -> Bool) throws {
        try require(value.isFinite && ok(value), "\(name) must be \(allowed), got \(value)")
    }

    /// A finite number within `range`.
    public func number(_ name: String, _ value: Double, in range: ClosedRange<Double>) throws {
        try number(name, value, "in \(range.lowerBound)…\(range.upperBound)") { range.contains($0) }
    }

    /// A run needing `needed` bytes fits in this machine's memory (at most 80% of it); the
    /// error names what it is for (`what`: "minatar/breakout (replayCapacity 100000, …)") and
    /// what to lower.
    public func memory(_ needed: Double, for what: String, lower advice: String) throws {
        let available = Double(ProcessInfo.processInfo.physicalMemory)
        try require(needed <= 0.8 * available,
                    String(format: "this config needs about %.1f GB for %@, more than this machine's %.1f GB; %@",
                           needed / 1e9, what, available / 1e9, advice))
    }

    /// One of a few names.
    public func choice(_ name: String, _ value: String, _ choices: [String]) throws {
        try require(choices.contains(value), "\(name) must be \(Self.listed(choices)), got '\(value)'")
    }
}
