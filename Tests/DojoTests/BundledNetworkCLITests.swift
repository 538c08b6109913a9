// The 9×9 network shipped with Dojo (issue 22 §5): small enough for the repository, played by
// name wherever a player spec is taken, refused with a sentence on the wrong board or under an
// unknown name.
import Foundation
import TestSupport
import XCTest

final class BundledNetworkCLITests: XCTestCase, RunsDojo {
    func testTheNineByNineNetworkPlaysByName() throws {
        let file = ExternalProcess.repositoryRoot.appendingPathComponent("Sources/Catalog/Networks/alphazero-go9.safetensors").path
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        XCTAssertLessThanOrEqual(size, 10 << 20, "at most 10 MB in the repository")
        let gtp = try ExternalProcess.run(try dojo.path, ["gtp", "--agent", "az:go9,playouts=50", "--size", "9"],
                                          input: "1 genmove b\n2 play w E5\n3 dojo-ownership\n4 quit\n")
        XCTAssertEqual(gtp.status, 0, gtp.stderr)
        let answers = gtp.stdout.components(separatedBy: "\n\n")
        guard answers.count >= 3 else { return XCTFail("three answers: \(gtp.stdout)") }
        XCTAssertTrue(answers[0].firstMatch(of: /^=1 ([A-HJ][1-9]|pass)$/) != nil, gtp.stdout)
        XCTAssertEqual(answers[1], "=2", gtp.stdout)
        let rows = answers[2].split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 9, gtp.stdout)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: " ").compactMap { Double($0) }.count == 9 }, gtp.stdout)
        let small = try run(["gtp", "--agent", "az:go9", "--size", "5"])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.stderr.contains("plays 9×9 only"), small.stderr)
        let unknown = try run(["gtp", "--agent", "az:go19"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no bundled network 'go19'; Dojo ships az:go9"), unknown.stderr)
    }
}
