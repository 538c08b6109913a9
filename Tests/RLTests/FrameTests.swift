import RL
import XCTest

final class FrameTests: XCTestCase {
    func testFillRectClipsAndNearestNeighbourScaling() {
        var f = Frame(width: 3, height: 2)
        f.fillRect(x: 2, y: -1, width: 5, height: 2, RGB(9, 8, 7))
        XCTAssertEqual(f[2, 0], RGB(9, 8, 7))
        XCTAssertEqual(f[2, 1], .black)
        XCTAssertEqual(f[1, 0], .black)
        let big = f.scaled(by: 2)
        XCTAssertEqual(big.size, FrameSize(width: 6, height: 4))
        XCTAssertEqual(big[4, 0], RGB(9, 8, 7)); XCTAssertEqual(big[5, 1], RGB(9, 8, 7))
        XCTAssertEqual(big[3, 1], .black); XCTAssertEqual(big[4, 2], .black)
    }
}
