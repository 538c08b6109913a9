// Drawing MinAtar states, one pixel per cell: black background and one colour per channel,
// the cubehelix palette (Green 2011, matplotlib's default parameters: start 0.5, rotations
// −1.5, hue 1, gamma 1) sampled at i/(C+1) for channel i = 1…C, as the reference GUI colours
// its channels. Where several channels share a cell, the higher channel index wins.
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

    static func render<Game: MinAtarGame>(_ game: Game, into frame: inout Frame) {
        let c = Game.channelNames.count
        let colors = colors(channels: c)
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
