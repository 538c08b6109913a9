// `dojo bench go-playouts`: light playouts per second on one core from the empty board (the
// measure of reference/go/RESULTS.md §2d: libEGO 58–63k/s on 9×9, Pachi's light playouts
// 23k/s, OpenSpiel through Python 3k/s). Each playout copies the empty board, plays to two
// passes or the 3·N² cap, and counts the Tromp-Taylor result, as a search's rollout would.
import Go
import Tensors

enum GoPlayoutWorkload {
    static let playoutsPerCall = 100

    static func run(_ settings: BenchmarkSettings) -> [BenchmarkResult] {
        (settings.boardSize.map { [$0] } ?? [9, 19]).flatMap {
            [measure(size: $0, settings), measure(size: $0, heavy: true, settings), measureCopy(size: $0, settings)]
        }
    }

    /// What search pays per simulated move: copy a mid-game `GoGame` (value type) and play one
    /// legal move on the copy (the first write copies the board storage and history).
    static func measureCopy(size: Int, _ settings: BenchmarkSettings) -> BenchmarkResult {
        var game = GoGame(size: size)
        var generator = SeededGenerator(seed: settings.seed)
        for _ in 0..<(size * size / 2) {
            let legal = game.legalActions.filter { $0 != game.passAction }
            _ = game.step(legal[generator.nextInt(below: legal.count)])
        }
        let moves = game.legalActions.filter { $0 != game.passAction }
        var next = 0, sink = 0
        let seconds = timeRepeats(settings) {
            for _ in 0..<1000 {
                var copy = game
                _ = copy.step(moves[next])
                next = next + 1 == moves.count ? 0 : next + 1
                sink &+= copy.moves.count
            }
        }
        if sink < 0 { print("") }
        return makeResult("go-playouts", variant: "\(size)x\(size) copy+move", batch: 1, unit: "copies/s",
                          itemsPerCall: 1000, seconds: seconds, settings: settings)
    }

    static func measure(size: Int, heavy: Bool = false, _ settings: BenchmarkSettings) -> BenchmarkResult {
        let empty = GoBoard(size: size)
        var generator = SeededGenerator(seed: settings.seed)
        var blackWins = 0, plies = 0
        let seconds = timeRepeats(settings) {
            for _ in 0..<playoutsPerCall {
                var board = empty
                plies &+= heavy ? board.heavyPlayout(toPlay: .black, generator: &generator, maxMoves: 3 * size * size)
                    : board.playout(toPlay: .black, generator: &generator, maxMoves: 3 * size * size)
                if board.blackMargin(komi: 7.5) > 0 { blackWins &+= 1 }
            }
        }
        if blackWins < 0 || plies < 0 { print("") }   // keep the work observable
        return makeResult("go-playouts", variant: "\(size)x\(size)" + (heavy ? " heavy" : ""), batch: 1, unit: "playouts/s",
                          itemsPerCall: Double(playoutsPerCall), seconds: seconds, settings: settings)
    }
}
