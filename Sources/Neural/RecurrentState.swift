// The state a recurrent layer carries between steps, and the conventions of Dojo's recurrent
// layers (LSTM.swift, GRU.swift):
// - Sequences are time-major: input [T, B, inputs], output [T, B, hidden], the top layer's h at
//   every step (PyTorch's batch_first = false).
// - State tensors are [layers, B, hidden], as PyTorch's h₀/h_n (and c₀/c_n for the LSTM).
// - `initialState` (nil: zeros) is read by `forward`, which leaves `finalState`; `backward`
//   leaves d loss/d initial state in `stateGradient`. Both are the layer's own buffers,
//   rewritten by its next call as a layer's output is (no allocation in steady state): copy()
//   them to keep them. Feeding `finalState` back as the next `initialState` is safe. Truncated backpropagation through time is
//   the caller feeding one chunk's final state to the next chunk as its initial state: no
//   gradient crosses that boundary.
// - Episode boundaries: between calls, zero a sequence's rows of the state (`resetRows`);
//   inside a sequence, the layer's `resets` ([T·B], true where an episode starts) zeroes the
//   state before that step in forward and stops the gradient there in backward, so a recurrent
//   agent trains on whole rollouts that cross episodes (as CleanRL's ppo_atari_lstm does).
import Tensors

/// What the recurrent layers (LSTM, GRU) share, by the conventions above.
public protocol RecurrentLayer: Layer {
    var initialState: RecurrentState? { get set }
    var resets: [Bool]? { get set }
    var finalState: RecurrentState { get }
    var stateGradient: RecurrentState { get }
}

public struct RecurrentState {
    /// h, [layers, B, hidden].
    public var h: Tensor
    /// c, [layers, B, hidden] for the LSTM; empty for the GRU, which has no cell.
    public var c: Tensor

    public init(h: Tensor, c: Tensor = .empty) { self.h = h; self.c = c }

    /// Zeros for `layers` layers of `batch` sequences (`cell`: with an LSTM cell).
    public init(layers: Int, batch: Int, hidden: Int, cell: Bool = true) {
        h = Tensor(zeros: [layers, batch, hidden])
        c = cell ? Tensor(zeros: [layers, batch, hidden]) : .empty
    }

    public static var empty: RecurrentState { RecurrentState(h: .empty) }

    /// Shapes `state` for `layers` layers of `batch` sequences, reusing its storage (values
    /// left to the caller, which writes every one).
    static func prepare(_ state: inout RecurrentState, layers: Int, batch: Int, hidden: Int, cell: Bool) {
        Tensor.prepare(&state.h, shape: [layers, batch, hidden])
        if cell { Tensor.prepare(&state.c, shape: [layers, batch, hidden]) } else { state.c = .empty }
    }

    /// Zeroes sequence `row`'s state in every layer (an episode ended there).
    public mutating func resetRows(_ rows: some Sequence<Int>) {
        Self.zeroRows(h, rows)
        Self.zeroRows(c, rows)
    }

    private static func zeroRows(_ t: Tensor, _ rows: some Sequence<Int>) {
        guard t.count > 0 else { return }
        let batch = t.shape[1], hidden = t.shape[2], p = t.scratchPointer
        for l in 0..<t.shape[0] { for r in rows { Kernels.fill(p + (l * batch + r) * hidden, hidden, 0) } }
    }

    /// Takes `other`'s values into this state's own storage (reshaped, and only then
    /// reallocated, when the shapes differ): keeping a layer's `finalState` step after step
    /// without allocating.
    public mutating func update(from other: RecurrentState) {
        guard h.shape == other.h.shape && c.shape == other.c.shape else { self = other.copy(); return }
        h.scratchPointer.update(from: other.h.pointer, count: other.h.count)
        if other.c.count > 0 { c.scratchPointer.update(from: other.c.pointer, count: other.c.count) }
    }

    /// An independent copy (states share storage when assigned).
    public func copy() -> RecurrentState { RecurrentState(h: h.count > 0 ? h.copy() : .empty, c: c.count > 0 ? c.copy() : .empty) }

    /// Sequences `list`'s rows, in that order, as a state of `list.count` sequences.
    public func rows(_ list: [Int]) -> RecurrentState {
        guard h.count > 0 else { return .empty }
        let layers = h.shape[0], batch = h.shape[1], hidden = h.shape[2], cell = c.count > 0
        let out = RecurrentState(layers: layers, batch: list.count, hidden: hidden, cell: cell)
        for l in 0..<layers {
            for (j, r) in list.enumerated() {
                (out.h.scratchPointer + (l * list.count + j) * hidden).update(from: h.pointer + (l * batch + r) * hidden, count: hidden)
                if cell { (out.c.scratchPointer + (l * list.count + j) * hidden).update(from: c.pointer + (l * batch + r) * hidden, count: hidden) }
            }
        }
        return out
    }
}
