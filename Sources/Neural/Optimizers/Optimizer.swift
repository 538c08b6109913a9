// Optimizers update a list of named parameters from their accumulated gradients, with the
// same update rules as PyTorch (so results can be checked against it step by step).
// Their per-parameter state ("slots": momentum, squared averages, ...) is exposed as named
// tensors `optim.<kind>.<slot>.<parameter>` so checkpoints hold them and resume is exact.
import Tensors

public protocol Optimizer: AnyObject {
    /// The trainable parameters, in a fixed order.
    var parameters: [Parameter] { get }
    var learningRate: Float { get set }
    /// Updates applied so far (drives Adam's bias correction; saved in checkpoints).
    var stepCount: Int { get set }
    /// Applies one update from the current gradients (does not zero them).
    func step()
    /// Slot tensors by their checkpoint names.
    var stateTensors: [(name: String, tensor: Tensor)] { get }
    /// Restores slot tensors saved from `stateTensors`; throws naming a missing or misshapen one.
    func loadState(_ tensors: [String: Tensor]) throws
}

public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// Per-parameter slot tensors (zeros, same shape as the parameter), named for checkpoints.
/// The optimizers' elementwise updates in pieces spread over the workers: every parameter cut
/// into runs of at most `elements` values, so a network whose weights are mostly one matrix
/// (the MinAtar DQN's 1024 × 128 layer holds 97% of them) still splits across threads. Each
/// value's update is the same whichever worker does it.
public struct UpdatePieces: Sendable {
    public static let elements = 1 << 16
    let pieces: [(parameter: Int, range: Range<Int>)]
    let elements: Int

    public init(_ parameters: [Parameter]) {
        var pieces: [(Int, Range<Int>)] = []
        for (i, p) in parameters.enumerated() {
            for start in stride(from: 0, to: p.value.count, by: Self.elements) {
                pieces.append((i, start..<min(start + Self.elements, p.value.count)))
            }
        }
        self.pieces = pieces
        elements = parameters.reduce(0) { $0 + $1.value.count }
    }

    /// `body(parameter index, range of its values)` for every piece, on `Parallel.threads`
    /// workers when that pays on this CPU (measured: every element is updated alike either way,
    /// so the bits do not depend on it; Tensors/SplitCalibration.swift).
    public func forEach(_ body: (_ parameter: Int, _ range: Range<Int>) -> Void) {
        let workers = Parallel.workers(for: pieces.count)
        guard workers > 1 else { return Parallel.forEach(pieces.count) { k, _ in body(pieces[k].parameter, pieces[k].range) } }
        SplitCalibration.shared.run(SplitCalibration.Key(kind: 64, pieces.count, elements, 0, workers: workers),
                                    whole: { Parallel.forEach(pieces.count, split: false) { k, _ in body(pieces[k].parameter, pieces[k].range) } },
                                    split: { Parallel.forEach(pieces.count) { k, _ in body(pieces[k].parameter, pieces[k].range) } })
    }
}

public struct OptimizerSlots {
    public let kind: String
    public let names: [String]
    public var values: [[Tensor]]   // values[slot][parameter]

    public init(kind: String, names: [String], parameters: [Parameter]) {
        self.kind = kind
        self.names = names
        values = names.map { _ in parameters.map { Tensor(zeros: $0.value.shape) } }
    }

    public func tensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        for (s, slot) in names.enumerated() {
            for (i, p) in parameters.enumerated() { out.append(("optim.\(kind).\(slot).\(p.name)", values[s][i])) }
        }
        return out
    }

    public mutating func load(_ tensors: [String: Tensor], for parameters: [Parameter]) throws {
        // Validate every slot first so that a bad checkpoint changes nothing.
        var loaded = values
        for (s, slot) in names.enumerated() {
            for (i, p) in parameters.enumerated() {
                let key = "optim.\(kind).\(slot).\(p.name)"
                guard let t = tensors[key] else {
                    throw OptimizerStateError(description: "optimizer state \(key) is missing from the checkpoint (was it saved with another optimizer?)")
                }
                guard t.shape == p.value.shape else {
                    throw OptimizerStateError(description: "optimizer state \(key) has shape \(t.shape), expected \(p.value.shape)")
                }
                loaded[s][i] = t.copy()
            }
        }
        let expected = Set(self.tensors(for: parameters).map { $0.name })
        if let stray = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw OptimizerStateError(description: "the checkpoint has optimizer state \(stray), which this optimizer does not use (was it saved with another optimizer?)")
        }
        values = loaded
    }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm` (PyTorch's
/// clip_grad_norm_); returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters where p.isTrainable { total += Double(p.gradient.squaredNorm()) }
    let norm = Float(total.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for p in parameters where p.isTrainable { Kernels.scale(p.gradient.count, scale, p.gradient.scratchPointer) }
    }
    return norm
}
