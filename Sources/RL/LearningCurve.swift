// Learning curves from run folders (metrics.csv): episodic return against frames, smoothed
// with a moving average over the last `window` episodes (as the MinAtar paper plots them),
// resampled on a common frame grid, and aggregated over the seeds of a configuration: mean and
// 95% confidence half-width (1.96·sd/√n) at every grid point.
import Foundation

public struct LearningCurve: Sendable {
    /// Runs are grouped by their folder name without the seed and timestamp: <env>__<agent>.
    public let label: String
    public let frames: [Double]
    public let mean: [Double]
    public let halfWidth: [Double]
    public let seeds: Int

    /// (frame, return) of every finished episode in a run's metrics.csv.
    public static func episodes(inRun path: String) throws -> [(frame: Double, value: Double)] {
        let file = (path as NSString).appendingPathComponent("metrics.csv")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError("cannot read \(file); is \(path) a run folder written by dojo train?")
        }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ",")
            guard parts.count == 3, parts[1] == "charts/episodic_return", let f = Double(parts[0]), let v = Double(parts[2]) else { return nil }
            return (f, v)
        }
    }

    /// Moving average over the last `window` episodes, as (frame, average) at every episode.
    public static func smoothed(_ points: [(frame: Double, value: Double)], window: Int) -> [(frame: Double, value: Double)] {
        var sum = 0.0
        return points.enumerated().map { i, p in
            sum += p.value
            if i >= window { sum -= points[i - window].value }
            return (p.frame, sum / Double(min(i + 1, window)))
        }
    }

    /// The last smoothed value at or before each grid frame (nil before the first episode).
    static func resample(_ points: [(frame: Double, value: Double)], grid: [Double]) -> [Double?] {
        var j = -1
        return grid.map { g in
            while j + 1 < points.count && points[j + 1].frame <= g { j += 1 }
            return j >= 0 ? points[j].value : nil
        }
    }

    public static func label(forRun path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let parts = name.components(separatedBy: "__")
        return parts.count >= 4 ? parts[0] + "__" + parts[1] : name
    }

    /// One curve per configuration label, over a grid of `points` frames up to the shortest run.
    public static func aggregate(runs: [String], window: Int = 100, points: Int = 100) throws -> [LearningCurve] {
        var groups: [String: [[(frame: Double, value: Double)]]] = [:]
        var order: [String] = []
        for run in runs {
            let episodes = try Self.episodes(inRun: run)
            guard !episodes.isEmpty else { throw ConfigError("\(run) has no finished episodes in metrics.csv yet") }
            let label = label(forRun: run)
            if groups[label] == nil { order.append(label) }
            groups[label, default: []].append(smoothed(episodes, window: window))
        }
        return order.map { label in
            let curves = groups[label]!
            let end = curves.map { $0.last!.frame }.min()!
            let grid = (1...points).map { end * Double($0) / Double(points) }
            let sampled = curves.map { resample($0, grid: grid) }
            var frames: [Double] = [], mean: [Double] = [], half: [Double] = []
            for (k, g) in grid.enumerated() {
                let values = sampled.compactMap { $0[k] }
                guard !values.isEmpty else { continue }
                let interval = MeanInterval(values)
                frames.append(g); mean.append(interval.mean); half.append(interval.halfWidth95)
            }
            return LearningCurve(label: label, frames: frames, mean: mean, halfWidth: half, seeds: curves.count)
        }
    }
}
