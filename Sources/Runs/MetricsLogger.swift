// Training metrics, written as they happen to metrics.csv (step, tag, value; one row each) and
// to a TensorBoard event file, under stable tags: charts/episodic_return,
// charts/episodic_length, charts/epsilon, charts/sps, losses/td_loss, losses/q_values.
import Files
import Foundation

public final class MetricsLogger {
    private let csv: FileHandle
    private let tensorBoard: TensorBoardWriter?
    /// Rows not yet written: logging happens inside training loops, so it writes in blocks.
    private var pending = Data()
    /// The first failed write of metrics.csv (see `TensorBoardWriter.failure`).
    private var failure: FileWriteError?
    private let path: String

    /// Opens (or continues) `metrics.csv` in `run`. On resume, rows after `resumeStep` — written
    /// after the checkpoint the run continues from — are dropped so the file has no repeats.
    public init(run: RunDirectory, tensorBoard: Bool = true, resumeStep: Int? = nil) throws {
        let path = run.file("metrics.csv")
        self.path = path
        if let resumeStep, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let kept = text.split(separator: "\n").filter { line in
                guard let step = Int(line.split(separator: ",").first ?? "") else { return true }
                return step <= resumeStep
            }
            try AtomicFile.write(Array((kept.joined(separator: "\n") + "\n").utf8), to: path)
        } else if !FileManager.default.fileExists(atPath: path) {
            try AtomicFile.write(Array("step,tag,value\n".utf8), to: path)
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw FileWriteError(description: "cannot open \(path) for writing")
        }
        h.seekToEndOfFile()
        csv = h
        self.tensorBoard = tensorBoard ? try TensorBoardWriter(folder: run.path) : nil
    }

    deinit { try? flush(); try? csv.close() }

    public func log(_ tag: String, _ value: Double, step: Int) {
        pending.append(contentsOf: "\(step),\(tag),\(value)\n".utf8)
        tensorBoard?.scalar(tag, value, step: step)
        if pending.count >= 1 << 16 { writePending() }
    }

    private func writePending() {
        defer { pending.removeAll(keepingCapacity: true) }
        guard failure == nil, !pending.isEmpty else { return }
        do { try csv.write(contentsOf: pending) } catch {
            failure = FileWriteError(description: "cannot write \(path): \(FileWriteError.reason(error))")
        }
    }

    /// Writes everything logged so far and syncs it to disk (called before every checkpoint);
    /// throws the first write that failed, so a run never goes on without its metrics.
    public func flush() throws {
        writePending()
        if failure == nil { try? csv.synchronize() }
        if let failure { throw failure }
        try tensorBoard?.flush()
    }
}
