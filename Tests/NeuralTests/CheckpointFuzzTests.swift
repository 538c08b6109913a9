// Fuzzing the safetensors reader: mutated real checkpoints and crafted headers (offsets out of
// range or overlapping, shapes whose product overflows, absurd sizes). Every input is a
// SafeTensorsError or a file whose tensors restore into the network; nothing traps, and no
// tensor is larger than the file that declares it.
import Foundation
import Neural
import Tensors
import TestSupport
import XCTest

final class CheckpointFuzzTests: XCTestCase {
    func network() -> TwoHeadNetwork {
        var g = SeededGenerator(seed: 1)
        return TwoHeadNetwork.alphaGoZero(board: 3, planes: 2, filters: 4, blocks: 1, valueHidden: 8, generator: &g)
    }

    func testMutatedCheckpointsAreReadOrRefused() throws {
        let net = network()
        let bytes = try SafeTensorsFile(tensors: net.parameters.map { ($0.name, $0.value) },
                                        metadata: ["format": "dojo", "format_version": "1"]).encoded()
        var m = Mutator(seed: 11)
        var read = 0, refused = 0
        for _ in 0..<400 {
            let input = m.mutate(bytes, edits: 3)
            do {
                let file = try SafeTensorsFile.decode(input)
                let total = file.tensors.reduce(0) { $0 + $1.tensor.count * 4 } + file.byteArrays.reduce(0) { $0 + $1.bytes.count }
                XCTAssertLessThanOrEqual(total, input.count, "no tensor outgrows its file")
                _ = try? Checkpoint.restore(file, into: network().parameters)
                read += 1
            } catch is SafeTensorsError { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 100)
        XCTAssertGreaterThan(read, 10, "some mutations only touch values")
    }

    func testCraftedHeadersAreRefused() {
        var m = Mutator(seed: 12)
        let dtypes = ["F32", "F64", "U8", "I64", "", "f32"]
        let numbers = [0, 1, 4, 7, 8, -1, -8, Int(Int32.max), 1 << 40, Int.max, Int.min, 4_294_967_296]
        var refused = 0
        for _ in 0..<400 {
            var entries: [String] = []
            for k in 0..<(1 + m.int(3)) {
                let shape = (0..<m.int(4)).map { _ in String(m.pick(numbers)) }.joined(separator: ",")
                entries.append("\"t\(k)\":{\"dtype\":\"\(m.pick(dtypes))\",\"shape\":[\(shape)],\"data_offsets\":[\(m.pick(numbers)),\(m.pick(numbers))]}")
            }
            if m.int(4) == 0 { entries.append("\"__metadata__\":{\"format\":\(m.pick(["1", "\"dojo\"", "[]", "null"]))}") }
            var header = Array("{\(entries.joined(separator: ","))}".utf8)
            while header.count % 8 != 0 { header.append(0x20) }
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
            bytes += header + [UInt8](repeating: 0, count: m.int(64))
            do {
                let file = try SafeTensorsFile.decode(bytes)
                XCTAssertLessThanOrEqual(file.tensors.reduce(0) { $0 + $1.tensor.count }, bytes.count)
            } catch { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 350)
    }
}
