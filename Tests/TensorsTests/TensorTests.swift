import Tensors
import XCTest

final class TensorTests: XCTestCase {
    func testCopyOnWriteKeepsCopiesIndependent() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        var b = a
        b[0, 1] = 20
        XCTAssertEqual(a.scalars, [1, 2, 3, 4])
        XCTAssertEqual(b.scalars, [1, 20, 3, 4])
    }

    func testBatchViewsShareStorageUntilWritten() {
        let x = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        var middle = x.batch(1..<3)
        XCTAssertEqual(middle.shape, [2, 2])
        XCTAssertEqual(middle.scalars, [3, 4, 5, 6])
        XCTAssertEqual(middle.pointer, x.pointer + 2, "a view must not copy")
        XCTAssertEqual(x.sample(2).scalars, [5, 6])
        middle[flat: 0] = 30
        XCTAssertEqual(x.scalars, [1, 2, 3, 4, 5, 6], "writing a view copies first")
        XCTAssertEqual(middle.scalars, [30, 4, 5, 6])
    }

    func testReshapeAndPrepareReuseStorage() {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.reshaped([3, 2])[2, 1], 6)
        var buffer = Tensor(zeros: [4, 4])
        let storage = buffer.pointer
        Tensor.prepare(&buffer, shape: [2, 8])
        XCTAssertEqual(buffer.pointer, storage)
        Tensor.prepare(&buffer, shape: [3, 3])
        XCTAssertEqual(buffer.pointer, storage)
        Tensor.prepare(&buffer, shape: [5, 5])
        XCTAssertEqual(buffer.count, 25)
        XCTAssertNotEqual(buffer.pointer, storage, "a larger shape needs new storage")
    }

    func testReductionsAndArithmetic() {
        let a = Tensor([1, -2, 3, 4.5])
        XCTAssertEqual(a.sum(), 6.5)
        XCTAssertEqual(a.max(), 4.5)
        XCTAssertEqual(a.min(), -2)
        XCTAssertEqual(a.dot(a), 1 + 4 + 9 + 20.25)
        XCTAssertEqual((a + a).scalars, [2, -4, 6, 9])
        XCTAssertEqual((a - a).sum(), 0)
        XCTAssertEqual((a * 2).scalars, [2, -4, 6, 9])
        let long = Tensor((0..<1001).map(Float.init))
        XCTAssertEqual(long.sum(), 500_500)
        a.withUnsafeBufferPointer { XCTAssertEqual(Kernels.argmax(4, $0.baseAddress!), 3) }
    }
}
