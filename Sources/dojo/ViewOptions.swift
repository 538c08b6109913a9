// Output options `dojo play` and `dojo watch` share: where the episode is shown and how fast.
import ArgumentParser
import Rendering

struct ViewOptions: ParsableArguments {
    @Flag(help: "Show the episode in a desktop window (SDL2; needs a display).")
    var window = false

    @Flag(help: "Draw the episode in this terminal (24-bit colour).")
    var terminal = false

    @Option(help: "Record the episodes as an animated GIF.")
    var gif: String?

    @Option(name: .customLong("png-frames"), help: "Write every frame as a PNG into this folder.")
    var pngFrames: String?

    @Option(help: "Save the window's last picture as a PNG when the episodes end (for bug reports and tests).")
    var screenshot: String?

    @Option(parsing: .unconditional, help: "Frames per second in the window and terminal (and the GIF's speed).")
    var fps: Double = 10

    @Option(parsing: .unconditional, help: "Episodes to play.")
    var episodes = 1

    @Option(help: "Window/recording pixels per environment pixel (default: about 400 pixels wide).")
    var scale: Int?

    @Option(name: .customLong("max-steps"), parsing: .unconditional, help: "Cut an episode after this many steps.")
    var maxSteps: Int?

    func validate() throws {
        guard fps > 0 && fps <= 240 else { throw ValidationError("--fps must be in (0, 240], got \(fps).") }
        guard episodes >= 1 else { throw ValidationError("--episodes must be ≥ 1, got \(episodes).") }
        if let scale, !(1...64).contains(scale) { throw ValidationError("--scale must be in 1…64, got \(scale).") }
        if screenshot != nil && !window { throw ValidationError("--screenshot saves the window's picture; add --window.") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be ≥ 1, got \(maxSteps).") }
        if let gif, !gif.lowercased().hasSuffix(".gif") {
            throw ValidationError("--gif writes an animated GIF; name the file *.gif (for PNG pictures use --png-frames DIR).")
        }
    }

    func viewerOptions(seed: UInt64, defaultWindow: Bool) -> ViewerOptions {
        var o = ViewerOptions()
        o.window = window || (defaultWindow && !terminal && gif == nil && pngFrames == nil)
        o.terminal = terminal
        o.gifPath = gif
        o.framesFolder = pngFrames
        o.fps = fps
        o.episodes = episodes
        o.scale = scale
        o.maxSteps = maxSteps
        o.seed = seed
        o.screenshotPath = screenshot
        return o
    }
}

/// One line per finished episode.
func report(_ episodes: [EpisodeSummary]) {
    for (i, e) in episodes.enumerated() { emit("episode \(i + 1): \(e.line)") }
}
