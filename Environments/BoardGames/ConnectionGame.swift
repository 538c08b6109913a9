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
    /// The cell of the last stone played (drawn marked), nil before the first move.
    public private(set) var lastCell: Int?

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
        currentPlayer = 0; isOver = false; winner = nil; moves = 0; lastCell = nil
    }

    public mutating func step(_ action: Int) -> StepResult {
        guard isLegal(action) else { return StepResult() }
        let c = cell(for: action), mover = currentPlayer
        cells[c] = Int8(mover)
        lastCell = c
        moves += 1
        currentPlayer = 1 - mover
        if completesLine(at: c) {
            isOver = true; winner = mover
            return StepResult(rewards: mover == 0 ? SIMD2(1, -1) : SIMD2(-1, 1), terminated: true)
        }
        if moves == width * height { isOver = true; return StepResult(rewards: .zero, terminated: true) }
        return StepResult(rewards: .zero, terminated: false)
    }

    static let directions = [(1, 0), (0, 1), (1, 1), (1, -1)]

    /// Calls `body` with each cell of `c`'s colour next to `c` along (dx, dy), both ways.
    @inline(__always)
    private func forEachInRow(through c: Int, _ dx: Int, _ dy: Int, _ body: (Int) -> Void) {
        let x = c % width, y = c / width, who = cells[c]
        for sign in [1, -1] {
            var (px, py) = (x + sign * dx, y + sign * dy)
            while px >= 0 && px < width && py >= 0 && py < height && cells[py * width + px] == who {
                body(py * width + px); px += sign * dx; py += sign * dy
            }
        }
    }

    /// Whether the stone at `c` lies on a line of at least `connect` of its colour (every step
    /// asks, searches included: it counts without allocating).
    func completesLine(at c: Int) -> Bool {
        Self.directions.contains { dx, dy in
            var run = 1
            forEachInRow(through: c, dx, dy) { _ in run += 1 }
            return run >= connect
        }
    }

    /// The cells of a line of at least `connect` stones through `c`, or none (for drawing).
    public func line(through c: Int) -> [Int] {
        guard cells[c] >= 0 else { return [] }
        for (dx, dy) in Self.directions {
            var run = [c]
            forEachInRow(through: c, dx, dy) { run.append($0) }
            if run.count >= connect { return run.sorted() }
        }
        return []
    }

    /// The winning line, once the game is won.
    public var winningLine: [Int] { winner == nil ? [] : lastCell.map { line(through: $0) } ?? [] }

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

    /// Tic-tac-toe-like games draw X (first player, red) and O (second, blue) on paper;
    /// gravity games red and yellow discs in a blue rack. The last stone has a dark dot in its
    /// centre and a won line is outlined in green.
    public func render(into frame: inout Frame) {
        let p = Self.cellPixels
        let line = Set(winningLine)
        frame.fill(gravity ? RGB(30, 60, 160) : RGB(60, 60, 60))
        for y in 0..<height {
            for x in 0..<width {
                let c = y * width + x, ox = x * p, oy = y * p
                if line.contains(c) { frame.fillRect(x: ox, y: oy, width: p, height: p, RGB(60, 200, 90)) }
                if gravity {
                    let color = cells[c] == 0 ? RGB(220, 40, 40) : cells[c] == 1 ? RGB(240, 210, 40) : RGB(235, 235, 235)
                    drawRing(&frame, ox, oy, color, radii: 0...(Double(p) / 2 - 1.5))
                } else {
                    frame.fillRect(x: ox + 1, y: oy + 1, width: p - 2, height: p - 2, RGB(245, 240, 225))
                    if cells[c] == 0 { drawX(&frame, ox, oy) }
                    if cells[c] == 1 { drawRing(&frame, ox, oy, RGB(40, 80, 200), radii: (Double(p) / 2 - 4.5)...(Double(p) / 2 - 2.5)) }
                }
                if c == lastCell { frame.fillRect(x: ox + p / 2 - 1, y: oy + p / 2 - 1, width: 2, height: 2, RGB(20, 20, 20)) }
            }
        }
    }

    private func drawX(_ frame: inout Frame, _ ox: Int, _ oy: Int) {
        let p = Self.cellPixels
        for i in 3..<(p - 3) {
            for t in 0..<2 {
                frame.plot(x: ox + i + t - 1, y: oy + i, RGB(210, 40, 40))
                frame.plot(x: ox + p - 1 - i + t, y: oy + i, RGB(210, 40, 40))
            }
        }
    }

    /// The pixels of a cell whose distance from its centre lies in `radii` (a disc from 0).
    private func drawRing(_ frame: inout Frame, _ ox: Int, _ oy: Int, _ color: RGB, radii: ClosedRange<Double>) {
        let centre = Double(Self.cellPixels) / 2 - 0.5
        for y in 0..<Self.cellPixels {
            for x in 0..<Self.cellPixels {
                let d = ((Double(x) - centre) * (Double(x) - centre) + (Double(y) - centre) * (Double(y) - centre)).squareRoot()
                if radii.contains(d) { frame.plot(x: ox + x, y: oy + y, color) }
            }
        }
    }
}
