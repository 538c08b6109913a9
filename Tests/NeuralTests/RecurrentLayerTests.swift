// LSTM and GRU: outputs, final states and every gradient against PyTorch (two layers, a given
// initial state; fixtures from scripts/make_torch_fixtures.py lstm gru), finite-difference
// gradient checks, chunked sequences with carried state equal to one pass, the episode reset
// of state rows, and checkpoint round trips.
import Foundation
import Neural
import Tensors
import TestSupport
import XCTest

final class RecurrentLayerTests: XCTestCase {
    var g = SeededGenerator(seed: 3)

    /// Loads PyTorch's parameters by name, runs forward and backward, compares everything.
    func checkAgainstPyTorch(_ layer: any Layer, _ f: SafeTensorsFile, cell: Bool, state: (RecurrentState?) -> Void,
                             final: () -> RecurrentState, stateGradient: () -> RecurrentState) {
        for p in layer.parameters { p.value = f[p.name]! }
        state(RecurrentState(h: f["h0"]!, c: cell ? f["c0"]! : .empty))
        layer.parameters.zeroGradients()
        assertClose(layer.forward(f["x"]!), f["y"], "y")
        assertClose(final().h, f["hn"], "h_n")
        if cell { assertClose(final().c, f["cn"], "c_n") }
        assertClose(layer.backward(f["dy"]!), f["dx"], "dx")
        assertClose(stateGradient().h, f["dh0"], "dh0")
        if cell { assertClose(stateGradient().c, f["dc0"], "dc0") }
        for p in layer.parameters { assertClose(p.gradient, f["grad." + p.name], "d " + p.name) }
    }

    func testLSTMMatchesPyTorch() throws {
        let lstm = LSTM(inputSize: 4, hiddenSize: 6, layers: 2, name: "", generator: &g)
        checkAgainstPyTorch(lstm, try torchFixture("lstm"), cell: true, state: { lstm.initialState = $0 },
                            final: { lstm.finalState }, stateGradient: { lstm.stateGradient })
    }

    func testGRUMatchesPyTorch() throws {
        let gru = GRU(inputSize: 4, hiddenSize: 6, layers: 2, name: "", generator: &g)
        checkAgainstPyTorch(gru, try torchFixture("gru"), cell: false, state: { gru.initialState = $0 },
                            final: { gru.finalState }, stateGradient: { gru.stateGradient })
    }

    func testGradientsMatchCentralDifferences() {
        let x = Tensor.uniform(shape: [4, 2, 3], low: -1, high: 1, using: &g)
        let lstm = LSTM(inputSize: 3, hiddenSize: 5, layers: 2, name: "lstm", generator: &g)
        lstm.initialState = RecurrentState(h: .uniform(shape: [2, 2, 5], low: -0.5, high: 0.5, using: &g),
                                           c: .uniform(shape: [2, 2, 5], low: -0.5, high: 0.5, using: &g))
        GradientCheck().check(lstm, input: x, generator: &g)
        let gru = GRU(inputSize: 3, hiddenSize: 5, layers: 2, name: "gru", generator: &g)
        gru.initialState = RecurrentState(h: .uniform(shape: [2, 2, 5], low: -0.5, high: 0.5, using: &g))
        GradientCheck().check(gru, input: x, generator: &g)
    }

    /// Two chunks with the state carried over give the outputs of one pass (truncated BPTT's
    /// forward is the same computation; only its gradient stops at the boundary).
    func testCarriedStateSplitsASequenceExactly() {
        let x = Tensor.uniform(shape: [6, 3, 4], low: -1, high: 1, using: &g)
        func chunk(_ from: Int, _ to: Int) -> Tensor {
            Tensor(shape: [to - from, 3, 4], values: x.withUnsafeBufferPointer { Array($0) }[(from * 12)..<(to * 12)].map { $0 })
        }
        for cell in [true, false] {
            let layer: any Layer = cell ? LSTM(inputSize: 4, hiddenSize: 5, layers: 2, name: "", generator: &g)
                                        : GRU(inputSize: 4, hiddenSize: 5, layers: 2, name: "", generator: &g)
            func set(_ s: RecurrentState?) { if let l = layer as? LSTM { l.initialState = s } else if let l = layer as? GRU { l.initialState = s } }
            func final() -> RecurrentState { (layer as? LSTM)?.finalState ?? (layer as! GRU).finalState }
            set(nil)
            let whole = layer.forward(x).withUnsafeBufferPointer { Array($0) }
            let wholeFinal = final().copy()   // the layer's buffer until its next call
            let first = layer.forward(chunk(0, 4)).withUnsafeBufferPointer { Array($0) }
            set(final())
            let second = layer.forward(chunk(4, 6)).withUnsafeBufferPointer { Array($0) }
            // Equal up to the rounding of products over 4 and 6 steps at once.
            for (a, b) in zip(first + second, whole) { XCTAssertEqual(a, b, accuracy: 1e-6, "cell \(cell)") }
            for (a, b) in zip(final().h.withUnsafeBufferPointer { Array($0) }, wholeFinal.h.withUnsafeBufferPointer { Array($0) }) {
                XCTAssertEqual(a, b, accuracy: 1e-6)
            }
            // Resetting row 1 is starting that sequence afresh: its outputs are a zero-state run's.
            var reset = wholeFinal
            reset.resetRows([1])
            set(reset)
            let afterReset = layer.forward(chunk(4, 6)).withUnsafeBufferPointer { Array($0) }
            set(nil)
            let fresh = layer.forward(chunk(4, 6)).withUnsafeBufferPointer { Array($0) }
            for t in 0..<2 {
                XCTAssertEqual(afterReset[(t * 3 + 1) * 5..<(t * 3 + 2) * 5], fresh[(t * 3 + 1) * 5..<(t * 3 + 2) * 5], "row 1 starts afresh")
                XCTAssertNotEqual(afterReset[(t * 3) * 5..<(t * 3 + 1) * 5], fresh[(t * 3) * 5..<(t * 3 + 1) * 5], "row 0 keeps its state")
            }
        }
    }

