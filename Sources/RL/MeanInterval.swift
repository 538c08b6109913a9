// A mean with its 95% confidence half-width, 1.96·sd/√n (sample standard deviation; normal
// approximation) — for evaluation returns and for learning curves over seeds.

public struct MeanInterval: Equatable, Sendable {
    public let mean: Double
    /// 0 for fewer than two values.
    public let halfWidth95: Double

    public init(_ values: [Double]) {
        let n = Double(values.count)
        mean = values.isEmpty ? 0 : values.reduce(0, +) / n
        if values.count > 1 {
            let m = mean
            let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
            halfWidth95 = 1.96 * (variance / n).squareRoot()
        } else {
            halfWidth95 = 0
        }
    }
}
