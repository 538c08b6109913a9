// What a search thinks of the root's moves, for analysis output (GTP `lz-analyze`, the
// window's overlay): visits, value and prior per move with its principal variation.
extension MCTS {
    /// The root's moves with their statistics (for the player to move at the root), most
    /// visited first, each with its principal variation of at most `pvLength` moves.
    public func analysis(pvLength: Int = 10) -> [(action: Int, visits: Int, value: Double, prior: Double, pv: [Int])] {
        let root = nodes[0]
        guard root.expanded else { return [] }
        let mover = Int(root.player)
        var lines: [(action: Int, visits: Int, value: Double, prior: Double, pv: [Int])] = []
        for c in Int(root.firstChild)..<Int(root.firstChild + root.childCount) where nodes[c].visits > 0 {
            var pv = [Int(nodes[c].action)], n = c
            while pv.count < pvLength, nodes[n].expanded, nodes[n].childCount > 0 {
                let first = Int(nodes[n].firstChild)
                let best = (first..<(first + Int(nodes[n].childCount))).max { nodes[$0].visits < nodes[$1].visits }!
                guard nodes[best].visits > 0 else { break }
                pv.append(Int(nodes[best].action))
                n = best
            }
            lines.append((Int(nodes[c].action), Int(nodes[c].visits), Double(nodes[c].valueSum[mover]) / Double(nodes[c].visits),
                          Double(nodes[c].prior), pv))
        }
        return lines.sorted { $0.visits > $1.visits || ($0.visits == $1.visits && $0.action < $1.action) }
    }
}