    /// A reset inside the sequence is a fresh start of that row there: its outputs from then on
    /// are a zero-state run's, the other rows are untouched, and the gradients (checked by
    /// central differences) do not cross it.
    func testResetsInsideASequence() {
        let x = Tensor.uniform(shape: [5, 2, 3], low: -1, high: 1, using: &g)
        var resets = [Bool](repeating: false, count: 10)
        resets[3 * 2 + 1] = true   // row 1 starts an episode at step 3
        for cell in [true, false] {
            let lstm = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, name: "", generator: &g)
            let gru = GRU(inputSize: 3, hiddenSize: 4, layers: 2, name: "", generator: &g)
            let layer: any Layer = cell ? lstm : gru
            func configure(_ r: [Bool]?) { lstm.resets = r; gru.resets = r }
            configure(nil)
            let plain = layer.forward(x).withUnsafeBufferPointer { Array($0) }
            configure(resets)
            let withReset = layer.forward(x).withUnsafeBufferPointer { Array($0) }
            // Row 1 from step 3 on, against a fresh run on steps 3 and 4 alone.
            let tail = Tensor(shape: [2, 2, 3], values: x.withUnsafeBufferPointer { Array($0) }[18...].map { $0 })
            configure(nil)
            let fresh = layer.forward(tail).withUnsafeBufferPointer { Array($0) }
            for t in 0..<5 {
                for j in 0..<4 {
                    XCTAssertEqual(withReset[(t * 2) * 4 + j], plain[(t * 2) * 4 + j], "row 0 never resets")
                    if t < 3 { XCTAssertEqual(withReset[(t * 2 + 1) * 4 + j], plain[(t * 2 + 1) * 4 + j], "row 1 before its reset") }
                    else { XCTAssertEqual(withReset[(t * 2 + 1) * 4 + j], fresh[((t - 3) * 2 + 1) * 4 + j], accuracy: 1e-6, "row 1 after its reset") }
                }
            }
            configure(resets)
            GradientCheck().check(layer, input: x, generator: &g)
        }
    }

    func testCheckpointRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rnn-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let x = Tensor.uniform(shape: [3, 2, 4], low: -1, high: 1, using: &g)
        let saved = LSTM(inputSize: 4, hiddenSize: 5, layers: 2, name: "memory", generator: &g)
        let savedGRU = GRU(inputSize: 4, hiddenSize: 5, name: "gru", generator: &g)
        try Checkpoint.save(to: path, parameters: saved.parameters + savedGRU.parameters)
        let loaded = LSTM(inputSize: 4, hiddenSize: 5, layers: 2, name: "memory", generator: &g)
        let loadedGRU = GRU(inputSize: 4, hiddenSize: 5, name: "gru", generator: &g)
        XCTAssertNotEqual(loaded.forward(x).withUnsafeBufferPointer { Array($0) }, saved.forward(x).withUnsafeBufferPointer { Array($0) })
        try Checkpoint.load(from: path, into: loaded.parameters + loadedGRU.parameters)
        XCTAssertEqual(loaded.forward(x).withUnsafeBufferPointer { Array($0) }, saved.forward(x).withUnsafeBufferPointer { Array($0) })
        XCTAssertEqual(loadedGRU.forward(x).withUnsafeBufferPointer { Array($0) }, savedGRU.forward(x).withUnsafeBufferPointer { Array($0) })
        XCTAssertEqual(saved.parameters.map(\.name), ["memory.weight_ih_l0", "memory.weight_hh_l0", "memory.bias_ih_l0", "memory.bias_hh_l0",
                                                      "memory.weight_ih_l1", "memory.weight_hh_l1", "memory.bias_ih_l1", "memory.bias_hh_l1"])
    }

    /// The final state and the state gradient are the layer's own buffers, reused call after
    /// call (no allocation in steady state), and feeding the final state back in is safe.
    func testStateBuffersAreReused() {
        let x = Tensor.uniform(shape: [3, 2, 4], low: -1, high: 1, using: &g)
        let lstm = LSTM(inputSize: 4, hiddenSize: 5, layers: 2, name: "", generator: &g)
        let gru = GRU(inputSize: 4, hiddenSize: 5, layers: 2, name: "", generator: &g)
        for layer in [lstm, gru] as [any Layer] {
            func states() -> (RecurrentState, RecurrentState) { ((layer as? LSTM)?.finalState ?? gru.finalState, (layer as? LSTM)?.stateGradient ?? gru.stateGradient) }
            _ = layer.forward(x); _ = layer.backward(Tensor(zeros: [3, 2, 5]))
            let (final, gradient) = states()
            let before = (final.h.pointer, gradient.h.pointer)
            if let l = layer as? LSTM { l.initialState = final } else { gru.initialState = final }
            _ = layer.forward(x); _ = layer.backward(Tensor(zeros: [3, 2, 5]))
            let (again, gradientAgain) = states()
            XCTAssertEqual(again.h.pointer, before.0, "\(type(of: layer)): the final state's storage is reused")
            XCTAssertEqual(gradientAgain.h.pointer, before.1, "\(type(of: layer)): the state gradient's storage is reused")
        }
    }
}
