// A sum tree over `capacity` non-negative priorities (Schaul et al. 2016, proportional
// prioritized replay): updates and prefix-sum lookups in O(log n), plus the minimum for
// normalising importance weights. Leaves live at [size, 2·size) of a heap-ordered array.

public struct SumTree: Sendable {
    public let capacity: Int
    private let size: Int
    private var sums: [Double]
    private var mins: [Double]

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        var s = 1
        while s < capacity { s <<= 1 }
        size = s
        sums = [Double](repeating: 0, count: 2 * s)
        mins = [Double](repeating: .infinity, count: 2 * s)
    }

    public var total: Double { sums[1] }
    /// The smallest priority set so far among the leaves in use.
    public var minimum: Double { mins[1] }

    public subscript(i: Int) -> Double { sums[size + i] }

    public mutating func set(_ i: Int, _ priority: Double) {
        precondition(i >= 0 && i < capacity && priority >= 0 && priority.isFinite, "priority \(priority) at \(i)")
        var node = size + i
        sums[node] = priority
        mins[node] = priority
        node >>= 1
        while node >= 1 {
            sums[node] = sums[2 * node] + sums[2 * node + 1]
            mins[node] = min(mins[2 * node], mins[2 * node + 1])
            node >>= 1
        }
    }

    /// The leaf whose cumulative range contains `prefix` (0 ≤ prefix < total).
    public func find(_ prefix: Double) -> Int {
        var node = 1, remaining = prefix
        while node < size {
            let left = 2 * node
            if remaining < sums[left] || sums[left + 1] == 0 { node = left } else { remaining -= sums[left]; node = left + 1 }
        }
        return min(node - size, capacity - 1)
    }
}
