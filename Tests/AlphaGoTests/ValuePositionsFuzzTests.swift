// Fuzzing the value-positions reader: mutated files are an AlphaGoError or positions with
// outcomes in −1…1; nothing traps.
@testable import AlphaGo
import Foundation
import Go
import Tensors
import TestSupport
import XCTest

final class ValuePositionsFuzzTests: XCTestCase {
    func testMutatedPositionFilesAreReadOrRefused() {
        var g = SeededGenerator(seed: 5)
        let n = 5, count = GoGame.alphaGoValuePlanes * n * n
        let examples = (0..<3).map { k in
            ValueExample(planes: PackedPlanes((0..<count).map { _ in g.nextUniform() < 0.3 ? 1 : 0 }, planes: GoGame.alphaGoValuePlanes, size: n),
                         outcome: [1, -1, 0][k])
        }
        let bytes = ValuePositionsFile.encode(examples, boardSize: n)
        XCTAssertEqual(try ValuePositionsFile.decode(bytes).examples.map(\.outcome), [1, -1, 0])
        var m = Mutator(seed: 81)
        var read = 0, refused = 0
        for _ in 0..<500 {
            do {
                let (size, back) = try ValuePositionsFile.decode(m.mutate(bytes, edits: 2))
                XCTAssertTrue((5...19).contains(size))
                XCTAssertTrue(back.allSatisfy { $0.outcome.isFinite && abs($0.outcome) <= 1 })
                read += 1
            } catch is AlphaGoError { refused += 1 } catch { XCTFail("\(error)") }
        }
        XCTAssertGreaterThan(refused, 300)
        XCTAssertGreaterThan(read, 10)
    }
}
