// The episode loop behind `dojo play` and `dojo watch`: an environment, something that chooses
// actions (a policy, or a person through `KeyboardControls`), and any of three outputs — the
// window, the terminal, a GIF recording (plus PNG frames). Keys: `p` pause, `n` one step while
// paused, `+`/`-` speed, `q`/Esc quit; closing the window quits.
import Foundation
import RL

public struct ViewerOptions {
    public var window = false
    public var terminal = false
    public var gifPath: String?
    /// Folder for one PNG per frame (`frame-000001.png`, ...).
    public var framesFolder: String?
    public var fps: Double = 10
    public var episodes = 1
    /// Frame pixels per environment pixel in the window and recordings (nil: about 400 px wide).
    public var scale: Int?
    /// Steps before an episode is cut short (nil: the environment's own limits).
    public var maxSteps: Int?
    public var seed: UInt64 = 0
    /// Where to save the window's last picture as PNG.
    public var screenshotPath: String?
    public init() {}
}

/// One finished episode.
public struct EpisodeSummary: Equatable, Sendable {
    public var episodeReturn: Float
    public var length: Int
    public var terminated: Bool

    /// "return 3, 120 steps".
    public var line: String { "return \(Viewer.format(episodeReturn)), \(length) steps" }
}

/// Who chooses the actions.
public enum Actor {
    case player(any Player)
    /// A person; in two-player games against `opponent` (nil: the person plays both sides),
    /// the person taking player `seat`.
    case person(opponent: (any Player)? = nil, seat: Int = 0)
}

public final class Viewer {
    let options: ViewerOptions
    private var window: Window?
    private var terminal: TerminalRenderer?
    private var keys: TerminalKeys?
    private var gif: GIFRecorder?
    private var frameCount = 0
    private var fps: Double
    private var paused = false
    /// Input delivered before live input, one event per poll (tests and demos drive the viewer with it).
    public var script: [InputEvent] = []

