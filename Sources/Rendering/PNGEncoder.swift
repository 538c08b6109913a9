// PNG files of frames, encoded by libpng's simplified API (no longjmp error handling to cross)
// and written atomically.
import CPNG
import Files
import RL
import Tensors

public enum PNGEncoder {
    public struct EncodeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The frame as PNG bytes (8-bit RGB).
    public static func encode(_ frame: Frame) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(frame.width)
        image.height = UInt32(frame.height)
        image.format = UInt32(PNG_FORMAT_RGB)
        var size = 0
        let stride = Int32(frame.width * 3)
        // First call measures, second encodes.
        let measured = frame.pixels.withUnsafeBytes { px in
            png_image_write_to_memory(&image, nil, &size, 0, px.baseAddress, stride, nil)
        }
        guard measured != 0, size > 0 else { throw EncodeError(description: "libpng could not encode a \(frame.size) frame: \(message(image))") }
        var bytes = [UInt8](repeating: 0, count: size)
        let written = bytes.withUnsafeMutableBytes { out in
            frame.pixels.withUnsafeBytes { px in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, px.baseAddress, stride, nil)
            }
        }
        png_image_free(&image)
        guard written != 0 else { throw EncodeError(description: "libpng could not encode a \(frame.size) frame: \(message(image))") }
        return Array(bytes.prefix(size))
    }

    public static func write(_ frame: Frame, to path: String) throws {
        try AtomicFile.write(try encode(frame), to: path)
    }

    /// Decodes an 8-bit RGB PNG (tests and tools read back what was written).
    public static func decode(_ bytes: [UInt8]) throws -> Frame {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let ok = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard ok != 0 else { throw EncodeError(description: "not a PNG libpng can read: \(message(image))") }
        image.format = UInt32(PNG_FORMAT_RGB)
        var frame = Frame(width: Int(image.width), height: Int(image.height))
        let done = frame.pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard done != 0 else { throw EncodeError(description: "libpng could not decode the PNG: \(message(image))") }
        return frame
    }

    private static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
