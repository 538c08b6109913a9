// Seaquest (reference/minatar/SPEC.md §7). The submarine shoots fish and enemy subs, picks up
// divers, and must surface before its oxygen runs out — with at least one diver aboard. Only
// the sub's front cell collides. Entities live in ordered lists because "the first match in
// list order" decides collisions, and lists are walked from the last element to the first,
// removing in place, as the reference does.
// Planes: 0 sub_front, 1 sub_back, 2 friendly_bullet, 3 trail, 4 enemy_bullet, 5 enemy_fish,
// 6 enemy_sub, 7 oxygen_guage, 8 diver_guage, 9 diver (the reference's spelling).

public struct Seaquest: MinAtarGame {
    public static let name = "seaquest"
    public static let channelNames = ["sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet",
                                      "enemy_fish", "enemy_sub", "oxygen_guage", "diver_guage", "diver"]
    public static let minimalActions = [0, 1, 2, 3, 4, 5]
    public static let summary = "Shoot fish and subs, rescue divers, and surface for oxygen with a diver aboard."

    static let maxOxygen = 200, initialSpawnInterval = 20, diverSpawnInterval = 30, initialMoveInterval = 5
    static let shotCooldown = 5, enemyShotInterval = 10, diverMoveInterval = 5

    struct Bullet: Sendable { var x: Int, y: Int, right: Bool }
    struct Mover: Sendable { var x: Int, y: Int, right: Bool, moveTimer: Int, shotTimer = 0 }

    var subX = 5, subY = 0, facingRight = false
    var oxygen = Seaquest.maxOxygen
    var diverCount = 0
    var surfaced = true
    var friendlyBullets: [Bullet] = [], enemyBullets: [Bullet] = []
    var fish: [Mover] = [], subs: [Mover] = [], divers: [Mover] = []
    var enemySpawnSpeed = Seaquest.initialSpawnInterval, enemySpawnTimer = Seaquest.initialSpawnInterval
    var diverSpawnTimer = Seaquest.diverSpawnInterval
    var moveSpeed = Seaquest.initialMoveInterval
    var shotTimer = 0
    var ramp = 0
    public private(set) var isTerminal = false

    public var core: MinAtarCore
    public init(core: MinAtarCore) { self.core = core }
    public var rampIndex: Int? { ramp }

    public mutating func startEpisode() {
        subX = 5; subY = 0; facingRight = false
        oxygen = Self.maxOxygen; diverCount = 0; surfaced = true
        friendlyBullets.removeAll(keepingCapacity: true); enemyBullets.removeAll(keepingCapacity: true)
        fish.removeAll(keepingCapacity: true); subs.removeAll(keepingCapacity: true); divers.removeAll(keepingCapacity: true)
        enemySpawnSpeed = Self.initialSpawnInterval; enemySpawnTimer = Self.initialSpawnInterval
        diverSpawnTimer = Self.diverSpawnInterval
        moveSpeed = Self.initialMoveInterval
        shotTimer = 0; ramp = 0
        isTerminal = false
    }

    @inline(__always) private func isPlayer(_ x: Int, _ y: Int) -> Bool { x == subX && y == subY }

    private mutating func spawnEnemy() {
        let right = core.random.rand() < 0.5
        let isSub = core.random.rand() < 1.0 / 3.0
        let y = core.random.randint(1, 9)
        // A new enemy may not share a row with one moving the other way.
        if subs.contains(where: { $0.y == y && $0.right != right }) || fish.contains(where: { $0.y == y && $0.right != right }) { return }
        let enemy = Mover(x: right ? 0 : 9, y: y, right: right, moveTimer: moveSpeed, shotTimer: Self.enemyShotInterval)
        if isSub { subs.append(enemy) } else { fish.append(enemy) }
    }

    private mutating func spawnDiver() {
        let right = core.random.rand() < 0.5
        let y = core.random.randint(1, 9)
        divers.append(Mover(x: right ? 0 : 9, y: y, right: right, moveTimer: Self.diverMoveInterval))
    }

    /// Moves fish or subs (phases 6 and 8), last to first; subs also run their shot timers.
    /// Touching the player ends the game, and the enemy still moves in that step.
    private static func moveEnemies(_ list: inout [Mover], shooting: Bool, player: (x: Int, y: Int), moveSpeed: Int,
                                    friendlyBullets: inout [Bullet], enemyBullets: inout [Bullet],
                                    terminal: inout Bool, reward: inout Int) {
        var i = list.count - 1
        while i >= 0 {
            var e = list[i]
            var removed = false
            if e.x == player.x && e.y == player.y { terminal = true }
            if e.moveTimer == 0 {
                e.moveTimer = moveSpeed
                e.x += e.right ? 1 : -1
                if e.x < 0 || e.x > 9 {
                    removed = true
                } else if e.x == player.x && e.y == player.y {
                    terminal = true
                } else if let b = friendlyBullets.firstIndex(where: { $0.x == e.x && $0.y == e.y }) {
                    friendlyBullets.remove(at: b)
                    removed = true
                    reward += 1
                }
            } else {
                e.moveTimer -= 1
            }
            if shooting {
                if e.shotTimer == 0 {
                    e.shotTimer = enemyShotInterval
                    enemyBullets.append(Bullet(x: e.x, y: e.y, right: e.right))
                } else {
                    e.shotTimer -= 1
                }
            }
            if removed { list.remove(at: i) } else { list[i] = e }
            i -= 1
        }
    }

