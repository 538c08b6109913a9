// PNG and GIF files: what is written decodes back to the same pixels (PNG through libpng,
// GIF through giflib's reader), and files appear atomically.
import CGIF
import Foundation
import RL
import Rendering
import XCTest

final class EncoderTests: XCTestCase {
    func testFrame(_ seed: Int) -> Frame {
        var f = Frame(width: 7, height: 5)
        for y in 0..<5 { for x in 0..<7 { f[x, y] = RGB(UInt8((x * 37 + seed) % 256), UInt8(y * 50), UInt8((x + y + seed) % 3 * 100)) } }
        return f
    }

    func testPNGRoundTrip() throws {
        let frame = testFrame(1)
        let bytes = try PNGEncoder.encode(frame)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertEqual(try PNGEncoder.decode(bytes), frame)
        XCTAssertThrowsError(try PNGEncoder.decode([1, 2, 3]))
    }

    func testPNGFileIsWrittenAtomically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-png-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.png").path
        try PNGEncoder.write(testFrame(2), to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["f.png"], "no temporary file left behind")
        XCTAssertEqual(try PNGEncoder.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path)))), testFrame(2))
    }

    /// Decodes a GIF with giflib and returns its frames as RGB.
    func decodeGIF(_ path: String) throws -> (frames: [Frame], delays: [Int]) {
        var error: Int32 = 0
        guard let gif = DGifOpenFileName(path, &error) else { throw XCTSkip("giflib cannot open \(path): \(error)") }
        defer { DGifCloseFile(gif, &error) }
        XCTAssertEqual(DGifSlurp(gif), GIF_OK)
        let g = gif.pointee
        var frames: [Frame] = [], delays: [Int] = []
        for i in 0..<Int(g.ImageCount) {
            let image = g.SavedImages[i]
            let map = (image.ImageDesc.ColorMap ?? g.SColorMap)!.pointee
            var f = Frame(width: Int(g.SWidth), height: Int(g.SHeight))
            for y in 0..<f.height {
                for x in 0..<f.width {
                    let c = map.Colors[Int(image.RasterBits[y * f.width + x])]
                    f[x, y] = RGB(c.Red, c.Green, c.Blue)
                }
            }
            frames.append(f)
            var gcb = GraphicsControlBlock()
            if DGifSavedExtensionToGCB(gif, Int32(i), &gcb) == GIF_OK { delays.append(Int(gcb.DelayTime)) }
        }
        return (frames, delays)
    }

    func testGIFRecordingDecodesToTheSameFramesWithTheDelay() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-\(getpid()).gif").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var recorder = GIFRecorder(path: path, fps: 20)
        let frames = (0..<3).map(testFrame)
        for f in frames { recorder.add(f) }
        try recorder.finish()
        let (decoded, delays) = try decodeGIF(path)
        XCTAssertEqual(decoded, frames)
        XCTAssertEqual(delays, [5, 5, 150], "20 fps is 5 centiseconds per frame; the last frame stays 1.5 s")
    }

    func testGIFWithMoreThan256ColoursFallsBackToTheColourCube() throws {
        var f = Frame(width: 32, height: 32)
        for y in 0..<32 { for x in 0..<32 { f[x, y] = RGB(UInt8(x * 8), UInt8(y * 8), 128) } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-cube-\(getpid()).gif").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var recorder = GIFRecorder(path: path, fps: 10)
        recorder.add(f)
        try recorder.finish()
        let decoded = try decodeGIF(path).frames[0]
        for (x, y) in [(0, 0), (31, 31), (16, 5)] {
            let a = decoded[x, y], b = f[x, y]
            XCTAssertLessThanOrEqual(abs(Int(a.r) - Int(b.r)), 26); XCTAssertLessThanOrEqual(abs(Int(a.g) - Int(b.g)), 22)
        }
    }
}
