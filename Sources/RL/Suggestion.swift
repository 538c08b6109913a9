// "Did you mean …?" for names a user typed: the closest known name by edit distance, when it
// is close enough to be a typo (at most a third of the name's letters, and at least 1 … 2).
public enum Suggestion {
    /// The known name nearest to `typed`, or nil when none is plausibly meant.
    public static func closest(to typed: String, among names: [String]) -> String? {
        let typedLower = Array(typed.lowercased())
        var best: (name: String, distance: Int)?
        for name in names {
            let d = distance(typedLower, Array(name.lowercased()))
            if d < (best?.distance ?? .max) { best = (name, d) }
        }
        guard let best, best.distance <= max(2, typedLower.count / 3) else { return nil }
        return best.name
    }

    /// " (did you mean X?)" or "".
    public static func phrase(for typed: String, among names: [String]) -> String {
        closest(to: typed, among: names).map { " (did you mean \($0)?)" } ?? ""
    }

    /// Levenshtein distance with adjacent transpositions counted once (Damerau, restricted).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