    public mutating func advance(_ action: Int) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        let ramping = core.options.ramping
        var reward = 0
        if enemySpawnTimer == 0 {
            spawnEnemy()
            enemySpawnTimer = enemySpawnSpeed
        }
        if diverSpawnTimer == 0 {
            spawnDiver()
            diverSpawnTimer = Self.diverSpawnInterval
        }

        if action == MinAtarAction.fire && shotTimer == 0 {
            friendlyBullets.append(Bullet(x: subX, y: subY, right: facingRight))
            shotTimer = Self.shotCooldown
        } else if action == MinAtarAction.left {
            subX = max(0, subX - 1); facingRight = false
        } else if action == MinAtarAction.right {
            subX = min(9, subX + 1); facingRight = true
        } else if action == MinAtarAction.up {
            subY = max(0, subY - 1)
        } else if action == MinAtarAction.down {
            subY = min(8, subY + 1)
        }

        // Friendly bullets: move, then hit the first fish, else the first sub, on their cell.
        var i = friendlyBullets.count - 1
        while i >= 0 {
            friendlyBullets[i].x += friendlyBullets[i].right ? 1 : -1
            let b = friendlyBullets[i]
            if b.x < 0 || b.x > 9 {
                friendlyBullets.remove(at: i)
            } else if let f = fish.firstIndex(where: { $0.x == b.x && $0.y == b.y }) {
                fish.remove(at: f); friendlyBullets.remove(at: i); reward += 1
            } else if let s = subs.firstIndex(where: { $0.x == b.x && $0.y == b.y }) {
                subs.remove(at: s); friendlyBullets.remove(at: i); reward += 1
            }
            i -= 1
        }

        // Divers: picked up on the front cell while fewer than six are aboard.
        i = divers.count - 1
        while i >= 0 {
            var d = divers[i]
            var removed = false
            if isPlayer(d.x, d.y) && diverCount < 6 {
                removed = true; diverCount += 1
            } else if d.moveTimer == 0 {
                d.moveTimer = Self.diverMoveInterval
                d.x += d.right ? 1 : -1
                if d.x < 0 || d.x > 9 {
                    removed = true
                } else if isPlayer(d.x, d.y) && diverCount < 6 {
                    removed = true; diverCount += 1
                }
            } else {
                d.moveTimer -= 1
            }
            if removed { divers.remove(at: i) } else { divers[i] = d }
            i -= 1
        }

        var terminal = isTerminal
        Self.moveEnemies(&subs, shooting: true, player: (subX, subY), moveSpeed: moveSpeed,
                         friendlyBullets: &friendlyBullets, enemyBullets: &enemyBullets, terminal: &terminal, reward: &reward)

        // Enemy bullets, including those fired this step (one fired off-grid leaves at once).
        i = enemyBullets.count - 1
        while i >= 0 {
            if isPlayer(enemyBullets[i].x, enemyBullets[i].y) { terminal = true }
            enemyBullets[i].x += enemyBullets[i].right ? 1 : -1
            let b = enemyBullets[i]
            if b.x < 0 || b.x > 9 {
                enemyBullets.remove(at: i)
            } else if isPlayer(b.x, b.y) {
                terminal = true
            }
            i -= 1
        }

        Self.moveEnemies(&fish, shooting: false, player: (subX, subY), moveSpeed: moveSpeed,
                         friendlyBullets: &friendlyBullets, enemyBullets: &enemyBullets, terminal: &terminal, reward: &reward)
        isTerminal = terminal

        if enemySpawnTimer > 0 { enemySpawnTimer -= 1 }
        if diverSpawnTimer > 0 { diverSpawnTimer -= 1 }
        if shotTimer > 0 { shotTimer -= 1 }

        if oxygen <= 0 { isTerminal = true }
        if subY > 0 {
            oxygen -= 1
            surfaced = false
        } else if !surfaced {
            if diverCount == 0 {
                isTerminal = true
            } else {
                reward += surface(ramping: ramping)
            }
        }
        return (reward, isTerminal)
    }

    /// Surfacing with divers aboard: refills oxygen, pays the bonus for six divers, and ramps.
    private mutating func surface(ramping: Bool) -> Int {
        surfaced = true
        var bonus = 0
        if diverCount == 6 {
            diverCount = 0
            bonus = oxygen * 10 / Self.maxOxygen
        }
        oxygen = Self.maxOxygen
        diverCount -= 1   // also after six: the reference's count goes to −1 (SPEC §7)
        if ramping && (enemySpawnSpeed > 1 || moveSpeed > 2) {
            if moveSpeed > 2 && ramp % 2 == 1 { moveSpeed -= 1 }
            if enemySpawnSpeed > 1 { enemySpawnSpeed -= 1 }
            ramp += 1
        }
        return bonus
    }

    public func drawPlanes(into planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, subY, subX)
        mark(planes, 1, subY, facingRight ? subX - 1 : subX + 1)
        for b in friendlyBullets { mark(planes, 2, b.y, b.x) }
        for b in enemyBullets { mark(planes, 4, b.y, b.x) }
        func draw(_ list: [Mover], _ c: Int) {
            for e in list {
                mark(planes, c, e.y, e.x)
                let back = e.right ? e.x - 1 : e.x + 1
                if back >= 0 && back <= 9 { mark(planes, 3, e.y, back) }
            }
        }
        draw(fish, 5)
        draw(subs, 6)
        draw(divers, 9)
        for x in 0..<(max(0, oxygen) * 10 / Self.maxOxygen) { mark(planes, 7, 9, x) }
        if diverCount > 0 { for x in (9 - diverCount)..<9 { mark(planes, 8, 9, x) } }
    }
}
