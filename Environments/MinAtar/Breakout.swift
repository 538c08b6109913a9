// Breakout (reference/minatar/SPEC.md §3). The ball moves diagonally; the paddle is in row 9;
// bricks fill rows 1–3 and are refilled when the ball comes down with none left.
// Ball directions: 0 up-left, 1 up-right, 2 down-right, 3 down-left.
// Planes: 0 paddle, 1 ball, 2 trail (the ball's previous cell), 3 brick.

public struct Breakout: MinAtarGame {
    public static let name = "breakout"
    public static let channelNames = ["paddle", "ball", "trail", "brick"]
    public static let minimalActions = [0, 1, 3]
    public static let summary = "Bounce the ball off the paddle to break bricks; the episode ends when the ball is missed."

    private static let fullWall: CellSet = CellSet.row(1).union(.row(2)).union(.row(3))
    private static let dx = [-1, 1, 1, -1], dy = [-1, -1, 1, 1]
    // Mirrors of the direction code: horizontal (0↔1, 2↔3), vertical (0↔3, 1↔2), reverse.
    private static let mirrorH = [1, 0, 3, 2], mirrorV = [3, 2, 1, 0], reverse = [2, 3, 0, 1]

    var ballX = 0, ballY = 3, direction = 2
    var paddle = 4
    var bricks = Breakout.fullWall
    var strike = false
    var lastX = 0, lastY = 3
    public private(set) var isTerminal = false

    public init() {}
    public var rampIndex: Int? { nil }

    public mutating func reset(random: inout NumpyRandomState) {
        ballY = 3
        if random.randint(2) == 0 { ballX = 0; direction = 2 } else { ballX = 9; direction = 3 }
        lastX = ballX; lastY = ballY
        paddle = 4
        bricks = Self.fullWall
        strike = false
        isTerminal = false
    }

    public mutating func act(_ action: Int, random: inout NumpyRandomState, ramping: Bool) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        var reward = 0
        if action == MinAtarAction.left { paddle = max(0, paddle - 1) }
        else if action == MinAtarAction.right { paddle = min(9, paddle + 1) }

        lastX = ballX; lastY = ballY
        var nx = ballX + Self.dx[direction], ny = ballY + Self.dy[direction]
        var hit = false
        if nx < 0 || nx > 9 {
            nx = min(9, max(0, nx))
            direction = Self.mirrorH[direction]
        }
        if ny < 0 {
            ny = 0
            direction = Self.mirrorV[direction]
        } else if bricks.contains(y: ny, x: nx) {
            hit = true
            if !strike {
                reward += 1
                strike = true
                bricks.remove(y: ny, x: nx)
                ny = lastY
                direction = Self.mirrorV[direction]
            }
        } else if ny == 9 {
            if bricks.isEmpty { bricks = Self.fullWall }
            if ballX == paddle {
                direction = Self.mirrorV[direction]
                ny = lastY
            } else if nx == paddle {
                direction = Self.reverse[direction]
                ny = lastY
            } else {
                isTerminal = true
            }
        }
        if !hit { strike = false }
        ballX = nx; ballY = ny
        return (reward, isTerminal)
    }

    public func observe(into planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, 9, paddle)
        mark(planes, 1, ballY, ballX)
        mark(planes, 2, lastY, lastX)
        bricks.write(into: plane(planes, 3))
    }
}
