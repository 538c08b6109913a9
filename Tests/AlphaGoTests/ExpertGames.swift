// A synthetic "expert" for the supervised-policy tests: on every move it plays the sensible
// point with the most liberties after the move (AlphaGo planes 36–43), ties broken by a seeded
// generator, passing when nothing sensible is left. The rule is symmetric under the board's
// symmetries (so augmentation does not blur it) and readable from the input planes, so a small
// network can learn it; its ties bound the best accuracy anyone can reach.
import AlphaGo
import Foundation
import Go
import Tensors

enum ExpertGames {
    /// The liberties-after-move bucket (1…8) of each sensible point.
    static func scores(_ features: [Float], size n: Int) -> [(point: Int, score: Int)] {
        let area = n * n
        return AlphaGoInputs.sensibleMoves(features, size: n).map { a in
            (a, (0..<8).first { features[(36 + $0) * area + a] != 0 }.map { $0 + 1 } ?? 0)
        }
    }

    /// The expert's choices in `game` (every best-scoring sensible point; empty ⇒ pass).
    static func best(_ game: GoGame) -> [Int] {
        let s = scores(game.alphaGoFeatures(), size: game.size)
        guard let top = s.map(\.score).max() else { return [] }
        return s.filter { $0.score == top }.map(\.point)
    }

    /// Writes `count` expert games as SGF files game_N.sgf into `directory`.
    static func write(count: Int, size n: Int, seed: UInt64, to directory: String) throws {
        var generator = SeededGenerator(seed: seed)
        for g in 0..<count {
            var game = GoGame(size: n, komi: 0.5, maxMoves: 2 * n * n)
            while !game.isOver {
                let choices = best(game)
                _ = game.step(choices.isEmpty ? game.passAction : choices[generator.nextInt(below: choices.count)])
            }
            let text = SGF.serialize([SGF.tree(for: game)])
            try text.write(toFile: "\(directory)/game_\(g).sgf", atomically: true, encoding: .utf8)
        }
    }
}
