// The Go board: stones, groups with pseudo-liberties, captures, the Zobrist hash, legality
// (occupied, suicide, simple ko), eyes and Tromp-Taylor area counting. Rules of the game
// (superko, passes, the end, komi) live in GoGame.swift; this type is the fast core that
// playouts and search hammer.
//
// Representation (point = index into the padded (N+2)² array, see Stone.swift):
// - every stone belongs to a group whose representative ("head") stores the group's stone
//   count and its pseudo-liberties: the number of (stone, empty neighbour) adjacencies, their
//   sum and sum of squares. A group is captured when the count is 0, and is in atari exactly
//   when all its pseudo-liberties are one point: count·Σq² = (Σq)².
// - stones of a group form a circular list (`next`), so merging relabels the smaller group and
//   splices the lists.
// - the empty points are kept in a list with each point's position in it, for uniform random
//   moves in O(1).
// All per-point arrays live in one allocation owned by a class; the struct copies it on the
// first write after a copy (copy-on-write), so `var copy = board` is cheap until it moves.

public struct GoBoard: Sendable {
    public let size: Int
    /// N + 2: the padded row length.
    public let width: Int
    public let pointCount: Int
    var storage: Storage
    public private(set) var emptyCount: Int
    /// Zobrist hash of the stones (not of the player to move).
    public private(set) var hash: UInt64 = 0
    /// The point where an immediate recapture would be a simple ko, or 0.
    public private(set) var koPoint = 0

    public init(size: Int) {
        precondition((2...19).contains(size), "board size must be 2…19, got \(size)")
        self.size = size
        width = size + 2
        pointCount = width * width
        storage = Storage(points: pointCount)
        emptyCount = 0
        let s = storage.pointers
        for p in 0..<pointCount {
            let r = p / width, c = p % width
            if r == 0 || c == 0 || r == width - 1 || c == width - 1 {
                s.color[p] = Int32(Stone.border.rawValue)
            } else {
                s.color[p] = 0
                s.emptyIndex[p] = Int32(emptyCount)
                s.emptyList[emptyCount] = Int32(p)
                emptyCount += 1
            }
        }
    }

    // MARK: Storage

    final class Storage: @unchecked Sendable {
        let points: Int
        let base: UnsafeMutablePointer<Int32>
        static let fields = 9

        init(points: Int) {
            self.points = points
            base = .allocate(capacity: points * Self.fields)
            base.initialize(repeating: 0, count: points * Self.fields)
        }

        deinit { base.deallocate() }

        func copy() -> Storage {
            let s = Storage(points: points)
            s.base.update(from: base, count: points * Self.fields)
            return s
        }

        struct Pointers {
            let color, group, next, emptyIndex, stones, libCount, libSum, libSumSq, emptyList: UnsafeMutablePointer<Int32>
        }

        var pointers: Pointers {
            let p = points
            return Pointers(color: base, group: base + p, next: base + 2 * p, emptyIndex: base + 3 * p,
                            stones: base + 4 * p, libCount: base + 5 * p, libSum: base + 6 * p,
                            libSumSq: base + 7 * p, emptyList: base + 8 * p)
        }
    }

    @inline(__always) mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    // MARK: Points

    @inline(__always) public func point(row: Int, col: Int) -> Int { (row + 1) * width + col + 1 }
    @inline(__always) public func rowCol(_ p: Int) -> (row: Int, col: Int) { (p / width - 1, p % width - 1) }
    /// Action id (row·N + col) of a point.
    @inline(__always) public func action(_ p: Int) -> Int { (p / width - 1) * size + p % width - 1 }
    /// Point of an action id (not the pass).
    @inline(__always) public func point(action: Int) -> Int { point(row: action / size, col: action % size) }

    @inline(__always) public subscript(p: Int) -> Stone { Stone(rawValue: UInt8(storage.pointers.color[p]))! }
    public subscript(row: Int, col: Int) -> Stone { self[point(row: row, col: col)] }

    /// The points of the board (not the border), row by row.
    public var points: [Int] { (0..<size).flatMap { r in (0..<size).map { c in point(row: r, col: c) } } }

    /// Calls `body` for the four neighbours of `p` (no array is built: this is the hot path).
    @inline(__always) func forEachNeighbour(_ p: Int, _ body: (Int) -> Void) {
        body(p - width); body(p - 1); body(p + 1); body(p + width)
    }

    // MARK: Groups

    /// Head (representative point) of the group at a stone.
    public func group(at p: Int) -> Int { Int(storage.pointers.group[p]) }
    public func stoneCount(ofGroupAt p: Int) -> Int { Int(storage.pointers.stones[group(at: p)]) }

