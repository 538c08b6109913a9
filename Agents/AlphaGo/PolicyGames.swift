// Many games played in lock-step by policy networks, one batched network call per network per
// ply: the self-play engine of the policy-gradient and value stages. Each move comes from a
// `MoveSource` chosen per game and ply — a network (a move sampled from its distribution over
// the sensible points) or a uniformly random sensible move — and a side passes when it has no
// sensible move, so games end by two passes on a board filled up to the eyes and the
// Tromp-Taylor count is the real result. Moves are sampled from one generator in game order,
// so the games depend on the seed only (features are computed on `Parallel.threads` workers,
// each game in its own slot).
import Go
import Tensors

public enum MoveSource: Equatable, Sendable {
    case network(Int)   // index into the networks passed to `PolicyGames.play`
    case random
}

/// A position kept from a game: the 48 planes for the player to move and the move played.
public struct PlayedPosition: Sendable {
    public let planes: PackedPlanes
    public let color: Stone
    public let action: Int
    public let ply: Int
}

public struct PlayedGame: Sendable {
    public var game: GoGame
    public var kept: [PlayedPosition] = []
    /// The winner by area count with komi (nil: a draw).
    public var winner: Stone? {
        let m = game.blackMargin
        return m > 0 ? .black : m < 0 ? .white : nil
    }
    /// +1 if `color` won, −1 if it lost, 0 for a draw.
    public func reward(for color: Stone) -> Float { winner.map { $0 == color ? 1 : -1 } ?? 0 }
}

public enum PolicyGames {
    /// Plays `count` games from the empty board. `source(game, ply)` picks who moves;
    /// `keep(game, ply, color)` says which positions to return with their planes.
    public static func play(count: Int, config: AlphaGoConfig, networks: [PolicyNetwork], generator: inout SeededGenerator,
                            source: (Int, Int) -> MoveSource, keep: (Int, Int, Stone) -> Bool) -> [PlayedGame] {
        let n = config.boardSize, area = n * n
        var games = (0..<count).map { _ in PlayedGame(game: GoGame(size: n, komi: config.komi, maxMoves: config.maxMoves)) }
        var features = [[Float]](repeating: [], count: count)
        while true {
            let active = games.indices.filter { !games[$0].game.isOver }
            if active.isEmpty { break }
            features.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let slots = slots
                let snapshot = games
                Parallel.forEach(active.count) { i, _ in slots[active[i]] = snapshot[active[i]].game.alphaGoFeatures() }
            }
            var chosen = [Int](repeating: area, count: count)
            var byNetwork: [Int: [Int]] = [:]
            var random: [Int] = []
            for g in active {
                switch source(g, games[g].game.moves.count) {
                case .network(let k): byNetwork[k, default: []].append(g)
                case .random: random.append(g)
                }
            }
            var distributions = [[Float]](repeating: [], count: count)
            for (k, members) in byNetwork.sorted(by: { $0.key < $1.key }) {
                for (g, d) in zip(members, networks[k].distributions(features: members.map { features[$0] })) { distributions[g] = d }
            }
            for g in active {   // game order: the generator's draws do not depend on the grouping
                if distributions[g].isEmpty {
                    let sensible = AlphaGoInputs.sensibleMoves(features[g], size: n)
                    chosen[g] = sensible.isEmpty ? area : sensible[generator.nextInt(below: sensible.count)]
                } else {
                    chosen[g] = sample(distributions[g], &generator)
                }
                let ply = games[g].game.moves.count, color = games[g].game.toPlay
                if keep(g, ply, color) {
                    games[g].kept.append(PlayedPosition(planes: PackedPlanes(features[g], planes: GoGame.alphaGoPolicyPlanes, size: n),
                                                        color: color, action: chosen[g], ply: ply))
                }
                _ = games[g].game.step(chosen[g])
            }
        }
        return games
    }

    /// An index drawn with the given probabilities.
    static func sample(_ p: [Float], _ generator: inout SeededGenerator) -> Int {
        let u = generator.nextUniform()
        var acc: Float = 0, last = p.count - 1
        for (i, q) in p.enumerated() where q > 0 {
            acc += q
            last = i
            if u < acc { return i }
        }
        return last
    }
}
