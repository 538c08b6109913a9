// Freeway (reference/minatar/SPEC.md §5). The chicken crosses eight lanes of cars from row 9
// to row 0 in column 4; reaching row 0 scores and re-randomises the cars' speeds. Every
// episode is exactly 2501 steps (the built-in limit is reported as terminated, as in the
// reference).
// Planes: 0 chicken, 1 car, 2…6 speed1…speed5 (each car's trail, in the plane of its speed).

public struct Freeway: MinAtarGame {
    public static let name = "freeway"
    public static let channelNames = ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"]
    public static let minimalActions = [0, 2, 4]
    public static let summary = "Guide the chicken up across eight lanes of traffic; 2501 steps per episode."

    static let moveCooldown = 3, timeLimit = 2500

    struct Car: Sendable { var x = 0, timer = 0, speed = 0 }
    var cars = FixedArray8(repeating: Car())
    var position = 9
    var moveTimer = Freeway.moveCooldown
    var terminateTimer = Freeway.timeLimit
    public private(set) var isTerminal = false

    public var core: MinAtarCore
    public init(core: MinAtarCore) { self.core = core }
    public var rampIndex: Int? { nil }

    /// New speeds (8 magnitudes, then 8 directions) and timers; positions kept unless `resetX`.
    private mutating func randomiseCars(resetX: Bool) {
        var magnitudes = FixedArray8(repeating: 0)
        for i in 0..<8 { magnitudes[i] = core.random.randint(1, 6) }
        for i in 0..<8 {
            let right = core.random.rand() > 0.5
            cars[i].speed = right ? magnitudes[i] : -magnitudes[i]
            cars[i].timer = magnitudes[i]
            if resetX { cars[i].x = 0 }
        }
    }

    public mutating func startEpisode() {
        randomiseCars(resetX: true)
        position = 9
        moveTimer = Self.moveCooldown
        terminateTimer = Self.timeLimit
        isTerminal = false
    }

    public mutating func advance(_ action: Int) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        var reward = 0
        if action == MinAtarAction.up && moveTimer == 0 {
            moveTimer = Self.moveCooldown
            position = max(0, position - 1)
        } else if action == MinAtarAction.down && moveTimer == 0 {
            moveTimer = Self.moveCooldown
            position = min(9, position + 1)
        }
        if position == 0 {
            reward += 1
            randomiseCars(resetX: false)
            position = 9
        }
        for i in 0..<8 {
            let row = i + 1
            var car = cars[i]
            if row == position && car.x == 4 { position = 9 }
            if car.timer == 0 {
                car.timer = abs(car.speed)
                car.x = (car.x + (car.speed > 0 ? 1 : -1) + 10) % 10
                if row == position && car.x == 4 { position = 9 }
            } else {
                car.timer -= 1
            }
            cars[i] = car
        }
        if moveTimer > 0 { moveTimer -= 1 }
        terminateTimer -= 1
        if terminateTimer < 0 { isTerminal = true }
        return (reward, isTerminal)
    }

    public func drawPlanes(into planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, position, 4)
        for i in 0..<8 {
            let car = cars[i], row = i + 1
            mark(planes, 1, row, car.x)
            let trail = car.speed > 0 ? (car.x + 9) % 10 : (car.x + 1) % 10
            mark(planes, 1 + abs(car.speed), row, trail)
        }
    }
}
