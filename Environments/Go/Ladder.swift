// A small ladder reader for the AlphaGo features. A ladder: the defender's group has one
// liberty; the defender extends there; if that leaves exactly two liberties the attacker
// ataris again from one side, and so on. The defender escapes when an extension reaches three
// or more liberties or when it can capture an attacking stone that is itself in atari; the
// attacker wins when the extension leaves one liberty (or none is playable). Reading stops at
// `maxDepth` plies, counted as an escape.

extension GoBoard {
    /// Whether the group at `stone` (in atari, its owner to move) is captured in a ladder.
    public func ladderCaptures(groupAt stone: Int, maxDepth: Int = 100) -> Bool {
        guard maxDepth > 0, let liberty = atariLiberty(ofGroupAt: stone) else { return false }
        let defender = self[stone], attacker = defender.opponent
        // Escape by capturing an attacker group in atari next to the defender's stones.
        var canCapture = false
        forEachStone(inGroupAt: stone) { q in
            forEachNeighbour(q) { n in
                if self[n] == attacker, let l = atariLiberty(ofGroupAt: n), isLegalIgnoringKo(l, defender) { canCapture = true }
            }
        }
        if canCapture { return false }
        guard isLegalIgnoringKo(liberty, defender) else { return true }
        var extended = self
        extended.play(liberty, defender)
        let libs = extended.liberties(ofGroupAt: stone)
        if libs.count >= 3 { return false }
        if libs.count <= 1 { return true }
        // Two liberties: the attacker tries each as the next atari.
        for atari in libs where extended.isLegalIgnoringKo(atari, attacker) {
            var next = extended
            next.play(atari, attacker)
            // An atari stone that is itself left in atari is no threat (the defender takes it).
            if next.atariLiberty(ofGroupAt: atari) != nil && next.liberties(ofGroupAt: atari).count == 1 { continue }
            if next[stone] == defender, next.ladderCaptures(groupAt: stone, maxDepth: maxDepth - 2) { return true }
        }
        return false
    }

    /// Ladder capture feature: `color` playing at `p` ataris an enemy group that the ladder then captures.
    public func isLadderCapture(_ p: Int, _ color: Stone) -> Bool {
        guard isLegalIgnoringKo(p, color) else { return false }
        var after = self
        after.play(p, color)
        if after.atariLiberty(ofGroupAt: p) != nil { return false }    // self-atari is no ladder
        var found = false
        after.forEachNeighbour(p) { n in
            if !found, after[n] == color.opponent, after.atariLiberty(ofGroupAt: n) != nil, after.ladderCaptures(groupAt: n) { found = true }
        }
        return found
    }

    /// Ladder escape feature: one of `color`'s groups is in atari with its liberty at `p`, and
    /// extending there escapes the ladder.
    public func isLadderEscape(_ p: Int, _ color: Stone) -> Bool {
        var inAtari = false
        forEachNeighbour(p) { n in if self[n] == color, atariLiberty(ofGroupAt: n) == p { inAtari = true } }
        guard inAtari, isLegalIgnoringKo(p, color) else { return false }
        var after = self
        after.play(p, color)
        let libs = after.liberties(ofGroupAt: p).count
        if libs >= 3 { return true }
        if libs <= 1 { return false }
        for atari in after.liberties(ofGroupAt: p) where after.isLegalIgnoringKo(atari, color.opponent) {
            var next = after
            next.play(atari, color.opponent)
            if next[p] == color, next.ladderCaptures(groupAt: p) { return false }
        }
        return true
    }
}
