// Go as a Dojo `Environment`. The rules Dojo plays by (written into SGF as `RU[Tromp-Taylor]`):
// - black moves first (white first after handicap stones); a move places a stone on an empty
//   point or passes; opposing groups left without liberties are captured;
// - suicide (single- or multi-stone) is illegal;
// - positional superko: a move may not recreate any earlier arrangement of stones
//   (Zobrist hashes of every position since the start);
// - passing is always legal; two consecutive passes end the game (`terminated`);
// - Tromp-Taylor area scoring: stones plus empty regions reaching only one colour, komi added
//   to White; no dead-stone removal;
// - the move cap (default 2·N² plies, passes included) ends the game as `truncated`, scored
//   as it stands.
// Actions: row·N + col with row 0 at the top (Stone.swift), pass = N².
// Rewards: at the end, +1 to the winner and −1 to the loser (0 each for a draw), per player
// (black = player 0). Value convention: for the player to move, in −1…1.
// Observation: the AlphaGo Zero planes (AlphaGoZeroFeatures.swift).
import RL

public struct GoMove: Equatable, Sendable {
    public let color: Stone
    /// nil for a pass.
    public let point: Int?
}

public struct GoGame: Environment {
    public private(set) var board: GoBoard
    public private(set) var toPlay: Stone = .black
    public var komi: Double
    /// The komi a game accepts from outside (GTP, SGF, environment ids): larger values are no
    /// game of Go, and a margin must stay exactly representable in scores and results.
    public static let komiRange: ClosedRange<Double> = -1_000...1_000
    public let maxMoves: Int
    public private(set) var moves: [GoMove] = []
    public private(set) var consecutivePasses = 0
    public private(set) var isOver = false
    public private(set) var wasTruncated = false
    /// Stones captured by black and by white.
    public private(set) var captures = (black: 0, white: 0)
    /// Handicap stones placed before the first move.
    public private(set) var handicapStones: [Int] = []
    /// Hashes of every stone arrangement so far (positional superko), looked up at every
    /// legality check once a capture has happened.
    private var positionHashes: Set<UInt64>
    private var anyCapture = false
    /// The last 8 positions for the AlphaGo Zero planes: 8·N² bytes, newest at `newestSlot`.
    var recentPositions: [UInt8]
    var newestSlot = 0

    public init(size: Int = 9, komi: Double = 7.5, maxMoves: Int? = nil) {
        precondition((2...19).contains(size), "board size must be 2…19, got \(size)")
        board = GoBoard(size: size)
        self.komi = komi
        self.maxMoves = maxMoves ?? 2 * size * size
        positionHashes = [board.hash]
        recentPositions = [UInt8](repeating: 0, count: 8 * size * size)
    }

    public var size: Int { board.size }

    // MARK: Environment

    public var playerCount: Int { 2 }
    public var currentPlayer: Int { toPlay.player }
    public var actionCount: Int { size * size + 1 }
    public var passAction: Int { size * size }
    /// The board point of the last move, 0 when there is none or it was a pass (playouts).
    public var lastPoint: Int { moves.last?.point ?? 0 }
    public var maxEpisodeSteps: Int? { maxMoves }

    public var legalActions: [Int] {
        guard !isOver else { return [] }
        var actions: [Int] = []
        for p in board.emptyPoints where isLegal(point: p) { actions.append(board.action(p)) }
        actions.sort()
        actions.append(passAction)
        return actions
    }

    public func legalMask(into mask: UnsafeMutableBufferPointer<Bool>) {
        precondition(mask.count == actionCount, "legal mask needs \(actionCount) entries, got \(mask.count)")
        mask.initialize(repeating: false)
        guard !isOver else { return }
        for p in board.emptyPoints where isLegal(point: p) { mask[board.action(p)] = true }
        mask[passAction] = true
    }

    /// Legal for the player to move: empty, not suicide, not a superko repetition.
    public func isLegal(point p: Int) -> Bool {
        guard board.isLegalIgnoringKo(p, toPlay) else { return false }
        let after = board.hash(afterPlaying: p, toPlay)
        // Without any capture yet, stones only accumulate: no arrangement can repeat unless
        // this very move captures (its hash then differs from the plain addition).
        if !anyCapture && after == board.hash ^ Zobrist.key(p, toPlay) { return true }
        return !positionHashes.contains(after)
    }

