// GTP analysis for GUIs: Leela Zero's `lz-analyze` / `lz-genmove_analyze` (also answered as
// `analyze` / `genmove_analyze`), as Sabaki and Lizzie use them, and GoGui's analyze commands.
//
// `lz-analyze [colour] [interval] [interval N]`: answers "=" at once, then every interval
// (centiseconds, default 100) one line
//     info move D4 visits 120 winrate 5342 prior 1207 lcb 5210 order 0 pv D4 Q16 ... info move ...
// (win rate, prior and lower confidence bound in units of 1/10000, for the side to move) until
// the next command arrives; a blank line then ends the response and the new command is
// answered. `lz-genmove_analyze` streams the same lines while it searches with the player's own
// budget, then prints `play D4` (or `play pass`, `play resign`), plays the move and ends.
// Streaming needs `output` (where lines go) and `inputPending` (is another command waiting?).
import Foundation
import RL

extension GTPSession {
    public static let analysisCommands = ["lz-analyze", "lz-genmove_analyze", "analyze", "genmove_analyze",
                                          "gogui-analyze_commands", "dojo-visits", "dojo-ownership"]

    /// GoGui's analyze commands: type/label/command.
    static let goguiAnalyzeCommands = [
        "pspairs/Dojo visits/dojo-visits",
        "dboard/Dojo ownership (Black +1, White −1)/dojo-ownership",
    ]

    /// Handles an analysis command: nil when the response was streamed to `output`.
    func respondAnalyzing(_ c: GTPCommand) -> String? {
        do {
            switch c.name {
            case "gogui-analyze_commands":
                return c.success(Self.goguiAnalyzeCommands.joined(separator: "\n"))
            case "dojo-ownership":
                let n = game.size
                let values: [Double]
                // A network's ownership head when the agent has one, else Monte Carlo playouts.
                if let predictor = player as? OwnershipPredictingGoPlayer, let own = predictor.predictedOwnership(game), own.count == n * n {
                    values = own.map(Double.init)
                } else {
                    var g = generator
                    let own = game.board.ownership(toPlay: game.toPlay, playouts: 400, generator: &g)
                    generator = g
                    values = (0..<n * n).map { Double(own.black[$0] - own.white[$0]) }
                }
                let rows = (0..<n).map { r in (0..<n).map { col in String(format: "%.2f", values[r * n + col]) }.joined(separator: " ") }
                return c.success("\n" + rows.joined(separator: "\n"))
            case "dojo-visits":
                guard var analyst = player as? AnalyzingGoPlayer else { throw fail("the agent does not search (use --agent mcts)") }
                var last: [MoveAnalysis] = []
                _ = analyst.analyze(searchPosition(game.toPlay), interval: 0.5, budget: true, shouldStop: { false }) { last = $0 }
                player = analyst
                return c.success(last.map { "\(GTPVertex.format(action: $0.action, size: game.size)) \($0.visits)" }.joined(separator: " "))
            default:
                return try stream(c)
            }
        } catch let error as GTPFailure {
            return c.failure(error.message)
        } catch {
            return c.failure("\(error)")
        }
    }

    /// The position searched for `colour`: the game so far, with that side to move.
    func searchPosition(_ colour: Stone) -> GoGame {
        var next = game
        next.resumeAfterPasses()
        next.setToPlay(colour)
        return next
    }

    func stream(_ c: GTPCommand) throws -> String? {
        guard var analyst = player as? AnalyzingGoPlayer else { throw fail("the agent does not search (use --agent mcts)") }
        guard let output, let inputPending else { throw fail("analysis needs a streaming connection") }
        var colour = game.toPlay, interval = 1.0
        var args = c.arguments[...]
        // Centiseconds between reports: from 0 (as often as the search allows, kept at 5) to an hour.
        func centiseconds(_ word: String) throws -> Double {
            guard let cs = Double(word), (0...360_000).contains(cs) else { throw fail("syntax error: interval \(word) is not 0…360000 centiseconds") }
            return cs / 100
        }
        while let word = args.popFirst() {
            if let stone = try? color(word) { colour = stone; continue }
            if word.lowercased() == "interval" {
                guard let next = args.popFirst() else { throw fail("syntax error: interval needs a number") }
                interval = try centiseconds(next)
                continue
            }
            if Double(word) != nil { interval = try centiseconds(word); continue }
            if ["minmoves", "maxmoves", "avoid", "allow"].contains(word.lowercased()) { _ = args.popFirst(); continue }
            throw fail("syntax error: \(word)")
        }
        interval = max(0.05, interval)
        let genmove = c.name.hasSuffix("genmove_analyze")
        output("=" + (c.id.map(String.init) ?? "") + "\n")
        let size = game.size
        let move = analyst.analyze(searchPosition(colour), interval: interval, budget: genmove,
                                   shouldStop: { !genmove && inputPending() }) { lines in
            let text = lines.enumerated().map { order, m in
                "info move \(GTPVertex.format(action: m.action, size: size)) visits \(m.visits) winrate \(Int((m.winrate * 10000).rounded()))"
                    + " prior \(Int((m.prior * 10000).rounded())) lcb \(Int((max(0, m.lcb) * 10000).rounded())) order \(order)"
                    + " pv " + m.pv.map { GTPVertex.format(action: $0, size: size) }.joined(separator: " ")
            }.joined(separator: " ")
            if !text.isEmpty { output(text + "\n") }
        }
        player = analyst
        if genmove {
            if let action = move.action {
                try play(action, colour)
                output("play \(GTPVertex.format(action: action, size: size))\n\n")
            } else {
                output("play resign\n\n")
            }
        } else {
            output("\n")
        }
        return nil
    }
}
