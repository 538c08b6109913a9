// Tensor: a dense Float32 array with a shape, stored contiguously in row-major order
// (the last dimension varies fastest; images are NCHW: batch, channel, height, width).
//
// Storage is shared between copies and copied on the first write through a non-unique
// reference (copy-on-write), so `var t2 = t1` is cheap and value-like. A batch view
// (`batch(_:)`) shares the parent's storage with an element offset: reading a slice of a
// minibatch never copies.
//
// Hot code reads and writes through `withUnsafeBufferPointer` /
// `withUnsafeMutableBufferPointer`; nothing here allocates once a tensor exists.
// The one exception to copy-on-write is deliberate: layers own scratch buffers (`prepare`)
// and write them through `scratchPointer` without copying, so a tensor a layer returned holds
// that layer's values only until its next call (llm.c's activation buffers, in Swift).

/// Reference-counted, 64-byte aligned float buffer behind one or more tensors.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, capacity) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, capacity))
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

public struct Tensor: @unchecked Sendable {
    /// Dimensions, outermost first.
    public var shape: [Int] { _shape }
    @usableFromInline var _shape: [Int]
    @usableFromInline var storage: TensorStorage
    @usableFromInline var offset: Int
    /// Number of elements (product of `shape`).
    public var count: Int { _count }
    @usableFromInline var _count: Int

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        _shape = shape
        _count = shape.reduce(1, *)
        storage = TensorStorage(capacity: _count)
        offset = 0
    }

    /// A tensor filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(zeros: shape)
        if value != 0 { fill(value) }
    }

    /// A tensor from explicit values (row-major).
    public init(shape: [Int], values: [Float]) {
        self.init(zeros: shape)
        precondition(values.count == count,
                     "Tensor shape \(shape) needs \(count) values, got \(values.count)")
        values.withUnsafeBufferPointer { src in
            storage.pointer.update(from: src.baseAddress!, count: count)
        }
    }

    /// A 1-D tensor from values.
    public init(_ values: [Float]) { self.init(shape: [values.count], values: values) }

    /// A shared zero-element tensor (for "no gradient" returns and unused buffers).
    public static let empty = Tensor(zeros: [0])

    @inlinable public var rank: Int { shape.count }

    /// All elements as an array (a copy).
    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// Reads through a pointer valid only inside `body`.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Writes through a pointer valid only inside `body`; copies shared storage first.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer + offset, count: count))
    }

    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let fresh = TensorStorage(capacity: count)
            fresh.pointer.update(from: storage.pointer + offset, count: count)
            storage = fresh
            offset = 0
        }
    }

    /// Element access by flat index (for tests and small code; hot loops use buffer pointers).
    public subscript(flat index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "flat index \(index) out of range 0..<\(count)")
            return storage.pointer[offset + index]
        }
        set {
            precondition(index >= 0 && index < count, "flat index \(index) out of range 0..<\(count)")
            makeUnique()
            storage.pointer[offset + index] = newValue
        }
    }

    /// Element access by multi-index.
    public subscript(_ indices: Int...) -> Float {
        get { self[flat: flatIndex(indices)] }
        set { self[flat: flatIndex(indices)] = newValue }
    }

    func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "index \(indices) does not match shape \(shape)")
        var flat = 0
        for (i, d) in zip(indices, shape) {
            precondition(i >= 0 && i < d, "index \(indices) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    /// The same elements with another shape of equal count (shares storage).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var copy = self
        let n = newShape.reduce(1, *)
        precondition(n == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        copy._shape = newShape
        return copy
    }

    /// Samples `range` along the first dimension, sharing storage (no copy until written).
    public func batch(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "batch range \(range) out of bounds for shape \(shape)")
        let per = shape[0] == 0 ? 0 : count / shape[0]
        var view = self
        view.offset = offset + range.lowerBound * per
        view._shape[0] = range.count
        view._count = range.count * per
        return view
    }

    /// One sample along the first dimension, without the leading axis.
    public func sample(_ index: Int) -> Tensor {
        let view = batch(index..<(index + 1))
        return view.reshaped(Array(shape.dropFirst()))
    }

    /// Makes `buffer` have `shape`, keeping its storage when it is large enough; its contents
    /// are then unspecified. Layers keep their activations in such buffers (as llm.c does), so
    /// steady-state steps never allocate: a tensor a layer returns is that layer's buffer and
    /// holds its values until the layer's next call; `copy()` it to keep it longer.
    @inlinable
    public static func prepare(_ buffer: inout Tensor, shape: [Int]) {
        let n = shape.reduce(1, *)
        if buffer.shape == shape { return }
        if n <= buffer.storage.capacity - buffer.offset {
            buffer._shape = shape
            buffer._count = n
            return
        }
        buffer = Tensor(zeros: shape)
    }

    /// Write access to a scratch buffer's storage without copy-on-write: every tensor sharing
    /// the storage sees the writes. For layer-owned buffers prepared with `prepare`.
    @inlinable
    public var scratchPointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// Read access for hot code that has checked shapes already.
    @inlinable
    public var pointer: UnsafePointer<Float> { UnsafePointer(storage.pointer + offset) }

    /// An independent copy with its own storage.
    public func copy() -> Tensor {
        var fresh = Tensor(zeros: shape)
        fresh.storage.pointer.update(from: storage.pointer + offset, count: count)
        return fresh
    }
}

extension Tensor: Equatable {
    public static func == (a: Tensor, b: Tensor) -> Bool {
        a.shape == b.shape && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.elementsEqual(y) } }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = withUnsafeBufferPointer { $0.prefix(8).map { String($0) } }
        return "Tensor(shape: \(shape), values: [\(values.joined(separator: ", "))\(count > 8 ? ", …" : "")])"
    }
}
