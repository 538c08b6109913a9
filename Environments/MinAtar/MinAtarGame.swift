// What each of the five MinAtar games provides. Conventions shared by all five
// (reference/minatar/SPEC.md §0–1):
// - Grid 10×10, cell (row y, column x), row 0 at the top.
// - Actions 0 no-op, 1 left, 2 up, 3 right, 4 down, 5 fire; each game ignores the ones it does
//   not use.
// - Observation planes are channel-major C×10×10 floats (1 where the channel's object is); the
//   channel order and names are the reference's (`channelNames`).
// - All randomness comes from the game's one `NumpyRandomState` (`core.random`), shared with
//   the sticky-action draw, in the reference's exact draw order.
// Each game is itself the `Environment` (MinAtarEnvironment.swift supplies the reference's
// wrapper: sticky actions, seeding, minimal action sets), so every call is specialised for the
// concrete game — no generic wrapper between the caller and the game logic.
import RL

public enum MinAtarAction {
    public static let noop = 0, left = 1, up = 2, right = 3, down = 4, fire = 5
}

public protocol MinAtarGame: Environment, ExecutedActionReporting, KeyboardControls {
    /// Reference game name (`breakout`, `space_invaders`, ...).
    static var name: String { get }
    static var channelNames: [String] { get }
    /// The reference's `minimal_action_set()`, in its order.
    static var minimalActions: [Int] { get }
    static var summary: String { get }

    /// The wrapper state every game carries: random stream, options, last executed action.
    var core: MinAtarCore { get set }
    /// A game in its pre-episode state around `core` (`startEpisode` follows).
    init(core: MinAtarCore)
    /// Starts an episode, drawing from `core.random` exactly as the reference does.
    mutating func startEpisode()
    /// One step of the game with the executed (post-sticky) action; returns the reward and
    /// whether the game is over. Once over, returns (0, true) and changes nothing.
    mutating func advance(_ action: Int) -> (reward: Int, terminal: Bool)
    /// The game has ended (the reference's `terminal`).
    var isTerminal: Bool { get }
    /// Writes the C×10×10 planes; `planes` is already zeroed unless `drawsEveryPlane`.
    func drawPlanes(into planes: UnsafeMutablePointer<Float>)
    /// The game writes every float of every plane itself, so observing skips zeroing.
    static var drawsEveryPlane: Bool { get }
    /// The reference's `difficulty_ramp()` (nil for games without a ramp).
    var rampIndex: Int? { get }
}

extension MinAtarGame {
    public static var drawsEveryPlane: Bool { false }
}

/// Plane `c` of a zeroed C×10×10 observation.
@inline(__always)
func plane(_ planes: UnsafeMutablePointer<Float>, _ c: Int) -> UnsafeMutablePointer<Float> { planes + c * 100 }

/// Marks cell (y, x) of plane `c`.
@inline(__always)
func mark(_ planes: UnsafeMutablePointer<Float>, _ c: Int, _ y: Int, _ x: Int) { planes[c * 100 + y * 10 + x] = 1 }
