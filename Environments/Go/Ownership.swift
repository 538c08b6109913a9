// Monte Carlo ownership: the fraction of light playouts, from the current position, in which
// each point ends as Black's (its stone or an empty region reaching only Black) — the usual
// dead-stone estimate for scoring games that stopped before every dead stone was captured.
import Tensors

extension GoBoard {
    /// Per action id (row·N + col): fraction of `playouts` in which the point ends Black's,
    /// and in which it ends White's (the rest is neutral).
    public func ownership(toPlay: Stone, playouts: Int, generator: inout SeededGenerator) -> (black: [Double], white: [Double]) {
        let n = size * size
        var black = [Double](repeating: 0, count: n), white = [Double](repeating: 0, count: n)
        for _ in 0..<playouts {
            var b = self
            b.playout(toPlay: toPlay, generator: &generator, maxMoves: 3 * n)
            let owner = b.areaOwners()
            for a in 0..<n {
                if owner[a] == .black { black[a] += 1 } else if owner[a] == .white { white[a] += 1 }
            }
        }
        let scale = 1 / Double(max(1, playouts))
        return (black.map { $0 * scale }, white.map { $0 * scale })
    }

    /// Tromp-Taylor owner of every point (action order): its stone's colour, or the colour an
    /// empty region reaches when it reaches only one, else `.empty`.
    public func areaOwners() -> [Stone] {
        var owner = [Stone](repeating: .empty, count: size * size)
        var visited = Set<Int>()
        for p in points {
            let stone = self[p]
            if stone == .black || stone == .white { owner[action(p)] = stone; continue }
            guard !visited.contains(p) else { continue }
            var region: [Int] = [], stack = [p], reaches = Set<Stone>()
            visited.insert(p)
            while let q = stack.popLast() {
                region.append(q)
                forEachNeighbour(q) { n in
                    let c = self[n]
                    if c == .empty { if visited.insert(n).inserted { stack.append(n) } } else if c != .border { reaches.insert(c) }
                }
            }
            if reaches.count == 1 { for q in region { owner[action(q)] = reaches.first! } }
        }
        return owner
    }
}
