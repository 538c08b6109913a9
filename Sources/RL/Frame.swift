// `Frame`: an RGB8 image that environments draw themselves into (DESIGN.md §2, "render"). It
// lives on the RL floor because the `Environment` protocol names it; the terminal, PNG/GIF and
// window outputs that consume frames live on the Rendering floor above.
// Pixels are row-major from the top-left corner, three bytes (R, G, B) per pixel.

public struct FrameSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int, height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public var description: String { "\(width)×\(height)" }
}

public struct RGB: Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    public static let black = RGB(0, 0, 0)
    public static let white = RGB(255, 255, 255)

    /// `self` blended toward `other` by `t` in 0…1.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
        return RGB(mix(r, other.r), mix(g, other.g), mix(b, other.b))
    }
}

public struct Frame: Equatable, Sendable {
    public private(set) var size: FrameSize
    /// width·height·3 bytes, row-major RGB.
    public var pixels: [UInt8]

    public init(size: FrameSize, fill: RGB = .black) {
        precondition(size.width > 0 && size.height > 0, "a frame needs a positive size, got \(size)")
        self.size = size
        pixels = [UInt8](repeating: 0, count: size.width * size.height * 3)
        if fill != .black { self.fill(fill) }
    }

    public init(width: Int, height: Int, fill: RGB = .black) {
        self.init(size: FrameSize(width: width, height: height), fill: fill)
    }

    public var width: Int { size.width }
    public var height: Int { size.height }

    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = (y * size.width + x) * 3
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * size.width + x) * 3
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
        }
    }

    public mutating func fill(_ color: RGB) {
        fillRect(x: 0, y: 0, width: size.width, height: size.height, color)
    }

    /// Fills the rectangle, clipped to the frame.
    public mutating func fillRect(x: Int, y: Int, width: Int, height: Int, _ color: RGB) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(size.width, x + width), y1 = min(size.height, y + height)
        guard x0 < x1, y0 < y1 else { return }
        let w = size.width
        pixels.withUnsafeMutableBufferPointer { p in
            for yy in y0..<y1 {
                var i = (yy * w + x0) * 3
                for _ in x0..<x1 {
                    p[i] = color.r; p[i + 1] = color.g; p[i + 2] = color.b
                    i += 3
                }
            }
        }
    }

    /// Sets one pixel if it lies inside the frame.
    public mutating func plot(x: Int, y: Int, _ color: RGB) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        self[x, y] = color
    }

    /// Nearest-neighbour resampling to `target` (integer scale factors give crisp cells).
    public func resized(to target: FrameSize) -> Frame {
        if target == size { return self }
        var out = Frame(size: target)
        let sw = size.width, sh = size.height
        out.pixels.withUnsafeMutableBufferPointer { o in
            pixels.withUnsafeBufferPointer { p in
                for y in 0..<target.height {
                    let sy = y * sh / target.height
                    for x in 0..<target.width {
                        let sx = x * sw / target.width
                        let s = (sy * sw + sx) * 3, d = (y * target.width + x) * 3
                        o[d] = p[s]; o[d + 1] = p[s + 1]; o[d + 2] = p[s + 2]
                    }
                }
            }
        }
        return out
    }

    /// Scaled by an integer factor in both directions.
    public func scaled(by factor: Int) -> Frame {
        resized(to: FrameSize(width: size.width * factor, height: size.height * factor))
    }
}
