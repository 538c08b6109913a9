// What the value-based trainers (DQN, R2D2) log as they go, beside the episodes: the TD loss
// and the mean Q of the taken actions averaged over every 100 updates (`losses/td_loss`,
// `losses/q_values`), and frames per second every 1,000 frames (`charts/sps`). One place, so
// both agents' metrics mean the same.
import Foundation
import Runs

public struct ValueLearningLog {
    private var lossSum = 0.0, qSum = 0.0, count = 0
    private var spsFrame: Int, spsTime = Date()
    /// The latest update's loss.
    public private(set) var lastLoss: Double?

    public init(frame: Int) { spsFrame = frame }

    /// Frames per second count from here (a `train` call starting, perhaps after a pause).
    public mutating func restartClock(frame: Int) { spsFrame = frame; spsTime = Date() }

    /// One update's loss and mean Q, at `frame`.
    public mutating func update(loss: Float, meanQ: Float, frame: Int, metrics: MetricsLogger?) {
        lossSum += Double(loss); qSum += Double(meanQ); count += 1
        lastLoss = Double(loss)
        guard count == 100, let metrics else { return }
        metrics.log("losses/td_loss", lossSum / 100, step: frame)
        metrics.log("losses/q_values", qSum / 100, step: frame)
        lossSum = 0; qSum = 0; count = 0
    }

    /// After every frame: frames per second at each thousandth.
    public mutating func frameDone(_ frame: Int, metrics: MetricsLogger?) {
        guard frame % 1000 == 0, let metrics else { return }
        let now = Date()
        metrics.log("charts/sps", Double(frame - spsFrame) / max(1e-9, now.timeIntervalSince(spsTime)), step: frame)
        spsFrame = frame; spsTime = now
    }
}