    public func isLegal(action: Int) -> Bool {
        guard !isOver, action >= 0, action <= passAction else { return false }
        return action == passAction || isLegal(point: board.point(action: action))
    }

    public mutating func reset(seed: UInt64?) {
        self = GoGame(size: size, komi: komi, maxMoves: maxMoves)
    }

    public mutating func step(_ action: Int) -> StepResult {
        precondition(isLegal(action: action), "illegal Go action \(action) for \(toPlay)")
        if action == passAction {
            board.pass()
            moves.append(GoMove(color: toPlay, point: nil))
            consecutivePasses += 1
        } else {
            let p = board.point(action: action)
            let taken = board.play(p, toPlay)
            if taken > 0 {
                anyCapture = true
                if toPlay == .black { captures.black += taken } else { captures.white += taken }
            }
            positionHashes.insert(board.hash)
            moves.append(GoMove(color: toPlay, point: p))
            consecutivePasses = 0
        }
        toPlay = toPlay.opponent
        recordPosition()
        if consecutivePasses >= 2 {
            isOver = true
            return StepResult(rewards: outcome(), terminated: true)
        }
        if moves.count >= maxMoves {
            isOver = true; wasTruncated = true
            return StepResult(rewards: outcome(), terminated: false, truncated: true)
        }
        return StepResult(rewards: .zero, terminated: false)
    }

    /// Black's Tromp-Taylor margin: black area − white area − komi.
    public var blackMargin: Double { board.blackMargin(komi: komi) }

    /// +1/−1 for (black, white) by the area count; 0 each for a draw.
    public func outcome() -> SIMD2<Float> {
        let m = blackMargin
        return m > 0 ? SIMD2(1, -1) : m < 0 ? SIMD2(-1, 1) : .zero
    }

    /// The result in SGF/GTP form: "B+3.5", "W+0.5", "0" (draw).
    public var resultString: String {
        let m = blackMargin
        if m == 0 { return "0" }
        let v = abs(m)
        let text = v == v.rounded() ? String(Int(v)) : String(v)
        return (m > 0 ? "B+" : "W+") + text
    }

    // MARK: Setup

    /// Places handicap (or setup) stones before the first move; white moves next when black
    /// stones were placed. Fails if a point is occupied or the game has started.
    public mutating func placeStones(_ points: [Int], color: Stone = .black) throws {
        guard moves.isEmpty else { throw GoError("stones can only be placed before the first move") }
        for p in points {
            guard board[p] == .empty else { throw GoError("point \(GTPVertex.format(p, board: board)) is already occupied") }
            guard board.isLegalIgnoringKo(p, color) else { throw GoError("a stone at \(GTPVertex.format(p, board: board)) would have no liberties") }
            board.play(p, color)
            if color == .black { handicapStones.append(p) }
        }
        positionHashes = [board.hash]
        if color == .black && !points.isEmpty { toPlay = .white }
        recordPosition()
    }

    /// Sets who moves next (SGF `PL`, GTP after setup).
    public mutating func setToPlay(_ color: Stone) { toPlay = color }

    /// Lets play continue after two passes (GTP controllers may do so, e.g. to clean up dead
    /// stones); a game ended by the move cap stays over.
    public mutating func resumeAfterPasses() {
        guard isOver && !wasTruncated else { return }
        isOver = false
        consecutivePasses = 0
    }

    /// Copies the board into the newest slot of the recent-positions ring.
    private mutating func recordPosition() {
        let n = size * size
        newestSlot = (newestSlot + 1) % 8
        let base = newestSlot * n, b = board
        recentPositions.withUnsafeMutableBufferPointer { r in
            for a in 0..<n { r[base + a] = b[b.point(action: a)].rawValue }
        }
    }
}

/// A rule or input problem in one sentence (illegal setup, bad vertex, malformed SGF).
public struct GoError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
