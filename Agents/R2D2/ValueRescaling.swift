// Value rescaling (Pohlen et al. 2018, "Observe and Look Further", §3.2), R2D2's replacement for
// reward clipping: the network learns h(Q) rather than Q, where
//   h(x) = sign(x)·(√(|x| + 1) − 1) + εx,
// which squashes large returns roughly to their square root while staying invertible, and
//   h⁻¹(x) = sign(x)·(((√(1 + 4ε(|x| + 1 + ε)) − 1) / (2ε))² − 1).
// The n-step target is h(Σ γᵏ r + γⁿ h⁻¹(Q_target)); with rescaling off both are the identity.

public struct ValueRescaling: Sendable, Equatable {
    /// ε of h; nil: no rescaling.
    public let epsilon: Double?

    public init(epsilon: Double?) { self.epsilon = epsilon }

    public func forward(_ x: Double) -> Double {
        guard let e = epsilon else { return x }
        let sign: Double = x < 0 ? -1 : 1
        return sign * ((abs(x) + 1).squareRoot() - 1) + e * x
    }

    public func inverse(_ x: Double) -> Double {
        guard let e = epsilon else { return x }
        let sign: Double = x < 0 ? -1 : 1
        let root = ((1 + 4 * e * (abs(x) + 1 + e)).squareRoot() - 1) / (2 * e)
        return sign * (root * root - 1)
    }
}
