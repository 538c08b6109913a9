// A learning batch of sequences from SequenceReplay, time-major (row t·B + b is sequence b's
// step t), in two parts: the burn-in (`burnIn` rows, run without gradient from the stored
// state) and the trained part (`unroll + nStep` rows: the trained steps, then the steps their
// n-step targets bootstrap from). A sequence whose burn-in was clipped at its episode's start is
// right-aligned in the burn-in rows: the rows before hold zeros and the recurrent state is
// zeroed (reset) where its episode starts. Rows past a sequence's last usable slot are padding.
import DQN
import Neural
import Tensors

public struct SequenceBatch {
    public var batch = 0, burnRows = 0, trainRows = 0
    /// [burnRows·B, C, H, W] and [trainRows·B, C, H, W].
    public var burnObservations = Tensor.empty, trainObservations = Tensor.empty
    /// The burn-in rows' resets (nil: none), and the stored states [1, B, units].
    public var burnResets: [Bool]? = nil
    public var stored = RecurrentState.empty
    /// Per sequence: trained steps, and whether it has no burn-in step (it trains from its
    /// episode's first step: its state is zeros).
    public var trained: [Int] = [], startsEpisode: [Bool] = []
    /// Per trained-part row: action (−1: none), reward, final slot, terminated, padding.
    public var actions: [Int32] = [], rewards: [Float] = [], finals: [Bool] = [], terminals: [Bool] = [], padding: [Bool] = []
    /// Per trained-part row and action (environments with illegal actions), else empty.
    public var legal: [Bool] = []

    public init() {}
}

extension SequenceReplay {
    /// The sequences at ring `positions` as a batch for observations of `shape` ([C, H, W]).
    public func gather(_ positions: [Int], shape: [Int], into out: inout SequenceBatch) {
        let B = positions.count, T = unroll + nStep, n = observationCount
        out.batch = B; out.burnRows = burnIn; out.trainRows = T
        Tensor.prepare(&out.burnObservations, shape: [burnIn * B] + shape)
        Tensor.prepare(&out.trainObservations, shape: [T * B] + shape)
        out.stored = RecurrentState(layers: 1, batch: B, hidden: units, cell: true)
        out.trained = []; out.startsEpisode = []
        out.actions = [Int32](repeating: -1, count: T * B)
        out.rewards = [Float](repeating: 0, count: T * B)
        out.finals = [Bool](repeating: false, count: T * B)
        out.terminals = out.finals
        out.padding = [Bool](repeating: true, count: T * B)
        out.legal = storesMasks ? [Bool](repeating: true, count: T * B * actionCount) : []
        var resets = [Bool](repeating: false, count: burnIn * B), anyReset = false
        let burn = out.burnObservations.scratchPointer, train = out.trainObservations.scratchPointer
        for (b, position) in positions.enumerated() {
            let q = live[position]
            let stateBase = position * 2 * units
            liveStates.withUnsafeBufferPointer { s in
                (out.stored.h.scratchPointer + b * units).update(from: s.baseAddress! + stateBase, count: units)
                (out.stored.c.scratchPointer + b * units).update(from: s.baseAddress! + stateBase + units, count: units)
            }
            out.trained.append(q.trained)
            out.startsEpisode.append(q.burnStart == q.trainStart)
            for r in 0..<burnIn {
                let g = q.trainStart - burnIn + r
                if g < q.burnStart { Kernels.fill(burn + (r * B + b) * n, n, 0); continue }
                if g == q.burnStart && r > 0 { resets[r * B + b] = true; anyReset = true }
                readObservation(g, into: burn + (r * B + b) * n)
            }
            for t in 0..<T {
                let g = q.trainStart + t, row = t * B + b
                guard g <= q.end else { Kernels.fill(train + row * n, n, 0); continue }
                readObservation(g, into: train + row * n)
                let slot = g % capacity
                out.padding[row] = false
                out.actions[row] = t < q.trained ? actions[slot] : -1
                out.rewards[row] = rewards[slot]
                out.finals[row] = finals[slot]
                out.terminals[row] = terminals[slot]
                if storesMasks { for a in 0..<actionCount { out.legal[row * actionCount + a] = masks[slot * actionCount + a] } }
            }
        }
        out.burnResets = anyReset ? resets : nil
    }

    func readObservation(_ g: Int, into destination: UnsafeMutablePointer<Float>) {
        let slot = g % capacity
        if packed {
            observations.withUnsafeBufferPointer { ReplayBuffer.unpack($0.baseAddress! + slot * bytesPerObservation, into: destination, count: observationCount) }
        } else {
            floatObservations.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + slot * observationCount, count: observationCount) }
        }
    }
}