    @inline(__always) static func inAtari(_ s: Storage.Pointers, _ g: Int) -> Bool {
        let n = Int64(s.libCount[g])
        let sum = Int64(s.libSum[g])
        return n > 0 && sum * sum == n * Int64(s.libSumSq[g])
    }

    /// The group's single liberty when it is in atari.
    public func atariLiberty(ofGroupAt p: Int) -> Int? {
        let s = storage.pointers, g = Int(s.group[p])
        return Self.inAtari(s, g) ? Int(s.libSum[g] / s.libCount[g]) : nil
    }

    /// Exact liberties of the group at a stone (a scan; for features, not for playouts).
    public func liberties(ofGroupAt p: Int) -> Set<Int> {
        var libs = Set<Int>()
        forEachStone(inGroupAt: p) { q in
            forEachNeighbour(q) { n in if self[n] == .empty { libs.insert(n) } }
        }
        return libs
    }

    public func forEachStone(inGroupAt p: Int, _ body: (Int) -> Void) {
        let next = storage.pointers.next
        var q = p
        repeat { body(q); q = Int(next[q]) } while q != p
    }

    @inline(__always) private static func addLiberty(_ s: Storage.Pointers, _ g: Int, _ q: Int) {
        s.libCount[g] &+= 1; s.libSum[g] &+= Int32(q); s.libSumSq[g] &+= Int32(q * q)
    }

    @inline(__always) private static func removeLiberty(_ s: Storage.Pointers, _ g: Int, _ q: Int) {
        s.libCount[g] &-= 1; s.libSum[g] &-= Int32(q); s.libSumSq[g] &-= Int32(q * q)
    }

    // MARK: Legality

    /// Whether `color` may play at empty point `p` by the board's rules: not suicide, not
    /// retaking a simple ko. (Positional superko is the game's rule: GoGame checks it.)
    @inline(__always)
    public func isLegal(_ p: Int, _ color: Stone) -> Bool {
        let s = storage.pointers
        guard s.color[p] == 0, p != koPoint else { return false }
        return !Self.isSuicide(s, p, color, width)
    }

    /// Legal ignoring simple ko (GoGame decides repetition by superko instead).
    public func isLegalIgnoringKo(_ p: Int, _ color: Stone) -> Bool {
        let s = storage.pointers
        return s.color[p] == 0 && !Self.isSuicide(s, p, color, width)
    }

    @inline(__always)
    static func isSuicide(_ s: Storage.Pointers, _ p: Int, _ color: Stone, _ width: Int) -> Bool {
        let own = Int32(color.rawValue)
        @inline(__always) func breathes(_ q: Int) -> Bool {
            let c = s.color[q]
            if c == 0 { return true }
            if c == 3 { return false }
            let inAtari = inAtari(s, Int(s.group[q]))
            return c == own ? !inAtari : inAtari   // own group keeps a liberty, or a capture
        }
        return !(breathes(p - width) || breathes(p - 1) || breathes(p + 1) || breathes(p + width))
    }

    // MARK: Playing

    /// Places a stone (the move must be legal) and returns how many stones it captured.
    @discardableResult
    public mutating func play(_ p: Int, _ color: Stone) -> Int {
        makeUnique()
        let s = storage.pointers
        let own = Int32(color.rawValue), enemy = Int32(color.opponent.rawValue)
        // Remove p from the empty list.
        let i = Int(s.emptyIndex[p]), last = Int(s.emptyList[emptyCount - 1])
        s.emptyList[i] = Int32(last); s.emptyIndex[last] = Int32(i)
        emptyCount -= 1
        s.color[p] = own
        hash ^= Zobrist.key(p, color)
        s.group[p] = Int32(p); s.next[p] = Int32(p); s.stones[p] = 1
        s.libCount[p] = 0; s.libSum[p] = 0; s.libSumSq[p] = 0
        forEachNeighbour(p) { q in
            let c = s.color[q]
            if c == 0 { Self.addLiberty(s, p, q) } else if c != 3 { Self.removeLiberty(s, Int(s.group[q]), p) }
        }
        forEachNeighbour(p) { q in
            guard s.color[q] == own else { return }
            let a = Int(s.group[p]), b = Int(s.group[q])
            if a != b { merge(s, a, b) }
        }
        var captured = 0, capturedAt = 0
        forEachNeighbour(p) { q in
            guard s.color[q] == enemy && s.libCount[Int(s.group[q])] == 0 else { return }
            capturedAt = q
            captured += capture(s, Int(s.group[q]))
        }
        // Simple ko: a single stone captured one stone and now has exactly that one liberty.
        let g = Int(s.group[p])
        koPoint = captured == 1 && s.stones[g] == 1 && s.libCount[g] == 1 ? capturedAt : 0
        return captured
    }

