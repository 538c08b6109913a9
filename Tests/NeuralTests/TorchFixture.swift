// The PyTorch fixtures (scripts/make_torch_fixtures.py writes them once; they are committed and
// read with Dojo's own safetensors reader) and how the Neural tests compare with them: within
// `tolerance` of the largest magnitude expected (at least 1).
import Foundation
import Neural
import Tensors
import XCTest

extension XCTestCase {
    func torchFixture(_ name: String) throws -> SafeTensorsFile {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Fixtures"),
                                "fixture \(name) missing; run scripts/make_torch_fixtures.py \(name)")
        return try SafeTensorsFile.read(from: url.path)
    }

    func assertClose(_ got: Tensor, _ expected: Tensor?, _ what: String, tolerance: Float = 1e-5,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let expected else { return XCTFail("fixture lacks \(what)", file: file, line: line) }
        XCTAssertEqual(got.shape, expected.shape, what, file: file, line: line)
        guard got.shape == expected.shape else { return }
        let scale = max(1, expected.withUnsafeBufferPointer { $0.map(abs).max() ?? 1 })
        XCTAssertLessThan(got.maxAbsDifference(expected) / scale, tolerance,
                          "\(what): ours \(got) vs PyTorch \(expected)", file: file, line: line)
    }

    /// Loads the fixture's parameters into `layer` by name, runs forward on "x" and backward of
    /// "dy", and compares the output ("y"), the input gradient ("dx") and every parameter's
    /// gradient ("grad.<name>") with PyTorch's.
    func checkAgainstTorch(_ layer: any Layer, _ f: SafeTensorsFile, tolerance: Float = 1e-5,
                           file: StaticString = #filePath, line: UInt = #line) throws {
        for p in layer.parameters { p.value = try XCTUnwrap(f[p.name], p.name, file: file, line: line) }
        layer.parameters.zeroGradients()
        assertClose(layer.forward(try XCTUnwrap(f["x"])), f["y"], "y", tolerance: tolerance, file: file, line: line)
        assertClose(layer.backward(try XCTUnwrap(f["dy"])), f["dx"], "dx", tolerance: tolerance, file: file, line: line)
        for p in layer.parameters { assertClose(p.gradient, f["grad." + p.name], "d " + p.name, tolerance: tolerance, file: file, line: line) }
    }
}
