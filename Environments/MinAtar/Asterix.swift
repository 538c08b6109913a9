// Asterix (reference/minatar/SPEC.md §6). The player moves in rows 1–8; enemies and gold spawn
// at the left or right edge of a free row and cross the screen. Gold scores, enemies end the
// episode. Spawning and movement speed up every 102 steps, nine times.
// Planes: 0 player, 1 enemy, 2 trail (the cell behind each entity, inside the grid), 3 gold.

public struct Asterix: MinAtarGame {
    public static let name = "asterix"
    public static let channelNames = ["player", "enemy", "trail", "gold"]
    public static let minimalActions = [0, 1, 2, 3, 4]
    public static let summary = "Collect gold and dodge enemies crossing the screen; speeds ramp up over time."

    static let rampInterval = 100, initialSpawnInterval = 10, initialMoveInterval = 5

    /// Slot i holds at most one entity, always in row i + 1.
    struct Entity: Sendable { var x: Int8 = 0, present = false, movingRight = false, gold = false }
    var slots = FixedArray8(repeating: Entity())
    var playerX = 5, playerY = 5
    var spawnSpeed = Asterix.initialSpawnInterval, spawnTimer = Asterix.initialSpawnInterval
    var moveSpeed = Asterix.initialMoveInterval, moveTimer = Asterix.initialMoveInterval
    var rampTimer = Asterix.rampInterval
    var ramp = 0
    public private(set) var isTerminal = false

    public var core: MinAtarCore
    public init(core: MinAtarCore) { self.core = core }
    public var rampIndex: Int? { ramp }

    public mutating func startEpisode() { self = Asterix(core: core) }

    private mutating func spawn() {
        let fromLeft = core.random.rand() < 0.5
        let gold = core.random.rand() < 1.0 / 3.0
        var free = FixedArray8(repeating: 0), freeCount = 0
        for i in 0..<8 where !slots[i].present { free[freeCount] = i; freeCount += 1 }
        guard freeCount > 0 else { return }
        slots[free[core.random.randint(freeCount)]] = Entity(x: fromLeft ? 0 : 9, present: true, movingRight: fromLeft, gold: gold)
    }

    /// Gold on the player's cell is collected (+1); an enemy there ends the game.
    private mutating func touch(_ i: Int, _ reward: inout Int) {
        if slots[i].gold { slots[i].present = false; reward += 1 } else { isTerminal = true }
    }

    public mutating func advance(_ action: Int) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        let ramping = core.options.ramping
        var reward = 0
        if spawnTimer == 0 {
            spawn()
            spawnTimer = spawnSpeed
        }
        switch action {
        case MinAtarAction.left: playerX = max(0, playerX - 1)
        case MinAtarAction.right: playerX = min(9, playerX + 1)
        case MinAtarAction.up: playerY = max(1, playerY - 1)
        case MinAtarAction.down: playerY = min(8, playerY + 1)
        default: break
        }
        for i in 0..<8 where slots[i].present && Int(slots[i].x) == playerX && i + 1 == playerY {
            touch(i, &reward)
        }
        if moveTimer == 0 {
            moveTimer = moveSpeed
            for i in 0..<8 where slots[i].present {
                let x = Int(slots[i].x) + (slots[i].movingRight ? 1 : -1)
                if x < 0 || x > 9 {
                    slots[i].present = false
                } else {
                    slots[i].x = Int8(x)
                    if x == playerX && i + 1 == playerY { touch(i, &reward) }
                }
            }
        }
        spawnTimer -= 1
        moveTimer -= 1
        if ramping && (spawnSpeed > 1 || moveSpeed > 1) {
            if rampTimer >= 0 {
                rampTimer -= 1
            } else {
                if moveSpeed > 1 && ramp % 2 == 1 { moveSpeed -= 1 }
                if spawnSpeed > 1 { spawnSpeed -= 1 }
                ramp += 1
                rampTimer = Self.rampInterval
            }
        }
        return (reward, isTerminal)
    }

    public func drawPlanes(into planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, playerY, playerX)
        for i in 0..<8 where slots[i].present {
            let e = slots[i], x = Int(e.x), row = i + 1
            mark(planes, e.gold ? 3 : 1, row, x)
            let back = e.movingRight ? x - 1 : x + 1
            if back >= 0 && back <= 9 { mark(planes, 2, row, back) }
        }
    }
}
