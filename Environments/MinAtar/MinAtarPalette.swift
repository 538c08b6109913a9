// Drawing MinAtar states, one pixel per cell: black background and one colour per channel,
// the cubehelix palette (Green 2011, matplotlib's default parameters: start 0.5, rotations
// −1.5, hue 1, gamma 1) sampled at i/(C+1) for channel i = 1…C, as the reference GUI colours
// its channels. Where several channels share a cell, the higher channel index wins.
// On screen the first channels' dark blues and greens (Breakout's paddle, Space Invaders'
// cannon: RGB 22, 61, 78) were hard to see on black, so frames use `displayColors`: the same
// colours, each blended toward white just enough for a 3:1 contrast against the background
// (WCAG's figure for graphics); `colors` stays the reference palette.
import Foundation
import RL

public enum MinAtarPalette {
    /// Cubehelix colour at position x in 0…1.
    public static func cubehelix(_ x: Double) -> RGB {
        let phi = 2 * Double.pi * (0.5 / 3 - 1.5 * x)
        let a = x * (1 - x) / 2
        let (c, s) = (cos(phi), sin(phi))
        func byte(_ v: Double) -> UInt8 { UInt8((min(1, max(0, v)) * 255).rounded()) }
        return RGB(byte(x + a * (-0.14861 * c + 1.78277 * s)),
                   byte(x + a * (-0.29227 * c - 0.90649 * s)),
                   byte(x + a * (1.97294 * c)))
    }

    /// Colours of a game's channels, in channel order.
    public static func colors(channels: Int) -> [RGB] {
        (1...channels).map { cubehelix(Double($0) / Double(channels + 1)) }
    }

    /// Relative luminance (sRGB, ITU-R BT.709 weights) and the contrast ratio against black.
    public static func contrastAgainstBlack(_ color: RGB) -> Double {
        func linear(_ v: UInt8) -> Double {
            let c = Double(v) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
        return (luminance + 0.05) / 0.05
    }

    /// The reference colours, each lightened toward white until it stands out 3:1 on black.
    public static func displayColors(channels: Int) -> [RGB] {
        colors(channels: channels).map { color in
            var t = 0.0
            while contrastAgainstBlack(color.mixed(with: .white, t)) < 3 && t < 1 { t += 0.02 }
            return color.mixed(with: .white, min(t, 1))
        }
    }

    static func render<Game: MinAtarGame>(_ game: Game, into frame: inout Frame) {
        let c = Game.channelNames.count
        let colors = displayColors(channels: c)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: c * 100) { planes in
            planes.initialize(repeating: 0)
            game.drawPlanes(into: planes.baseAddress!)
            frame.fill(.black)
            for y in 0..<10 {
                for x in 0..<10 {
                    for ch in stride(from: c - 1, through: 0, by: -1) where planes[ch * 100 + y * 10 + x] != 0 {
                        frame[x, y] = colors[ch]
                        break
                    }
                }
            }
        }
    }
}