    public init(options: ViewerOptions, title: String, frameSize: FrameSize, person: Bool) throws {
        self.options = options
        fps = options.fps
        if options.window {
            window = try Window(title: title, size: composedSize(frameSize), scale: 1)
        }
        if options.terminal {
            terminal = TerminalRenderer()
            if person || window == nil { keys = try? TerminalKeys() }
            if person && keys == nil && window == nil {
                throw ViewerError("--terminal play needs a terminal on standard input; run it in a terminal or use the window")
            }
        }
        if let path = options.gifPath { gif = GIFRecorder(path: path, fps: options.fps) }
        if let folder = options.framesFolder {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw ViewerError("cannot create the frames folder \(folder): \(error.localizedDescription)")
            }
        }
    }

    /// Pixels per environment pixel for recordings and the window.
    func scale(for size: FrameSize) -> Int { options.scale ?? max(1, 400 / max(size.width, size.height)) }

    func composedSize(_ size: FrameSize) -> FrameSize {
        let s = scale(for: size)
        let width = size.width * s
        return FrameSize(width: width, height: size.height * s + StatusBar.height(width: width))
    }

    /// The environment's frame scaled up, with the status bar underneath.
    func compose(_ frame: Frame, status: String) -> Frame {
        let s = scale(for: frame.size)
        let game = frame.scaled(by: s)
        var out = Frame(size: composedSize(frame.size))
        out.pixels.replaceSubrange(0..<game.pixels.count, with: game.pixels)
        StatusBar.draw(status, into: &out, top: game.height)
        return out
    }

    private var isLive: Bool { window != nil || terminal != nil }

    private func show(_ frame: Frame, status: String) throws {
        frameCount += 1
        let composed = (window != nil || gif != nil || options.framesFolder != nil) ? compose(frame, status: status) : frame
        window?.present(composed)
        window?.setTitle("Dojo — \(status)")
        terminal?.draw(frame, status: status + (paused ? "  (paused: n steps, p resumes)" : ""))
        gif?.add(composed)
        if let folder = options.framesFolder {
            let name = String(format: "frame-%06d.png", frameCount)
            try PNGEncoder.write(composed, to: (folder as NSString).appendingPathComponent(name))
        }
    }

    private func events() -> [InputEvent] {
        if !script.isEmpty { return [script.removeFirst()] }
        return (window?.poll() ?? []) + (keys?.poll() ?? [])
    }

    private func pace() {
        guard isLive else { return }
        if let window { window.pace(fps: fps) } else { usleep(useconds_t(1_000_000 / max(fps, 0.1))) }
    }

    /// Plays `options.episodes` episodes; returns them (fewer if the person quit).
    public func run<E: Environment>(_ env: inout E, actor: Actor) throws -> [EpisodeSummary] {
        var policy: (any Player)? = nil, opponent: (any Player)? = nil, seat = 0
        switch actor {
        case .player(let p): policy = p
        case .person(let o, let s): opponent = o; seat = s
        }
        let keys = env as? KeyboardControls, board = env as? BoardControls
        if policy == nil && keys == nil && board == nil {
            throw ViewerError("this environment has no keyboard controls; watch an agent play it instead")
        }
        if policy == nil && board != nil && window == nil && script.isEmpty && !(env is DigitControls) {
            throw ViewerError("this board game is played with the mouse: use the window (drop --terminal)")
        }
        var summaries: [EpisodeSummary] = []
        defer { finish() }
        episodes: for episode in 1...max(1, options.episodes) {
            env.reset(seed: episode == 1 ? options.seed : nil)
            policy?.beginEpisode(); opponent?.beginEpisode()
            var summary = EpisodeSummary(episodeReturn: 0, length: 0, terminated: false)
            var undoStack: [(E, EpisodeSummary)] = []
            func status() -> String {
                var text = "EPISODE \(episode)  SCORE \(Self.format(summary.episodeReturn))  STEP \(summary.length)"
                if let extra = (env as? StatusReporting)?.statusText { text = extra + "  STEP \(summary.length)" }
                if policy == nil, terminal != nil, let digits = env as? DigitControls { text += "  " + digits.digitsHelp }
                return text
            }
            try show(env.frame(), status: status())
            var pendingKey: ControlKey?, pendingAction: Int?
            // A person's real-time game (MinAtar) starts with the first key, so the clock does not
            // run while the player finds the keyboard; the status line names the keys meanwhile.
            var waitingForFirstKey = policy == nil && keys?.idleAction != nil && isLive && script.isEmpty
            while true {
                var stepOnce = false
                for e in events() {
                    switch e {
                    case .quit: summaries.append(summary); break episodes
                    case .pause:
                        if let pass = board?.passMove, policy == nil { pendingAction = pass } else { paused.toggle() }
                    case .step: stepOnce = true
                    case .faster: fps = min(fps * 1.5, 240)
                    case .slower: fps = max(fps / 1.5, 0.5)
                    case .control(let key): pendingKey = key
                    case .click(let x, let y):
                        // Clicks come in window pixels; the environment's frame is shown `s` times larger.
                        let s = scale(for: env.frameSize)
                        if policy == nil { pendingAction = (env as? BoardControls)?.action(forClickAt: x / s, y / s) }
                    case .digit(let d):
                        if policy == nil { pendingAction = (env as? DigitControls)?.action(forDigit: d) }
                    case .undo:
                        // Back to before the person's last move (and the opponent's answer).
                        if policy == nil, let (previous, before) = undoStack.popLast() {
                            env = previous; summary = before
                            try show(env.frame(), status: status())
                        }
                    }
                }
                if waitingForFirstKey {
                    guard pendingKey != nil else {
                        try show(env.frame(), status: "ARROWS MOVE  SPACE FIRES  P PAUSES  -  PRESS A KEY TO START")
                        pace()
                        continue
                    }
                    waitingForFirstKey = false
                }
                if paused && !stepOnce { pace(); continue }
                let opponentMoves = opponent != nil && env.playerCount == 2 && env.currentPlayer != seat
                let action: Int
                var move: Move?
                if var p = policy {
                    move = p.move(in: env, secondsLeft: nil)
                    policy = p
                } else if opponentMoves, var o = opponent {
                    move = o.move(in: env, secondsLeft: nil)
                    opponent = o
                }
                if let move {
                    guard let a = move.action else {
                        // A resignation ends the game as it stands.
                        summary.terminated = true
                        summaries.append(summary)
                        try show(env.frame(), status: (env.playerCount == 2 ? "PLAYER \(env.currentPlayer + 1) RESIGNS  " : "RESIGNED  ") + status())
                        if isLive && episode < options.episodes { pace(); pace() }
                        continue episodes
                    }
                    action = a
                } else if let a = pendingAction {
                    action = a
                    undoStack.append((env, summary))
                } else if let key = pendingKey, let a = keys?.action(for: key) {
                    action = a
                } else if let idle = keys?.idleAction {
                    action = idle
                } else {
                    pendingKey = nil
                    pace()        // turn-based: wait for a key or a click
                    continue
                }
                pendingKey = nil; pendingAction = nil
                let r = env.step(action)
                summary.episodeReturn += r.reward(for: seat)
                summary.length += 1
                try show(env.frame(), status: status())
                if r.isOver || summary.length >= (options.maxSteps ?? Int.max) {
                    summary.terminated = r.terminated
                    summaries.append(summary)
                    if isLive && episode < options.episodes { pace(); pace() }
                    break
                }
                pace()
            }
        }
        return summaries
    }

    private func finish() {
        keys?.restore()
        terminal?.finish()
    }

    /// Writes the GIF recording and the window screenshot (call after `run`).
    public func save() throws {
        try gif?.finish()
        if let path = options.screenshotPath, let window { try PNGEncoder.write(try window.screenshot(), to: path) }
    }

    static func format(_ x: Float) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
    }
}

/// The strip under the game in the window and recordings: episode, score, step.
enum StatusBar {
    static func textScale(width: Int) -> Int { max(1, min(4, width / 120)) }
    static func height(width: Int) -> Int { BitmapFont.glyphHeight * textScale(width: width) + 2 * textScale(width: width) + 2 }

    static func draw(_ text: String, into frame: inout Frame, top: Int) {
        // The bar's height fits the largest scale; long text uses a smaller one to fit the width.
        var s = textScale(width: frame.width)
        while s > 1 && BitmapFont.width(of: text, scale: s) + 2 * s + 2 > frame.width { s -= 1 }
        frame.fillRect(x: 0, y: top, width: frame.width, height: frame.height - top, RGB(16, 16, 20))
        BitmapFont.draw(text, at: s + 1, top + s + 1, scale: s, color: RGB(230, 230, 230), into: &frame)
    }
}
