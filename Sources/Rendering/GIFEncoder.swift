// Animated GIF recordings through giflib 5. Frames are collected in memory and the file is
// written atomically when the recording ends. Colours: an exact palette when the whole
// recording uses at most 256 colours (MinAtar and grid worlds do), otherwise a 6×7×6 colour
// cube. The animation loops forever (the NETSCAPE2.0 extension); its last frame stays on screen
// for `holdLastCentiseconds` (at least the frame delay), so the end of an episode can be seen
// before the loop starts again.
import CGIF
import Files
import RL
import Tensors

public struct GIFRecorder {
    public let path: String
    public let delayCentiseconds: Int
    public private(set) var frames: [Frame] = []

    public init(path: String, fps: Double) {
        self.path = path
        delayCentiseconds = max(2, Int((100 / fps).rounded()))
    }

    public mutating func add(_ frame: Frame) {
        if let first = frames.first { precondition(first.size == frame.size, "GIF frames must share one size") }
        frames.append(frame)
    }

    /// Encodes and writes the file; nothing is written when there are no frames.
    public func finish() throws {
        guard !frames.isEmpty else { return }
        try AtomicFile.write(try GIFEncoder.encode(frames, delayCentiseconds: delayCentiseconds), to: path)
    }
}

public enum GIFEncoder {
    public struct EncodeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Collects giflib's output.
    final class Sink { var bytes: [UInt8] = [] }

    /// How long the last frame stays before the animation loops: 1.5 s.
    public static let holdLastCentiseconds = 150

    public static func encode(_ frames: [Frame], delayCentiseconds: Int) throws -> [UInt8] {
        precondition(!frames.isEmpty, "a GIF needs at least one frame")
        let (palette, index) = makePalette(frames)
        let sink = Sink()
        var error: Int32 = 0
        let write: OutputFunc = { gif, data, count in
            let sink = Unmanaged<Sink>.fromOpaque(gif!.pointee.UserData).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(count)))
            return count
        }
        guard let gif = EGifOpen(Unmanaged.passUnretained(sink).toOpaque(), write, &error) else {
            throw EncodeError(description: "giflib could not start a GIF (error \(error))")
        }
        func check(_ status: Int32, _ what: String) throws {
            if status == GIF_ERROR {
                let reason = GifErrorString(gif.pointee.Error).map { String(cString: $0) } ?? "error \(gif.pointee.Error)"
                throw EncodeError(description: "giflib failed to \(what): \(reason)")
            }
        }
        var closed = false
        defer { if !closed { var e: Int32 = 0; EGifCloseFile(gif, &e) } }
        EGifSetGifVersion(gif, true)
        let colors = palette.map { GifColorType(Red: $0.r, Green: $0.g, Blue: $0.b) }
        let bits = bitsFor(colors.count)
        let padded = colors + Array(repeating: GifColorType(Red: 0, Green: 0, Blue: 0), count: (1 << bits) - colors.count)
        let map = padded.withUnsafeBufferPointer { GifMakeMapObject(Int32(1 << bits), $0.baseAddress) }
        defer { GifFreeMapObject(map) }
        let w = Int32(frames[0].width), h = Int32(frames[0].height)
        try check(EGifPutScreenDesc(gif, w, h, Int32(bits), 0, map), "write the screen descriptor")
        // Loop forever: application extension NETSCAPE2.0 with a loop count of 0.
        try check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), "start the loop extension")
        try check(Array("NETSCAPE2.0".utf8).withUnsafeBufferPointer { EGifPutExtensionBlock(gif, 11, $0.baseAddress) }, "name the loop extension")
        try check([UInt8(1), 0, 0].withUnsafeBufferPointer { EGifPutExtensionBlock(gif, 3, $0.baseAddress) }, "set the loop count")
        try check(EGifPutExtensionTrailer(gif), "end the loop extension")
        var line = [GifPixelType](repeating: 0, count: Int(w))
        for (k, frame) in frames.enumerated() {
            let centiseconds = k == frames.count - 1 ? max(delayCentiseconds, holdLastCentiseconds) : delayCentiseconds
            let delay = UInt8(truncatingIfNeeded: centiseconds), delayHigh = UInt8(truncatingIfNeeded: centiseconds >> 8)
            let control: [UInt8] = [0x04, delay, delayHigh, 0]   // disposal 1 (leave in place), no transparency
            try check(control.withUnsafeBufferPointer { EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, $0.baseAddress) }, "write a frame delay")
            try check(EGifPutImageDesc(gif, 0, 0, w, h, false, nil), "start a frame")
            for y in 0..<Int(h) {
                for x in 0..<Int(w) { line[x] = index(frame[x, y]) }
                try check(line.withUnsafeMutableBufferPointer { EGifPutLine(gif, $0.baseAddress, w) }, "write a row")
            }
        }
        closed = true
        var closeError: Int32 = 0
        guard EGifCloseFile(gif, &closeError) != GIF_ERROR else {
            throw EncodeError(description: "giflib failed to finish the GIF (error \(closeError))")
        }
        return sink.bytes
    }

    static func bitsFor(_ count: Int) -> Int {
        var bits = 1
        while (1 << bits) < count { bits += 1 }
        return bits
    }

    /// The exact palette when ≤ 256 colours are used, else a 6×7×6 cube; and the lookup.
    static func makePalette(_ frames: [Frame]) -> ([RGB], (RGB) -> UInt8) {
        var seen: [RGB: UInt8] = [:], palette: [RGB] = []
        outer: for frame in frames {
            for i in stride(from: 0, to: frame.pixels.count, by: 3) {
                let c = RGB(frame.pixels[i], frame.pixels[i + 1], frame.pixels[i + 2])
                if seen[c] == nil {
                    if palette.count == 256 { palette = []; break outer }
                    seen[c] = UInt8(palette.count); palette.append(c)
                }
            }
        }
        if !palette.isEmpty { return (palette, { seen[$0]! }) }
        var cube: [RGB] = []
        for r in 0..<6 { for g in 0..<7 { for b in 0..<6 { cube.append(RGB(UInt8(r * 51), UInt8(g * 255 / 6), UInt8(b * 51))) } } }
        return (cube, { c in
            let r = (Int(c.r) * 5 + 127) / 255, g = (Int(c.g) * 6 + 127) / 255, b = (Int(c.b) * 5 + 127) / 255
            return UInt8((r * 7 + g) * 6 + b)
        })
    }
}
