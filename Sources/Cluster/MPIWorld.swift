// The processes of an MPI job, and byte messages between them (issue 22 §3). Open MPI is loaded
// at run time (CMPI.h), so a binary without it still runs; `start()` says how to install it.
// Conventions: every call is made from one thread at a time (MPI_THREAD_SERIALIZED); sends
// never block (the bytes are copied and kept until the send completes, so the sender goes on
// working while a busy receiver catches up); receives poll, so a waiting rank sleeps instead of
// spinning and sees Ctrl-C; a message is a byte array of at most `maximumMessageBytes`, and
// larger ones are refused on both sides before anything is allocated.
import CMPI
import Foundation

public struct MPIError: Error, CustomStringConvertible {
    public let description: String
    /// True when the mistake is how the job was started (a usage mistake), not a failure.
    public let isUsage: Bool
    public init(_ description: String, isUsage: Bool = false) { self.description = description; self.isUsage = isUsage }
}

/// One message as received: who sent it, its tag and its bytes.
public struct MPIMessage: Sendable {
    public var source: Int
    public var tag: Int32
    public var bytes: [UInt8]
}

public final class MPIWorld {
    /// This process's rank and the job's size.
    public let rank: Int, size: Int
    /// Open MPI's version line.
    public let library: String
    /// Largest message sent or accepted: MPI counts bytes in a 32-bit int, and a network or a
    /// game message is megabytes.
    public static let maximumMessageBytes = 1 << 30
    /// Traffic so far, for reports.
    public private(set) var bytesSent = 0, bytesReceived = 0, messagesSent = 0, messagesReceived = 0

    private struct PendingSend { var request: UnsafeMutableRawPointer?; let buffer: UnsafeMutableRawBufferPointer }
    private var pending: [PendingSend] = []
    private var finished = false

    private init(rank: Int, size: Int, library: String) { self.rank = rank; self.size = size; self.library = library }

    /// Opens Open MPI and joins the job that mpirun (or srun, or the MPI Operator) started.
    /// `library`: a path to libmpi instead of the system's (DOJO_MPI_LIBRARY does the same).
    public static func start(library: String? = ProcessInfo.processInfo.environment["DOJO_MPI_LIBRARY"]) throws -> MPIWorld {
        var error = [CChar](repeating: 0, count: 512)
        if dojo_mpi_load(library, &error, Int32(error.count)) != 0 {
            throw MPIError(Self.text(error))
        }
        let environment = ProcessInfo.processInfo.environment
        // Without a launcher Open MPI would start a job of one; say how to start a real one.
        guard environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil || environment["PMI_RANK"] != nil else {
            throw MPIError("--distributed runs inside an MPI job: start it with mpirun -np N (N ≥ 2), srun or the MPI Operator", isUsage: true)
        }
        var rank: Int32 = 0, size: Int32 = 0
        try check(dojo_mpi_init(&rank, &size), "MPI_Init_thread")
        var text = [CChar](repeating: 0, count: 512)
        _ = dojo_mpi_library_version(&text, Int32(text.count))
        let line = Self.text(text).split(separator: "\n").first.map(String.init) ?? "Open MPI"
        return MPIWorld(rank: Int(rank), size: Int(size), library: line)
    }

    /// A C string filled in by the shim.
    private static func text(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func check(_ code: Int32, _ call: String) throws {
        guard code == 0 else { throw MPIError("\(call) failed with MPI error \(code); the job cannot go on") }
    }

    /// Sends `bytes` to rank `destination` without waiting for the receiver.
    public func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws {
        guard bytes.count <= Self.maximumMessageBytes else {
            throw MPIError("a message of \(bytes.count) bytes is larger than the \(Self.maximumMessageBytes) bytes MPI messages may hold here")
        }
        guard destination >= 0, destination < size, destination != rank else { throw MPIError("rank \(rank) cannot send to rank \(destination) of \(size)") }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 8)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        var request: UnsafeMutableRawPointer?
        let code = dojo_mpi_isend(buffer.baseAddress, Int32(bytes.count), Int32(destination), tag, &request)
        guard code == 0 else {
            buffer.deallocate()
            throw MPIError("MPI_Isend to rank \(destination) failed with MPI error \(code); the job cannot go on")
        }
        pending.append(PendingSend(request: request, buffer: buffer))
        bytesSent += bytes.count
        messagesSent += 1
    }

    /// Frees the sends that have completed; returns how many are still under way.
    @discardableResult
    public func completeSends() throws -> Int {
        var still: [PendingSend] = []
        for var send in pending {
            var done: Int32 = 0
            try Self.check(dojo_mpi_test(&send.request, &done), "MPI_Test")
            if done != 0 { send.buffer.deallocate() } else { still.append(send) }
        }
        pending = still
        return pending.count
    }

    /// The next message from `source` (nil: any rank) with `tag` (nil: any), if one is waiting.
    public func poll(from source: Int? = nil, tag: Int32? = nil) throws -> MPIMessage? {
        var found: Int32 = 0, actualSource: Int32 = 0, actualTag: Int32 = 0, count: Int32 = 0
        try Self.check(dojo_mpi_iprobe(Int32(source ?? -1), tag ?? -1, &found, &actualSource, &actualTag, &count), "MPI_Iprobe")
        guard found != 0 else { return nil }
        guard count >= 0, Int(count) <= Self.maximumMessageBytes else {
            throw MPIError("rank \(actualSource) sent a message of \(count) bytes, outside 0…\(Self.maximumMessageBytes); the job cannot go on")
        }
        var bytes = [UInt8](repeating: 0, count: Int(count))
        try Self.check(bytes.withUnsafeMutableBytes { dojo_mpi_recv($0.baseAddress, count, actualSource, actualTag) }, "MPI_Recv")
        bytesReceived += bytes.count
        messagesReceived += 1
        return MPIMessage(source: Int(actualSource), tag: actualTag, bytes: bytes)
    }

    /// Waits for a message (polling every millisecond, so Ctrl-C is seen through `stop`);
    /// nil when `stop` says to give up.
    public func receive(from source: Int? = nil, tag: Int32? = nil, stop: () -> Bool = { false }) throws -> MPIMessage? {
        while !stop() {
            if let message = try poll(from: source, tag: tag) { return message }
            try completeSends()
            usleep(1000)
        }
        return nil
    }

    /// Waits until every send has completed, calling `serve` between polls (a rank whose peers
    /// still send to it must keep receiving, or both would wait forever).
    public func flushSends(serve: () throws -> Void = {}) throws {
        while try completeSends() > 0 {
            try serve()
            usleep(1000)
        }
    }

    /// Leaves the job (MPI_Finalize) once every send has completed.
    public func finish() throws {
        guard !finished else { return }
        try flushSends()
        finished = true
        try Self.check(dojo_mpi_finalize(), "MPI_Finalize")
    }

    /// Ends every rank of the job (after a failure this rank has already reported); after
    /// `finish()` only this process is left to end.
    public func abort(code: Int32) -> Never {
        if !finished { dojo_mpi_abort(code) }
        exit(code)
    }
}
