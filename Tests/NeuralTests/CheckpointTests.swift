import Foundation
import Neural
import Tensors
import TestSupport
import XCTest

final class CheckpointTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "dojo-checkpoint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func network(seed: UInt64, filters: Int = 4) -> TwoHeadNetwork {
        var g = SeededGenerator(seed: seed)
        return TwoHeadNetwork.alphaGoZero(board: 3, planes: 2, filters: filters, blocks: 1, valueHidden: 8, generator: &g)
    }

    func trainedNetworkAndOptimizer() -> (TwoHeadNetwork, Adam) {
        let net = network(seed: 1)
        let adam = Adam(parameters: net.parameters, learningRate: 0.01)
        var g = SeededGenerator(seed: 2)
        for p in net.parameters where p.isTrainable { p.gradient = Tensor.normal(shape: p.value.shape, using: &g) }
        adam.step(); adam.step()
        _ = net.forward(Tensor.normal(shape: [2, 2, 3, 3], using: &g))   // moves BN running stats
        return (net, adam)
    }

    func expectError(_ path: String, contains text: String, into net: TwoHeadNetwork? = nil,
                     file: StaticString = #filePath, line: UInt = #line) {
        let target = net ?? network(seed: 9)
        let before = target.parameters.map { $0.value.copy() }
        XCTAssertThrowsError(try Checkpoint.load(from: path, into: target.parameters), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(text), "expected “\(text)” in: \(error)", file: file, line: line)
            XCTAssertFalse("\(error)".contains("\n"), "one sentence, one line: \(error)", file: file, line: line)
        }
        XCTAssertEqual(target.parameters.map(\.value), before, "a failed load must change nothing", file: file, line: line)
    }

    func testRoundTripRestoresParametersBuffersOptimizerAndMetadata() throws {
        let (net, adam) = trainedNetworkAndOptimizer()
        let path = folder + "/latest.safetensors"
        try Checkpoint.save(to: path, parameters: net.parameters, optimizer: adam,
                            metadata: ["agent": "alphazero", "env": "go:3", "rng": "1,2,3,4"])
        let copy = network(seed: 5)
        let adam2 = Adam(parameters: copy.parameters, learningRate: 0.01)
        let meta = try Checkpoint.load(from: path, into: copy.parameters, optimizer: adam2)
        XCTAssertEqual(meta["agent"], "alphazero")
        XCTAssertEqual(meta["format_version"], Checkpoint.formatVersion)
        XCTAssertEqual(adam2.stepCount, 2)
        XCTAssertEqual(copy.parameters.map(\.value), net.parameters.map(\.value))
        XCTAssertTrue(copy.parameters.contains { $0.name == "trunk.stem.bn.running_mean" })
        // Resume is exact: the next update is identical.
        var g = SeededGenerator(seed: 3)
        for (a, b) in zip(net.parameters, copy.parameters) where a.isTrainable {
            a.gradient = Tensor.normal(shape: a.value.shape, using: &g)
            b.gradient = a.gradient.copy()
        }
        adam.step(); adam2.step()
        XCTAssertEqual(copy.parameters.map(\.value), net.parameters.map(\.value))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("tmp") }
        XCTAssertEqual(leftovers, [], "the temporary file is renamed, not left behind")
    }

    func testEveryKindOfBadFileGetsOneClearSentence() throws {
        let (net, adam) = trainedNetworkAndOptimizer()
        let good = folder + "/good.safetensors"
        try Checkpoint.save(to: good, parameters: net.parameters, optimizer: adam)
        let bytes = [UInt8](FileManager.default.contents(atPath: good)!)
        func write(_ name: String, _ data: [UInt8]) -> String {
            let path = folder + "/" + name
            FileManager.default.createFile(atPath: path, contents: Data(data))
            return path
        }
        expectError(folder + "/absent.safetensors", contains: "no such file")
        expectError(write("short", [1, 2, 3]), contains: "not a safetensors file")
        expectError(write("text", Array("hello, this is not a checkpoint at all".utf8)), contains: "header claims")
        expectError(write("truncated", Array(bytes.prefix(bytes.count - 100))), contains: "truncated")
        var badJSON = bytes
        badJSON[8] = UInt8(ascii: "[")
        expectError(write("badjson", badJSON), contains: "not a JSON object")

        func rewrite(_ name: String, _ edit: (inout SafeTensorsFile) -> Void) throws -> String {
            var file = try SafeTensorsFile.read(from: good)
            edit(&file)
            let path = folder + "/" + name
            try file.write(to: path)
            return path
        }
        expectError(try rewrite("missing") { $0.tensors.removeAll { $0.name == "value.fc1.weight" } },
                    contains: "tensor value.fc1.weight is missing")
        expectError(try rewrite("extra") { $0.tensors.append((name: "value.fc3.weight", tensor: Tensor(zeros: [2]))) },
                    contains: "has tensor value.fc3.weight, which this network does not have")
        expectError(try rewrite("shape") { file in
            let i = file.tensors.firstIndex { $0.name == "policy.fc.bias" }!
            file.tensors[i].tensor = Tensor(zeros: [11])
        }, contains: "policy.fc.bias has shape [11] in the checkpoint but the network expects [10]")
        expectError(try rewrite("foreign") { $0.metadata["format"] = nil }, contains: "not a Dojo checkpoint")
        expectError(try rewrite("future") { $0.metadata["format_version"] = "99" }, contains: "version 99 is not supported")

        // A different network entirely (more filters) names the first mismatched tensor.
        expectError(good, contains: "has shape", into: network(seed: 1, filters: 6))

        // Unsupported dtype: patch the header text from F32 to I64 for one tensor.
        let headerEnd = 8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16
        var header = String(decoding: bytes[8..<headerEnd], as: UTF8.self)
        header = header.replacingOccurrences(of: "\"F32\"", with: "\"I64\"")
        expectError(write("dtype", Array(bytes[0..<8]) + Array(header.utf8) + Array(bytes[headerEnd...])), contains: "dtype I64")

        // Optimizer state: asking to resume from a checkpoint saved without it.
        let bare = folder + "/bare.safetensors"
        try Checkpoint.save(to: bare, parameters: net.parameters)
        XCTAssertThrowsError(try Checkpoint.load(from: bare, into: network(seed: 1).parameters,
                                                 optimizer: Adam(parameters: network(seed: 1).parameters))) { error in
            XCTAssertTrue("\(error)".contains("no optimizer state"), "\(error)")
        }
        // Wrong optimizer kind.
        let sgdNet = network(seed: 1)
        XCTAssertThrowsError(try Checkpoint.load(from: good, into: sgdNet.parameters,
                                                 optimizer: SGD(parameters: sgdNet.parameters, learningRate: 0.1, momentum: 0.9))) { error in
            XCTAssertTrue("\(error)".contains("optim.sgd.momentum"), "\(error)")
        }
    }

    /// A header whose dimensions multiply past Int.max is an error, not a crash.
    func testOverflowingShapeIsAnErrorNotATrap() {
        var header = Array(#"{"x":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}}"#.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header + [0, 0, 0, 0]
        XCTAssertThrowsError(try SafeTensorsFile.decode(bytes)) { error in
            XCTAssertTrue("\(error)".contains("larger than the file's 4 data bytes"), "\(error)")
        }
    }

    /// data_offsets that disagree with dtype and shape — shorter, longer — or that overlap or
    /// leave bytes over are refused.
    func testDataOffsetsMustMatchTheShapeAndTileTheData() {
        func file(_ entries: String, data: Int) -> [UInt8] {
            var header = Array("{\(entries)}".utf8)
            while header.count % 8 != 0 { header.append(0x20) }
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
            return bytes + header + [UInt8](repeating: 0, count: data)
        }
        let a = #""a":{"dtype":"F32","shape":[2],"data_offsets":"#, b = #""b":{"dtype":"F32","shape":[2],"data_offsets":"#
        let cases: [(String, Int, String)] = [
            (a + "[0,4]}", 8, "do not hold 8 bytes"),                          // shorter
            (a + "[0,12]}", 12, "do not hold 8 bytes"),                        // longer
            (a + "[0,8]}," + b + "[4,12]}", 12, "overlaps the tensor before it"),
            (a + "[0,8]}," + b + "[0,8]}", 8, "overlaps the tensor before it"),
            (a + "[0,8]}," + b + "[12,20]}", 20, "belong to no tensor"),
            (a + "[0,8]}", 12, "the tensors end at data byte 8 but the file holds 12"),
        ]
        for (entries, data, message) in cases {
            XCTAssertThrowsError(try SafeTensorsFile.decode(file(entries, data: data)), entries) { error in
                XCTAssertTrue("\(error)".contains(message), "\(entries): \(error)")
            }
        }
        XCTAssertNoThrow(try SafeTensorsFile.decode(file(a + "[8,16]}," + b + "[0,8]}", data: 16)), "any order in the header")
    }

    func testReadsFloat64AndHeaderPadding() throws {
        // Hand-built file: one F64 tensor [2] = [1.5, -2], header padded with spaces.
        var header = Array(#"{"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for v in [1.5, -2.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        let file = try SafeTensorsFile.decode(bytes)
        XCTAssertEqual(file["x"]?.scalars, [1.5, -2])
    }

    /// Interop with the reference implementation: Python's safetensors reads a file we wrote,
    /// and we read a file it wrote. Needs python3 with safetensors and numpy (`make test`
    /// installs them); skipped elsewhere unless running under CI, where it must run.
    func testPythonSafetensorsInterop() throws {
        func runPython(_ code: String) throws -> (Int32, String) {
            let r = try ExternalProcess.run("python3", ["-c", code])
            return (r.status, r.stdout + r.stderr)
        }
        try ExternalProcess.requirePython("safetensors, numpy")
        let (net, adam) = trainedNetworkAndOptimizer()
        let ours = folder + "/ours.safetensors", theirs = folder + "/theirs.safetensors"
        try Checkpoint.save(to: ours, parameters: net.parameters, optimizer: adam, metadata: ["agent": "test"])
        let w = net.parameters.first { $0.name == "policy.fc.weight" }!.value
        let (readStatus, readOutput) = try runPython("""
        from safetensors.numpy import load_file
        from safetensors import safe_open
        t = load_file('\(ours)')
        with safe_open('\(ours)', 'numpy') as f: meta = f.metadata()
        w = t['policy.fc.weight']
        print(meta['agent'], meta['format'], w.dtype, list(w.shape), repr(float(w[1, 2])), len(t))
        """)
        XCTAssertEqual(readStatus, 0, readOutput)
        let expected = "test dojo-checkpoint float32 [10, 18] \(Double(w[1, 2])) \(net.parameters.count + adam.stateTensors.count)"
        XCTAssertEqual(readOutput.trimmingCharacters(in: .whitespacesAndNewlines), expected)

        let (writeStatus, writeOutput) = try runPython("""
        import numpy as np
        from safetensors.numpy import save_file
        save_file({'a': np.arange(6, dtype=np.float32).reshape(2, 3), 'b': np.array([0.25], dtype=np.float64)},
                  '\(theirs)', metadata={'who': 'python'})
        """)
        XCTAssertEqual(writeStatus, 0, writeOutput)
        let file = try SafeTensorsFile.read(from: theirs)
        XCTAssertEqual(file["a"]?.shape, [2, 3])
        XCTAssertEqual(file["a"]?.scalars, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(file["b"]?.scalars, [0.25])
        XCTAssertEqual(file.metadata["who"], "python")
    }
}
