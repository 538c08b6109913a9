// The safetensors container (https://huggingface.co/docs/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON mapping each tensor name to {dtype, shape, data_offsets}
// (offsets relative to the byte after the header) plus an optional "__metadata__" object of
// string values, then the raw little-endian tensor data, contiguous and without gaps.
// Dojo writes F32 tensors and 1-D U8 byte arrays (e.g. an agent's action history); it reads
// F32 and F64 (converted to Float32) and U8.
import Files
import Foundation
import Tensors

public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public struct SafeTensorsFile {
    /// Tensors in file order.
    public var tensors: [(name: String, tensor: Tensor)]
    public var metadata: [String: String]
    /// 1-D U8 tensors, after the F32 ones in the file.
    public var byteArrays: [(name: String, bytes: [UInt8])] = []

    public init(tensors: [(name: String, tensor: Tensor)] = [], metadata: [String: String] = [:],
                byteArrays: [(name: String, bytes: [UInt8])] = []) {
        self.tensors = tensors
        self.metadata = metadata
        self.byteArrays = byteArrays
    }

    public func bytes(named name: String) -> [UInt8]? { byteArrays.first { $0.name == name }?.bytes }

    public subscript(name: String) -> Tensor? { tensors.first { $0.name == name }?.tensor }

    // MARK: Writing

    public func encoded() throws -> [UInt8] {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        var seen = Set<String>()
        for (name, t) in tensors {
            guard seen.insert(name).inserted, name != "__metadata__" else {
                throw SafeTensorsError("tensor name \"\(name)\" is used twice or reserved; every tensor needs a unique name")
            }
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]] as [String: Any]
            offset += 4 * t.count
        }
        for (name, b) in byteArrays {
            guard seen.insert(name).inserted, name != "__metadata__" else {
                throw SafeTensorsError("tensor name \"\(name)\" is used twice or reserved; every tensor needs a unique name")
            }
            header[name] = ["dtype": "U8", "shape": [b.count], "data_offsets": [offset, offset + b.count]] as [String: Any]
            offset += b.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (json.count + 8) % 8 != 0 { json.append(0x20) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        for (_, t) in tensors {
            t.withUnsafeBufferPointer { p in
                #if _endian(little)
                bytes.append(contentsOf: UnsafeRawBufferPointer(p))
                #else
                for v in p { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
                #endif
            }
        }
        for (_, b) in byteArrays { bytes.append(contentsOf: b) }
        return bytes
    }

    /// Writes atomically (temp file, fsync, rename).
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    // MARK: Reading

    public static func read(from path: String) throws -> SafeTensorsFile {
        let data: [UInt8]
        do { data = try BoundedFile.read(path, limit: BoundedFile.binaryLimit) } catch let error as FileReadError {
            throw SafeTensorsError(FileManager.default.fileExists(atPath: path) ? error.description : "cannot read \(path): no such file or not readable")
        }
        do {
            return try decode(data)
        } catch let error as SafeTensorsError {
            throw SafeTensorsError("\(path): \(error.description)")
        }
    }

    public static func decode(_ bytes: [UInt8]) throws -> SafeTensorsFile {
        guard bytes.count >= 8 else {
            throw SafeTensorsError("not a safetensors file: only \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength >= 2, headerLength <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError(headerLength > UInt64(bytes.count - 8)
                ? "truncated or not a safetensors file: header claims \(headerLength) bytes but only \(bytes.count - 8) follow"
                : "not a safetensors file: header length \(headerLength) is too small")
        }
        let dataStart = 8 + Int(headerLength)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])),
              let header = object as? [String: Any] else {
            throw SafeTensorsError("bad header: the \(headerLength)-byte header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let dict = meta as? [String: Any], let strings = dict as? [String: String] else {
                throw SafeTensorsError("bad header: __metadata__ must map strings to strings")
            }
            metadata = strings
        }
        let dataCount = bytes.count - dataStart
        var entries: [(name: String, begin: Int, tensor: Tensor)] = []
        var byteEntries: [(name: String, begin: Int, bytes: [UInt8])] = []
        var spans: [(begin: Int, end: Int, name: String)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw SafeTensorsError("bad header: entry \"\(name)\" needs dtype, shape and two data_offsets")
            }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F64": width = 8
            case "U8": width = 1
            default: throw SafeTensorsError("tensor \"\(name)\" has dtype \(dtype); Dojo reads F32, F64 and U8 only")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw SafeTensorsError("bad header: tensor \"\(name)\" has a negative dimension in \(shape)") }
            // A hostile header can name dimensions whose product overflows: check, never trap.
            var count = 1, overflow = false
            for d in shape + [width] where !overflow { (count, overflow) = count.multipliedReportingOverflow(by: d) }
            guard !overflow, count <= dataCount else {
                throw SafeTensorsError("bad header: tensor \"\(name)\" of shape \(shape) (\(dtype)) is larger than the file's \(dataCount) data bytes")
            }
            count /= width
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end - begin == count * width else {
                throw SafeTensorsError("bad header: tensor \"\(name)\" of shape \(shape) (\(dtype)) has data_offsets [\(begin), \(end)], which do not hold \(count * width) bytes")
            }
            guard end <= dataCount else {
                throw SafeTensorsError("truncated: tensor \"\(name)\" ends at byte \(end) of the data but the file holds only \(dataCount)")
            }
            spans.append((begin, end, name))
            if width == 1 {
                byteEntries.append((name, begin, Array(bytes[(dataStart + begin)..<(dataStart + end)])))
                continue
            }
            var t = Tensor(zeros: shape)
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + dataStart + begin
                t.withUnsafeMutableBufferPointer { p in
                    for i in 0..<count {
                        if width == 4 {
                            p[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                        } else {
                            p[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                        }
                    }
                }
            }
            entries.append((name, begin, t))
        }
        // As the format requires: the tensors tile the data exactly, in offset order — no two
        // share a byte and no byte is left over.
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for span in spans {
            guard span.begin == covered else {
                throw SafeTensorsError(span.begin < covered
                    ? "bad header: tensor \"\(span.name)\" at data_offsets [\(span.begin), \(span.end)] overlaps the tensor before it (which ends at \(covered))"
                    : "bad header: data bytes \(covered)..<\(span.begin) belong to no tensor (data_offsets must tile the data)")
            }
            covered = span.end
        }
        guard covered == dataCount else {
            throw SafeTensorsError("bad header: the tensors end at data byte \(covered) but the file holds \(dataCount); data_offsets must tile the data")
        }
        entries.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
        byteEntries.sort { ($0.begin, $0.name) < ($1.begin, $1.name) }
        return SafeTensorsFile(tensors: entries.map { ($0.name, $0.tensor) }, metadata: metadata,
                               byteArrays: byteEntries.map { ($0.name, $0.bytes) })
    }
}
