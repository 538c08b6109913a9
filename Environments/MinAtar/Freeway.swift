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
    var cars = (Car(), Car(), Car(), Car(), Car(), Car(), Car(), Car())
    var position = 9
    var moveTimer = Freeway.moveCooldown
    var terminateTimer = Freeway.timeLimit
    public private(set) var isTerminal = false

    public var core: MinAtarCore
    public init(core: MinAtarCore) { self.core = core }
    public var rampIndex: Int? { nil }

    @inline(__always)
    private func withCars<R>(_ body: (UnsafeBufferPointer<Car>) -> R) -> R {
        withUnsafeBytes(of: cars) { body($0.bindMemory(to: Car.self)) }
    }

    @inline(__always)
    private mutating func withMutableCars<R>(_ body: (UnsafeMutableBufferPointer<Car>) -> R) -> R {
        withUnsafeMutableBytes(of: &cars) { body($0.bindMemory(to: Car.self)) }
    }

    /// New speeds (8 magnitudes, then 8 directions) and timers; positions kept unless `resetX`.
    private mutating func randomiseCars(resetX: Bool) {
        var m = (0, 0, 0, 0, 0, 0, 0, 0), right = (false, false, false, false, false, false, false, false)
        withUnsafeMutableBytes(of: &m) { raw in
            for i in 0..<8 { raw.storeBytes(of: core.random.randint(1, 6), toByteOffset: i * 8, as: Int.self) }
        }
        withUnsafeMutableBytes(of: &right) { raw in
            for i in 0..<8 { raw.storeBytes(of: core.random.rand() > 0.5, toByteOffset: i, as: Bool.self) }
        }
        let magnitudes = m, directions = right
        withMutableCars { cars in
            withUnsafeBytes(of: magnitudes) { mags in
                withUnsafeBytes(of: directions) { dirs in
                    for i in 0..<8 {
                        let magnitude = mags.load(fromByteOffset: i * 8, as: Int.self)
                        cars[i].speed = dirs.load(fromByteOffset: i, as: Bool.self) ? magnitude : -magnitude
                        cars[i].timer = magnitude
                        if resetX { cars[i].x = 0 }
                    }
                }
            }
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
        var chicken = position
        withMutableCars { cars in
            for i in 0..<8 {
                let row = i + 1
                if row == chicken && cars[i].x == 4 { chicken = 9 }
                if cars[i].timer == 0 {
                    cars[i].timer = abs(cars[i].speed)
                    cars[i].x = (cars[i].x + (cars[i].speed > 0 ? 1 : -1) + 10) % 10
                    if row == chicken && cars[i].x == 4 { chicken = 9 }
                } else {
                    cars[i].timer -= 1
                }
            }
        }
        position = chicken
        if moveTimer > 0 { moveTimer -= 1 }
        terminateTimer -= 1
        if terminateTimer < 0 { isTerminal = true }
        return (reward, isTerminal)
    }

    public func drawPlanes(into planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, position, 4)
        withCars { cars in
            for i in 0..<8 {
                let car = cars[i], row = i + 1
                mark(planes, 1, row, car.x)
                let trail = car.speed > 0 ? (car.x + 9) % 10 : (car.x + 1) % 10
                mark(planes, 1 + abs(car.speed), row, trail)
            }
        }
    }
}
