// The desktop window (SDL2): shows frames scaled with nearest-neighbour at a steady frame
// rate and reports keys, clicks and closing as `InputEvent`s. Only `dojo play` and
// `dojo watch --window` create one; nothing else touches SDL, so everything else works without
// a display.
import CSDL2
import Foundation
import RL

public final class Window {
    private let window: OpaquePointer
    private let renderer: OpaquePointer
    private var texture: OpaquePointer?
    private var textureSize = FrameSize(width: 0, height: 0)
    /// Window pixels per frame pixel.
    public let scale: Int
    private var lastPresent: UInt64 = 0

    /// Opens a window for frames of `size`; fails with one sentence when there is no display.
    public init(title: String, size: FrameSize, scale: Int) throws {
        let env = ProcessInfo.processInfo.environment
        func given(_ key: String) -> Bool { !(env[key] ?? "").isEmpty }
        if !given("DISPLAY") && !given("WAYLAND_DISPLAY") && !given("SDL_VIDEODRIVER") {
            throw ViewerError("no display to open a window on (DISPLAY is not set, or empty); use --terminal to draw in this terminal or --gif FILE to record", isNoDisplay: true)
        }
        guard SDL_Init(SDL_INIT_VIDEO) == 0 else {
            throw ViewerError("cannot open a window: \(String(cString: SDL_GetError())); use --terminal or --gif FILE instead")
        }
        // SDL falls back to drivers that show nothing when no display answers; a window nobody
        // can see is a failure, unless that driver was asked for (SDL_VIDEODRIVER=dummy in tests).
        let driver = SDL_GetCurrentVideoDriver().map { String(cString: $0) } ?? "none"
        if ["dummy", "offscreen", "evdev", "none"].contains(driver) && env["SDL_VIDEODRIVER"] != driver {
            SDL_Quit()
            throw ViewerError("no display answered (SDL fell back to its '\(driver)' driver); check DISPLAY, or use --terminal or --gif FILE instead", isNoDisplay: true)
        }
        self.scale = max(1, scale)
        guard let w = SDL_CreateWindow(title, Int32(SDL_WINDOWPOS_CENTERED_MASK), Int32(SDL_WINDOWPOS_CENTERED_MASK),
                                       Int32(size.width * self.scale), Int32(size.height * self.scale), SDL_WINDOW_SHOWN.rawValue) else {
            let reason = String(cString: SDL_GetError())
            SDL_Quit()
            throw ViewerError("cannot open a window: \(reason); use --terminal or --gif FILE instead")
        }
        window = w
        guard let r = SDL_CreateRenderer(w, -1, 0) else {
            let reason = String(cString: SDL_GetError())
            SDL_DestroyWindow(w); SDL_Quit()
            throw ViewerError("cannot draw in the window: \(reason); use --terminal or --gif FILE instead")
        }
        renderer = r
        SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest")
    }

    deinit {
        if let texture { SDL_DestroyTexture(texture) }
        SDL_DestroyRenderer(renderer)
        SDL_DestroyWindow(window)
        SDL_Quit()
    }

    public func setTitle(_ title: String) { SDL_SetWindowTitle(window, title) }

    /// Shows a frame, scaled to the window.
    public func present(_ frame: Frame) {
        if texture == nil || textureSize != frame.size {
            if let texture { SDL_DestroyTexture(texture) }
            texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGB24.rawValue, Int32(SDL_TEXTUREACCESS_STREAMING.rawValue),
                                        Int32(frame.width), Int32(frame.height))
            textureSize = frame.size
            SDL_SetWindowSize(window, Int32(frame.width * scale), Int32(frame.height * scale))
        }
        _ = frame.pixels.withUnsafeBytes { SDL_UpdateTexture(texture, nil, $0.baseAddress, Int32(frame.width * 3)) }
        SDL_RenderClear(renderer)
        SDL_RenderCopy(renderer, texture, nil, nil)
        SDL_RenderPresent(renderer)
    }

    /// Sleeps so that frames follow each other at `fps` (a steady rate, not as fast as possible).
    public func pace(fps: Double) {
        let period = UInt64(1000 / max(fps, 0.1))
        let now = SDL_GetTicks64()
        if lastPresent != 0, now < lastPresent + period { SDL_Delay(UInt32(lastPresent + period - now)) }
        lastPresent = SDL_GetTicks64()
    }

    /// Everything that happened since the last call.
    public func poll() -> [InputEvent] {
        var events: [InputEvent] = []
        var event = SDL_Event()
        while SDL_PollEvent(&event) != 0 {
            switch SDL_EventType(event.type) {
            case SDL_QUIT:
                events.append(.quit)
            case SDL_KEYDOWN:
                if let e = Self.translate(Int(event.key.keysym.sym)) { events.append(e) }
            case SDL_MOUSEBUTTONDOWN:
                events.append(.click(x: Int(event.button.x) / scale, y: Int(event.button.y) / scale))
            default:
                break
            }
        }
        return events
    }

    static func translate(_ key: Int) -> InputEvent? {
        switch key {
        case Int(SDLK_UP.rawValue), Int(SDLK_w.rawValue): .control(.up)
        case Int(SDLK_DOWN.rawValue), Int(SDLK_s.rawValue): .control(.down)
        case Int(SDLK_LEFT.rawValue), Int(SDLK_a.rawValue): .control(.left)
        case Int(SDLK_RIGHT.rawValue), Int(SDLK_d.rawValue): .control(.right)
        case Int(SDLK_SPACE.rawValue): .control(.fire)
        case Int(SDLK_p.rawValue): .pause
        case Int(SDLK_n.rawValue): .step
        case Int(SDLK_u.rawValue): .undo
        case Int(SDLK_PLUS.rawValue), Int(SDLK_EQUALS.rawValue), Int(SDLK_KP_PLUS.rawValue): .faster
        case Int(SDLK_MINUS.rawValue), Int(SDLK_KP_MINUS.rawValue): .slower
        case Int(SDLK_q.rawValue), Int(SDLK_ESCAPE.rawValue): .quit
        case Int(SDLK_1.rawValue)...Int(SDLK_9.rawValue): .digit(key - Int(SDLK_0.rawValue))
        default: nil
        }
    }

    /// Saves what the window shows (tests take screenshots this way under xvfb).
    public func screenshot() throws -> Frame {
        var w: Int32 = 0, h: Int32 = 0
        SDL_GetRendererOutputSize(renderer, &w, &h)
        var frame = Frame(width: Int(w), height: Int(h))
        SDL_RenderClear(renderer)
        SDL_RenderCopy(renderer, texture, nil, nil)
        let status = frame.pixels.withUnsafeMutableBytes {
            SDL_RenderReadPixels(renderer, nil, SDL_PIXELFORMAT_RGB24.rawValue, $0.baseAddress, w * 3)
        }
        guard status == 0 else { throw ViewerError("cannot read the window's pixels: \(String(cString: SDL_GetError()))") }
        return frame
    }
}
