// TensorBoard event files (events.out.tfevents.<time>.<host>): TFRecord framing — length
// (u64), masked CRC-32C of the length, the record, masked CRC-32C of the record — around
// `Event` protocol buffers: the first holds file_version "brain.Event:2", the rest a scalar
// summary (tag, simple_value) at a step. Encoded by hand (a few protobuf fields), so no
// TensorFlow is needed; TensorBoard's own reader loads them (tested in CI).
import Files
import Foundation

public final class TensorBoardWriter {
    public let path: String
    private let handle: FileHandle
    private var pending: [UInt8] = []
    /// The first write that failed (disk full, file removed, ...): later writes are skipped and
    /// `flush` throws it, so training stops with a sentence and keeps its last good checkpoint.
    public private(set) var failure: FileWriteError?

    public convenience init(folder: String, date: Date = Date()) throws {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let path = (folder as NSString).appendingPathComponent("events.out.tfevents.\(Int(date.timeIntervalSince1970)).\(host)")
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw FileWriteError(description: "cannot create the TensorBoard event file \(path)")
        }
        self.init(handle: h, path: path, date: date)
    }

    /// Writes to an open file (`path` names it in messages).
    public init(handle: FileHandle, path: String, date: Date = Date()) {
        self.handle = handle
        self.path = path
        var event = Protobuf()
        event.double(field: 1, date.timeIntervalSince1970)
        event.string(field: 3, "brain.Event:2")
        write(record: event.bytes)
    }

    deinit { try? flush(); try? handle.close() }

    /// Appends one scalar (`charts/episodic_return` at frame `step`).
    public func scalar(_ tag: String, _ value: Double, step: Int, wallTime: Double = Date().timeIntervalSince1970) {
        var summaryValue = Protobuf()
        summaryValue.string(field: 1, tag)
        summaryValue.float(field: 2, Float(value))
        var summary = Protobuf()
        summary.message(field: 1, summaryValue)
        var event = Protobuf()
        event.double(field: 1, wallTime)
        event.varintField(field: 2, UInt64(bitPattern: Int64(step)))
        event.message(field: 5, summary)
        write(record: event.bytes)
    }

    /// Writes the buffered records and syncs the file; throws the first failed write.
    public func flush() throws {
        writePending()
        if failure == nil { try? handle.synchronize() }
        if let failure { throw failure }
    }

    private func writePending() {
        defer { pending.removeAll(keepingCapacity: true) }
        guard failure == nil, !pending.isEmpty else { return }
        do { try handle.write(contentsOf: pending) } catch {
            failure = FileWriteError(description: "cannot write the TensorBoard event file \(path): \(FileWriteError.reason(error))")
        }
    }

    private func write(record: [UInt8]) {
        var out: [UInt8] = []
        let length = withUnsafeBytes(of: UInt64(record.count).littleEndian) { Array($0) }
        out += length
        out += withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { Array($0) }
        out += record
        out += withUnsafeBytes(of: CRC32C.masked(record).littleEndian) { Array($0) }
        pending += out
        if pending.count >= 1 << 16 { writePending() }
    }
}

/// The few protocol-buffer encodings an Event needs.
struct Protobuf {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }
    mutating func varintField(field: Int, _ v: UInt64) { key(field, 0); varint(v) }
    mutating func double(field: Int, _ v: Double) { key(field, 1); withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    mutating func float(field: Int, _ v: Float) { key(field, 5); withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    mutating func string(field: Int, _ s: String) { key(field, 2); varint(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
    mutating func message(field: Int, _ m: Protobuf) { key(field, 2); varint(UInt64(m.bytes.count)); bytes += m.bytes }
}
