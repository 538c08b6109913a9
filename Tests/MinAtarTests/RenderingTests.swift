// MinAtar frames on known states: one pixel per cell, black background, the channel's
// cubehelix colour (the reference GUI's palette, lightened where too dark to see) where its
// object is.
import MinAtar
import RL
import XCTest

final class MinAtarRenderingTests: XCTestCase {
    func testPaletteMatchesTheReferenceGUIColours() {
        // seaborn.color_palette("cubehelix", 4), rounded to bytes (matplotlib's 256-entry table
        // can differ by one).
        let expected = [RGB(22, 61, 78), RGB(84, 121, 47), RGB(208, 126, 147), RGB(193, 202, 243)]
        for (a, b) in zip(MinAtarPalette.colors(channels: 4), expected) {
            XCTAssertLessThanOrEqual(abs(Int(a.r) - Int(b.r)) + abs(Int(a.g) - Int(b.g)) + abs(Int(a.b) - Int(b.b)), 3, "\(a) vs \(b)")
        }
    }

    /// Every game's colours stand out at least 3:1 against the black background on screen, and
    /// colours that already did are the reference's unchanged.
    func testDisplayColoursContrastWithTheBackground() {
        for channels in [4, 6, 7, 10] {
            for (reference, shown) in zip(MinAtarPalette.colors(channels: channels), MinAtarPalette.displayColors(channels: channels)) {
                XCTAssertGreaterThanOrEqual(MinAtarPalette.contrastAgainstBlack(shown), 3, "\(shown) from \(reference)")
                if MinAtarPalette.contrastAgainstBlack(reference) >= 3 { XCTAssertEqual(shown, reference) }
            }
        }
        XCTAssertLessThan(MinAtarPalette.contrastAgainstBlack(MinAtarPalette.colors(channels: 4)[0]), 3, "the paddle's reference colour was too dark")
    }

    func testBreakoutStartFrame() {
        var env = Breakout()
        env.reset(seed: 0)
        let f = env.frame()
        let colors = MinAtarPalette.displayColors(channels: 4)
        XCTAssertEqual(f.size, FrameSize(width: 10, height: 10))
        XCTAssertEqual(f[4, 9], colors[0], "paddle at column 4 of row 9")
        for x in 0..<10 { for y in 1...3 { XCTAssertEqual(f[x, y], colors[3], "brick at \(x),\(y)") } }
        XCTAssertEqual(f[0, 0], .black)
        // The ball starts inside the brick rows; one step later it is in row 4 and shows.
        _ = env.step(0)
        let ball = env.observation()[100 ..< 200].firstIndex(of: 1)! - 100
        XCTAssertEqual(ball / 10, 4)
        XCTAssertEqual(env.frame()[ball % 10, 4], colors[1])
    }

    func testSpaceInvadersStartFrame() {
        let env = SpaceInvaders()
        let f = env.frame()
        let colors = MinAtarPalette.displayColors(channels: 6)
        XCTAssertEqual(f[5, 9], colors[0], "cannon")
        XCTAssertEqual(f[2, 0], colors[2], "aliens marching left show in the alien_left colour")
        XCTAssertEqual(f[1, 0], .black)
    }
}
