// Breakout (reference/minatar/SPEC.md §3). The ball moves diagonally; the paddle is in row 9;
// bricks fill rows 1–3 and are refilled when the ball comes down with none left.
// Ball directions: 0 up-left, 1 up-right, 2 down-right, 3 down-left.
// Planes: 0 paddle, 1 ball, 2 trail (the ball's previous cell), 3 brick.

public struct Breakout: MinAtarGame {
    public static let drawsEveryPlane = true
    public static let name = "breakout"
    public static let channelNames = ["paddle", "ball", "trail", "brick"]
    public static let minimalActions = [0, 1, 3]
    public static let summary = "Bounce the ball off the paddle to break bricks; the episode ends when the ball is missed."

    private static let fullWall: CellSet = CellSet.row(1).union(.row(2)).union(.row(3))
    // Direction code arithmetic: dx is −1 for 0 and 3; dy is −1 for 0 and 1. Mirrors:
    // horizontal 0↔1, 2↔3 (d ^ 1); vertical 0↔3, 1↔2 (3 − d); reverse 0↔2, 1↔3 (d ^ 2).
    @inline(__always) private static func dx(_ d: Int) -> Int { d == 0 || d == 3 ? -1 : 1 }
    @inline(__always) private static func dy(_ d: Int) -> Int { d < 2 ? -1 : 1 }
    @inline(__always) private static func mirrorH(_ d: Int) -> Int { d ^ 1 }
    @inline(__always) private static func mirrorV(_ d: Int) -> Int { 3 - d }
    @inline(__always) private static func reverse(_ d: Int) -> Int { d ^ 2 }

    var ballX = 0, ballY = 3, direction = 2
    var paddle = 4
    var bricks = Breakout.fullWall
    var strike = false
    var lastX = 0, lastY = 3
    public private(set) var isTerminal = false

    public var core: MinAtarCore
    public init(core: MinAtarCore) { self.core = core }
    public var rampIndex: Int? { nil }

    public mutating func startEpisode() {
        ballY = 3
        if core.random.randint(2) == 0 { ballX = 0; direction = 2 } else { ballX = 9; direction = 3 }
        lastX = ballX; lastY = ballY
        paddle = 4
        bricks = Self.fullWall
        strike = false
        isTerminal = false
    }

    public mutating func advance(_ action: Int) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        var reward = 0
        if action == MinAtarAction.left { paddle = max(0, paddle - 1) }
        else if action == MinAtarAction.right { paddle = min(9, paddle + 1) }

        lastX = ballX; lastY = ballY
        var nx = ballX + Self.dx(direction), ny = ballY + Self.dy(direction)
        var hit = false
        if nx < 0 || nx > 9 {
            nx = min(9, max(0, nx))
            direction = Self.mirrorH(direction)
        }
        if ny < 0 {
            ny = 0
            direction = Self.mirrorV(direction)
        } else if bricks.contains(y: ny, x: nx) {
            hit = true
            if !strike {
                reward += 1
                strike = true
                bricks.remove(y: ny, x: nx)
                ny = lastY
                direction = Self.mirrorV(direction)
            }
        } else if ny == 9 {
            if bricks.isEmpty { bricks = Self.fullWall }
            if ballX == paddle {
                direction = Self.mirrorV(direction)
                ny = lastY
            } else if nx == paddle {
                direction = Self.reverse(direction)
                ny = lastY
            } else {
                isTerminal = true
            }
        }
        if !hit { strike = false }
        ballX = nx; ballY = ny
        return (reward, isTerminal)
    }

    public func drawPlanes(into planes: UnsafeMutablePointer<Float>) {
        CellSet(y: 9, x: paddle).store(into: plane(planes, 0))
        CellSet(y: ballY, x: ballX).store(into: plane(planes, 1))
        CellSet(y: lastY, x: lastX).store(into: plane(planes, 2))
        bricks.store(into: plane(planes, 3))
    }
}
