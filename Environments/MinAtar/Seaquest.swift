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

    public init() {
        for list in [\Seaquest.friendlyBullets, \Seaquest.enemyBullets] { self[keyPath: list].reserveCapacity(16) }
        for list in [\Seaquest.fish, \Seaquest.subs, \Seaquest.divers] { self[keyPath: list].reserveCapacity(16) }
    }
    public var rampIndex: Int? { ramp }

    public mutating func reset(random: inout NumpyRandomState) {
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

    private mutating func spawnEnemy(_ random: inout NumpyRandomState) {
        let right = random.rand() < 0.5
        let isSub = random.rand() < 1.0 / 3.0
        let y = random.randint(1, 9)
        // A new enemy may not share a row with one moving the other way.
        if subs.contains(where: { $0.y == y && $0.right != right }) || fish.contains(where: { $0.y == y && $0.right != right }) { return }
        let enemy = Mover(x: right ? 0 : 9, y: y, right: right, moveTimer: moveSpeed, shotTimer: Self.enemyShotInterval)
        if isSub { subs.append(enemy) } else { fish.append(enemy) }
    }

    private mutating func spawnDiver(_ random: inout NumpyRandomState) {
        let right = random.rand() < 0.5
        let y = random.randint(1, 9)
        divers.append(Mover(x: right ? 0 : 9, y: y, right: right, moveTimer: Self.diverMoveInterval))
    }

    /// Index of the first friendly bullet on (x, y), in list order.
    private func bulletIndex(_ x: Int, _ y: Int) -> Int? { friendlyBullets.firstIndex { $0.x == x && $0.y == y } }

    /// Moves fish or subs (phases 6 and 8); subs also run their shot timers.
    private mutating func moveEnemies(_ list: WritableKeyPath<Seaquest, [Mover]>, shooting: Bool, _ reward: inout Int) {
        var i = self[keyPath: list].count - 1
        while i >= 0 {
            var e = self[keyPath: list][i]
            var removed = false
            // Touching the player ends the game, and the enemy still moves this step.
            if isPlayer(e.x, e.y) { isTerminal = true }
            if e.moveTimer == 0 {
                e.moveTimer = moveSpeed
                e.x += e.right ? 1 : -1
                if e.x < 0 || e.x > 9 {
                    removed = true
                } else if isPlayer(e.x, e.y) {
                    isTerminal = true
                } else if let b = bulletIndex(e.x, e.y) {
                    friendlyBullets.remove(at: b)
                    removed = true
                    reward += 1
                }
            } else {
                e.moveTimer -= 1
            }
            if shooting {
                if e.shotTimer == 0 {
                    e.shotTimer = Self.enemyShotInterval
                    enemyBullets.append(Bullet(x: e.x, y: e.y, right: e.right))
                } else {
                    e.shotTimer -= 1
                }
            }
            if removed { self[keyPath: list].remove(at: i) } else { self[keyPath: list][i] = e }
            i -= 1
        }
    }

    public mutating func act(_ action: Int, random: inout NumpyRandomState, ramping: Bool) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        var reward = 0
        if enemySpawnTimer == 0 {
            spawnEnemy(&random)
            enemySpawnTimer = enemySpawnSpeed
        }
        if diverSpawnTimer == 0 {
            spawnDiver(&random)
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

        moveEnemies(\.subs, shooting: true, &reward)

        // Enemy bullets, including those fired this step (one fired off-grid leaves at once).
        i = enemyBullets.count - 1
        while i >= 0 {
            if isPlayer(enemyBullets[i].x, enemyBullets[i].y) { isTerminal = true }
            enemyBullets[i].x += enemyBullets[i].right ? 1 : -1
            let b = enemyBullets[i]
            if b.x < 0 || b.x > 9 {
                enemyBullets.remove(at: i)
            } else if isPlayer(b.x, b.y) {
                isTerminal = true
            }
            i -= 1
        }

        moveEnemies(\.fish, shooting: false, &reward)

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

    public func observe(into planes: UnsafeMutablePointer<Float>) {
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
