// Two-player connection games on a small grid — m,n,k-games (Tic-tac-toe: 3×3, three in a
// row) and their gravity variant (Connect Four: 6 rows × 7 columns, four in a row, stones
// drop to the lowest empty cell of the chosen column). Small, exactly solvable, and quick to
// learn, they are the two-player games for tests and for learners that should work on any
// two-player environment, not Go alone.
//
// Conventions:
// - Player 0 moves first. Actions: without gravity the cell id y·width + x (row 0 at the top);
//   with gravity the column x.
// - Observation, for the player to move, 3 × height × width: plane 0 the mover's stones, plane 1
//   the opponent's, plane 2 all ones when the mover is player 0 (the first player).
// - Rewards: +1 to the player completing a line of `connect`, −1 to the other, at that step;
//   a full board without a line is a draw (0, 0). Values are for the player to move.
import RL

public struct ConnectionGame: Environment {
    public let width: Int, height: Int, connect: Int, gravity: Bool
    /// Cells row-major from the top-left: −1 empty, else the player id of the stone.
    public private(set) var cells: [Int8]
    public private(set) var currentPlayer = 0
    public private(set) var isOver = false
    public private(set) var winner: Int?
    public private(set) var moves = 0

    public init(width: Int, height: Int, connect: Int, gravity: Bool) {
        precondition((2...16).contains(width) && (2...16).contains(height) && (2...max(width, height)).contains(connect),
                     "a connection game needs 2…16 columns and rows and a line of 2…max(width, height)")
        self.width = width; self.height = height; self.connect = connect; self.gravity = gravity
        cells = [Int8](repeating: -1, count: width * height)
    }

    public static func ticTacToe() -> ConnectionGame { ConnectionGame(width: 3, height: 3, connect: 3, gravity: false) }
    public static func connectFour() -> ConnectionGame { ConnectionGame(width: 7, height: 6, connect: 4, gravity: true) }

    public var playerCount: Int { 2 }
    public var actionCount: Int { gravity ? width : width * height }
    public var maxEpisodeSteps: Int? { width * height }
    public var observationsAreBinary: Bool { true }
    public var observationShape: ObservationShape { ObservationShape(channels: 3, height: height, width: width) }

    public subscript(x: Int, y: Int) -> Int8 { cells[y * width + x] }

    public var legalActions: [Int] { (0..<actionCount).filter(isLegal) }

    /// Whether `action` may be played now (without building `legalActions`: search steps a lot).
    func isLegal(_ action: Int) -> Bool {
        guard !isOver, action >= 0, action < actionCount else { return false }
        return cells[action] < 0   // with gravity: the column's top cell is free
    }

    /// The cell a legal action fills.
    func cell(for action: Int) -> Int {
        guard gravity else { return action }
        var y = height - 1
        while cells[y * width + action] >= 0 { y -= 1 }
        return y * width + action
    }

    public mutating func reset(seed: UInt64?) {
        cells = [Int8](repeating: -1, count: width * height)
        currentPlayer = 0; isOver = false; winner = nil; moves = 0
    }

    public mutating func step(_ action: Int) -> StepResult {
        guard isLegal(action) else { return StepResult() }
        let c = cell(for: action), mover = currentPlayer
        cells[c] = Int8(mover)
        moves += 1
        currentPlayer = 1 - mover
        if completesLine(at: c) {
            isOver = true; winner = mover
            return StepResult(rewards: mover == 0 ? SIMD2(1, -1) : SIMD2(-1, 1), terminated: true)
        }
        if moves == width * height { isOver = true; return StepResult(rewards: .zero, terminated: true) }
        return StepResult(rewards: .zero, terminated: false)
    }

    /// Whether the stone at `c` lies on a line of at least `connect` of its colour.
    func completesLine(at c: Int) -> Bool {
        let x = c % width, y = c / width, who = cells[c]
        for (dx, dy) in [(1, 0), (0, 1), (1, 1), (1, -1)] {
            var run = 1
            for sign in [1, -1] {
                var (px, py) = (x + sign * dx, y + sign * dy)
                while px >= 0 && px < width && py >= 0 && py < height && cells[py * width + px] == who {
                    run += 1; px += sign * dx; py += sign * dy
                }
            }
            if run >= connect { return true }
        }
        return false
    }

    public func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        let area = width * height
        precondition(buffer.count == 3 * area, "observation needs \(3 * area) floats, got \(buffer.count)")
        for i in 0..<area {
            buffer[i] = cells[i] == Int8(currentPlayer) ? 1 : 0
            buffer[area + i] = cells[i] == Int8(1 - currentPlayer) ? 1 : 0
            buffer[2 * area + i] = currentPlayer == 0 ? 1 : 0
        }
    }

    public static let cellPixels = 16
    public var frameSize: FrameSize { FrameSize(width: width * Self.cellPixels, height: height * Self.cellPixels) }

    public func render(into frame: inout Frame) {
        let p = Self.cellPixels
        frame.fill(RGB(30, 60, 160))
        for y in 0..<height {
            for x in 0..<width {
                let color = cells[y * width + x] == 0 ? RGB(220, 40, 40) : cells[y * width + x] == 1 ? RGB(240, 210, 40) : RGB(235, 235, 235)
                frame.fillRect(x: x * p + 2, y: y * p + 2, width: p - 4, height: p - 4, color)
            }
        }
    }
}
