// Learning-rate schedules as a function of the update count.
import Foundation

public enum LearningRateSchedule: Equatable, Sendable {
    case constant(Float)
    /// Linear from `start` to `end` over `steps` updates, then `end`.
    case linear(start: Float, end: Float, steps: Int)
    /// Cosine from `start` to `end` over `steps` updates (Loshchilov & Hutter 2017, no restarts).
    case cosine(start: Float, end: Float, steps: Int)
    /// `start` multiplied by `factor` every `every` updates.
    case step(start: Float, factor: Float, every: Int)

    public func rate(at step: Int) -> Float {
        switch self {
        case .constant(let r):
            return r
        case let .linear(start, end, steps):
            let f = steps <= 0 ? 1 : min(Float(step) / Float(steps), 1)
            return start + (end - start) * f
        case let .cosine(start, end, steps):
            let f = steps <= 0 ? 1 : min(Double(step) / Double(steps), 1)
            return end + (start - end) * Float(0.5 * (1 + cos(Double.pi * f)))
        case let .step(start, factor, every):
            return start * pow(factor, Float(every <= 0 ? 0 : step / every))
        }
    }
}
