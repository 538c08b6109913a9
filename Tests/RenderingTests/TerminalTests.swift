// The terminal front end: half-block encoding, fitting to the terminal, key decoding, and the
// bitmap font.
import RL
import Rendering
import XCTest

final class TerminalTests: XCTestCase {
    func testHalfBlocksCarryTopAndBottomPixelsAndRepeatNoColourCodes() {
        var f = Frame(width: 2, height: 2)
        f[0, 0] = RGB(255, 0, 0); f[1, 0] = RGB(255, 0, 0)
        f[0, 1] = RGB(0, 0, 255); f[1, 1] = RGB(0, 255, 0)
        XCTAssertEqual(TerminalRenderer.encode(f),
                       "\u{1B}[38;2;255;0;0m\u{1B}[48;2;0;0;255m▀\u{1B}[48;2;0;255;0m▀\u{1B}[0m\n")
    }

    func testFittingKeepsAspectAndUsesIntegerUpscaling() {
        let t = TerminalRenderer(columns: 80, rows: 24)
        XCTAssertEqual(t.fittedSize(for: FrameSize(width: 10, height: 10)), FrameSize(width: 40, height: 40), "22 rows hold 44 pixels; 4× is the largest whole scale")
        XCTAssertEqual(t.fittedSize(for: FrameSize(width: 400, height: 100)), FrameSize(width: 80, height: 20))
    }

    func testKeyDecoding() {
        let bytes: [UInt8] = [0x1B, 0x5B, 0x41] + Array("wasd pn+-q".utf8) + [0x1B, 0x5B, 0x44]
        XCTAssertEqual(TerminalKeys.parse(bytes), [
            .control(.up), .control(.up), .control(.left), .control(.down), .control(.right), .control(.fire),
            .pause, .step, .faster, .slower, .quit, .control(.left),
        ])
        XCTAssertEqual(TerminalKeys.parse(Array("1590".utf8)), [.digit(1), .digit(5), .digit(9)], "digits 1…9 name cells and columns; 0 names none")
    }

    func testBitmapFontDrawsGlyphPixels() {
        var f = Frame(width: 8, height: 5)
        BitmapFont.draw("1-", at: 0, 0, color: .white, into: &f)
        // "1" is rows 010 110 010 010 111; "-" is a bar in row 2 starting at column 4.
        XCTAssertEqual(f[1, 0], .white); XCTAssertEqual(f[0, 0], .black)
        XCTAssertEqual(f[0, 1], .white); XCTAssertEqual(f[2, 4], .white)
        XCTAssertEqual(f[4, 2], .white); XCTAssertEqual(f[6, 2], .white); XCTAssertEqual(f[4, 1], .black)
        XCTAssertEqual(BitmapFont.width(of: "1-"), 7)
    }
}