    /// Records a pass (clears the simple-ko point).
    public mutating func pass() { koPoint = 0 }

    private func merge(_ s: Storage.Pointers, _ a: Int, _ b: Int) {
        // Relabel the smaller group into the larger.
        let (big, small) = s.stones[a] >= s.stones[b] ? (a, b) : (b, a)
        var q = small
        repeat { s.group[q] = Int32(big); q = Int(s.next[q]) } while q != small
        let t = s.next[big]; s.next[big] = s.next[small]; s.next[small] = t
        s.stones[big] += s.stones[small]
        s.libCount[big] &+= s.libCount[small]; s.libSum[big] &+= s.libSum[small]; s.libSumSq[big] &+= s.libSumSq[small]
    }

    private mutating func capture(_ s: Storage.Pointers, _ g: Int) -> Int {
        let count = Int(s.stones[g])
        var q = g
        repeat {
            let next = Int(s.next[q])
            hash ^= Zobrist.key(q, Stone(rawValue: UInt8(s.color[q]))!)
            s.color[q] = 0
            s.emptyIndex[q] = Int32(emptyCount); s.emptyList[emptyCount] = Int32(q); emptyCount += 1
                forEachNeighbour(q) { n in
                let c = s.color[n]
                if c == 1 || c == 2 { Self.addLiberty(s, Int(s.group[n]), q) }
            }
            q = next
        } while q != g
        return count
    }

    /// The hash the board would have after `color` plays at `p` (legal), without playing.
    public func hash(afterPlaying p: Int, _ color: Stone) -> UInt64 {
        let s = storage.pointers
        var h = hash ^ Zobrist.key(p, color)
        let enemy = Int32(color.opponent.rawValue)
        var seen: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var k = 0
        forEachNeighbour(p) { q in
            guard s.color[q] == enemy else { return }
            let g = Int(s.group[q])
            guard Self.inAtari(s, g), g != seen.0, g != seen.1, g != seen.2, g != seen.3 else { return }
            switch k { case 0: seen.0 = g; case 1: seen.1 = g; case 2: seen.2 = g; default: seen.3 = g }
            k += 1
            forEachStone(inGroupAt: g) { h ^= Zobrist.key($0, color.opponent) }
        }
        return h
    }

    // MARK: Eyes and scoring

    /// A point the playout policy never fills for `color`: all four neighbours are its stones
    /// (or the edge) and the diagonals hold at most one enemy stone (none on the edge).
    @inline(__always)
    public func isEye(_ p: Int, _ color: Stone) -> Bool {
        let s = storage.pointers, w = width, own = Int32(color.rawValue)
        @inline(__always) func ownOrEdge(_ q: Int) -> Bool { let c = s.color[q]; return c == own || c == 3 }
        guard ownOrEdge(p - w) && ownOrEdge(p - 1) && ownOrEdge(p + 1) && ownOrEdge(p + w) else { return false }
        var enemies = 0, edge = 0
        let enemy = Int32(color.opponent.rawValue)
        @inline(__always) func diagonal(_ q: Int) {
            let c = s.color[q]
            if c == enemy { enemies += 1 } else if c == 3 { edge = 1 }
        }
        diagonal(p - w - 1); diagonal(p - w + 1); diagonal(p + w - 1); diagonal(p + w + 1)
        return enemies + edge < 2
    }

    /// Tromp-Taylor area: each colour's stones plus the empty regions that reach only that colour.
    public func area() -> (black: Int, white: Int) {
        let s = storage.pointers
        var black = 0, white = 0
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: pointCount) { visited in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: pointCount) { stack in
                visited.initialize(repeating: false)
                for row in 0..<size {
                    for col in 0..<size {
                        let p = point(row: row, col: col)
                        switch s.color[p] {
                        case 1: black += 1
                        case 2: white += 1
                        default:
                            guard !visited[p] else { continue }
                            var region = 0, reaches: Int32 = 0, top = 0
                            visited[p] = true; stack[0] = p; top = 1
                            while top > 0 {
                                top -= 1
                                let q = stack[top]
                                region += 1
                                forEachNeighbour(q) { n in
                                    let c = s.color[n]
                                    if c == 0 {
                                        if !visited[n] { visited[n] = true; stack[top] = n; top += 1 }
                                    } else if c != 3 { reaches |= c }
                                }
                            }
                            if reaches == 1 { black += region } else if reaches == 2 { white += region }
                        }
                    }
                }
            }
        }
        return (black, white)
    }

    /// Empty points (unordered).
    public var emptyPoints: [Int] { (0..<emptyCount).map { Int(storage.pointers.emptyList[$0]) } }
}
