// Space Invaders (reference/minatar/SPEC.md §4). The cannon moves along row 9 and fires up; a
// 4×6 block of aliens marches sideways, steps down at the walls, and shoots from the column
// nearest the cannon. No randomness.
// Planes: 0 cannon, 1 alien, 2 alien_left (aliens while marching left), 3 alien_right,
// 4 friendly_bullet, 5 enemy_bullet.

public struct SpaceInvaders: MinAtarGame {
    public static let drawsEveryPlane = true
    public static let name = "space_invaders"
    public static let channelNames = ["cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"]
    public static let minimalActions = [0, 1, 3, 5]
    public static let summary = "Shoot the marching aliens before they shoot you or reach the bottom."

    static let shotCooldown = 5, initialMoveInterval = 12, alienShotInterval = 10, minimumMoveInterval = 6
    private static let wave: CellSet = {
        var s = CellSet()
        for y in 0..<4 { for x in 2..<8 { s.insert(y: y, x: x) } }
        return s
    }()
    /// Columns in the order the shooter is searched: by distance from the cannon, ties to the left.
    private static let shooterOrder: [[Int]] = (0..<10).map { pos in
        (0..<10).sorted { (abs($0 - pos), $0) < (abs($1 - pos), $1) }
    }

    var position = 5
    var aliens = SpaceInvaders.wave
    var friendlyBullets = CellSet(), enemyBullets = CellSet()
    var alienDirection = -1
    var interval = SpaceInvaders.initialMoveInterval
    var moveTimer = SpaceInvaders.initialMoveInterval
    var alienShotTimer = SpaceInvaders.alienShotInterval
    var shotTimer = 0
    var ramp = 0
    public private(set) var isTerminal = false

    public var core: MinAtarCore
    public init(core: MinAtarCore) { self.core = core }
    public var rampIndex: Int? { ramp }

    public mutating func startEpisode() { self = SpaceInvaders(core: core) }

    public mutating func advance(_ action: Int) -> (reward: Int, terminal: Bool) {
        if isTerminal { return (0, true) }
        let ramping = core.options.ramping
        if action == MinAtarAction.fire && shotTimer == 0 {
            friendlyBullets.insert(y: 9, x: position)
            shotTimer = Self.shotCooldown
        } else if action == MinAtarAction.left {
            position = max(0, position - 1)
        } else if action == MinAtarAction.right {
            position = min(9, position + 1)
        }
        friendlyBullets = friendlyBullets.shiftedUp
        enemyBullets = enemyBullets.shiftedDown
        if enemyBullets.contains(y: 9, x: position) { isTerminal = true }
        if aliens.contains(y: 9, x: position) { isTerminal = true }

        if moveTimer == 0 {
            moveTimer = min(aliens.count, interval)
            let atWall = alienDirection < 0 ? aliens.intersects(.column0) : aliens.intersects(.column9)
            if atWall {
                alienDirection = -alienDirection
                if aliens.intersects(.row(9)) { isTerminal = true }
                aliens = aliens.rolledDown
            } else {
                aliens = alienDirection < 0 ? aliens.shiftedLeft : aliens.shiftedRight
            }
            if aliens.contains(y: 9, x: position) { isTerminal = true }
        }

        if alienShotTimer == 0 {
            alienShotTimer = Self.alienShotInterval
            shoot: for x in Self.shooterOrder[position] {
                for y in stride(from: 9, through: 0, by: -1) where aliens.contains(y: y, x: x) {
                    enemyBullets.insert(y: y, x: x)
                    break shoot
                }
            }
        }

        let kills = aliens.intersection(friendlyBullets)
        let reward = kills.count
        aliens.subtract(kills)
        friendlyBullets.subtract(kills)

        if shotTimer > 0 { shotTimer -= 1 }
        moveTimer -= 1
        alienShotTimer -= 1

        if aliens.isEmpty {
            if ramping && interval > Self.minimumMoveInterval {
                interval -= 1
                ramp += 1
            }
            aliens = Self.wave
        }
        return (reward, isTerminal)
    }

    public func drawPlanes(into planes: UnsafeMutablePointer<Float>) {
        CellSet(y: 9, x: position).store(into: plane(planes, 0))
        aliens.store(into: plane(planes, 1))
        (alienDirection < 0 ? aliens : CellSet()).store(into: plane(planes, 2))
        (alienDirection > 0 ? aliens : CellSet()).store(into: plane(planes, 3))
        friendlyBullets.store(into: plane(planes, 4))
        enemyBullets.store(into: plane(planes, 5))
    }
}
