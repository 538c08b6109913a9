// A set of cells of MinAtar's 10×10 grid as one 128-bit word: cell (row y, column x) is bit
// y·10 + x. Row 0 is the top, column 0 the left edge (reference/minatar/SPEC.md §0). Whole-grid
// moves (Space Invaders' alien block, bullets) become shifts, and observations are written by
// walking the set bits.

public struct CellSet: Equatable, Sendable {
    public var bits: UInt128 = 0
    public init() {}
    /// The set of one cell.
    public init(y: Int, x: Int) { bits = UInt128(1) << (y * 10 + x) }
    init(bits: UInt128) { self.bits = bits }

    /// All 100 cells.
    static let all = CellSet(bits: (UInt128(1) << 100) - 1)

    static func row(_ y: Int) -> CellSet { CellSet(bits: ((UInt128(1) << 10) - 1) << (y * 10)) }

    static let column0: CellSet = {
        var c = CellSet()
        for y in 0..<10 { c.insert(y: y, x: 0) }
        return c
    }()
    static let column9 = CellSet(bits: column0.bits << 9)

    @inline(__always) public func contains(y: Int, x: Int) -> Bool { bits >> (y * 10 + x) & 1 != 0 }
    @inline(__always) public mutating func insert(y: Int, x: Int) { bits |= UInt128(1) << (y * 10 + x) }
    @inline(__always) public mutating func remove(y: Int, x: Int) { bits &= ~(UInt128(1) << (y * 10 + x)) }

    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }
    func intersects(_ other: CellSet) -> Bool { bits & other.bits != 0 }
    func intersection(_ other: CellSet) -> CellSet { CellSet(bits: bits & other.bits) }
    mutating func subtract(_ other: CellSet) { bits &= ~other.bits }

    /// Every cell moved one row down; the bottom row falls off.
    var shiftedDown: CellSet { CellSet(bits: (bits << 10) & Self.all.bits) }
    /// Every cell moved one row up; the top row falls off.
    var shiftedUp: CellSet { CellSet(bits: bits >> 10) }
    /// Every cell moved one row down, the bottom row reappearing at the top (numpy's roll).
    var rolledDown: CellSet { CellSet(bits: ((bits << 10) & Self.all.bits) | (bits >> 90)) }
    /// Every cell moved one column right (callers guarantee column 9 is empty).
    var shiftedRight: CellSet { CellSet(bits: bits << 1) }
    /// Every cell moved one column left (callers guarantee column 0 is empty).
    var shiftedLeft: CellSet { CellSet(bits: bits >> 1) }

    /// Calls `body(index)` for every cell index y·10 + x in ascending order.
    @inline(__always)
    func forEachIndex(_ body: (Int) -> Void) {
        var b = bits
        while b != 0 {
            body(b.trailingZeroBitCount)
            b &= b &- 1
        }
    }

    /// Writes the whole plane: 1 where a cell is in the set, 0 elsewhere (no zeroing needed).
    /// Two 64-bit halves keep the loops branch-free and vectorisable.
    @inline(__always)
    func store(into plane: UnsafeMutablePointer<Float>) {
        let low = UInt64(truncatingIfNeeded: bits), high = UInt64(truncatingIfNeeded: bits >> 64)
        for i in 0..<64 { plane[i] = Float(UInt32(truncatingIfNeeded: low >> UInt64(i)) & 1) }
        for i in 64..<100 { plane[i] = Float(UInt32(truncatingIfNeeded: high >> UInt64(i - 64)) & 1) }
    }
}

extension CellSet {
    func union(_ other: CellSet) -> CellSet { CellSet(bits: bits | other.bits) }
}
