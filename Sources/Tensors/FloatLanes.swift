// Writing an elementwise rule once and running it 16 lanes at a time.
//
// `FloatLanes` is implemented by `Float` (one lane), `SIMD8<Float>` and `SIMD16<Float>`. A rule
// written generically over it (an optimizer update, an activation) is run by `Lanes.forEach` on
// full 16-lane chunks and then on the scalar tail, so the vector code is explicit — no reliance
// on the auto-vectoriser, which gives up on loops that write through several pointers. Sixteen
// lanes are one zmm register on AVX-512 CPUs (a release build targets the build machine) and
// two ymm registers elsewhere; every lane computes the same IEEE operations as the scalar tail,
// so the width never changes a result.

import CSIMD

public protocol FloatLanes {
    init(repeating value: Float)
    static func load(_ pointer: UnsafePointer<Float>) -> Self
    func store(_ pointer: UnsafeMutablePointer<Float>)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    /// Square root without libm's errno path (so it vectorises).
    func lanesSquareRoot() -> Self
}

extension Float: FloatLanes {
    @inlinable @inline(__always) public func lanesSquareRoot() -> Float { squareRoot() }
    @inlinable @inline(__always) public init(repeating value: Float) { self = value }
    @inlinable @inline(__always) public static func load(_ pointer: UnsafePointer<Float>) -> Float { pointer.pointee }
    @inlinable @inline(__always) public func store(_ pointer: UnsafeMutablePointer<Float>) { pointer.pointee = self }
}

/// Loads and stores for the vector conformances: unaligned, one instruction each.
extension FloatLanes where Self: SIMD, Self.Scalar == Float {
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(pointer).loadUnaligned(as: Self.self)
    }
    @inlinable @inline(__always)
    public func store(_ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self)
    }
}

extension SIMD8: FloatLanes where Scalar == Float {
    @inlinable @inline(__always) public func lanesSquareRoot() -> SIMD8<Float> { dojo_sqrt8(self) }
}

extension SIMD16: FloatLanes where Scalar == Float {
    @inlinable @inline(__always) public func lanesSquareRoot() -> SIMD16<Float> { dojo_sqrt16(self) }
}

public enum Lanes {
    /// Calls `body(index, lanes)` for 16-lane chunks of 0..<count, then for each leftover index
    /// with one lane. `body` must be generic over the lane type; it receives the element index
    /// of its first lane.
    @inlinable @inline(__always)
    public static func forEach(_ count: Int, _ vector: (Int, SIMD16<Float>.Type) -> Void,
                               _ scalar: (Int, Float.Type) -> Void) {
        var i = 0
        while i &+ 16 <= count { vector(i, SIMD16<Float>.self); i &+= 16 }
        while i < count { scalar(i, Float.self); i &+= 1 }
    }
}
