// Learning curves from run folders (metrics.csv, and strength.csv where `dojo strength` wrote
// one): a metric (by default the episodic return) against its step (or another metric logged at
// the same steps, such as charts/training_hours), smoothed with a moving average over the last `window` points (as the
// MinAtar paper plots returns), resampled on a common step grid, and aggregated over the seeds
// of a configuration: mean and 95% confidence half-width (1.96·sd/√n) at every grid point.
//
// A configuration is the run name's <env>__<agent> together with its config.json, less the
// keys that only say how long a run goes and how it reports (`budgetKeys`): runs that differ in
// anything else are different lines, labelled by the keys they differ in. Folders that cannot be
// plotted are skipped with a note, and so is every cut of a longer seed to the shortest one.
import Files
import Foundation
import RL

public struct LearningCurve: Sendable {
    /// <env>__<agent>, and the config keys that set this configuration apart from others of
    /// the same <env>__<agent> ("minatar-breakout__dqn (doubleDQN=true, dueling=true)").
    public let label: String
    public let frames: [Double]
    public let mean: [Double]
    public let halfWidth: [Double]
    public let seeds: Int

    /// Curves and what the reader should know about them (skipped folders, cut runs).
    public struct Plot: Sendable {
        public let curves: [LearningCurve]
        public let notes: [String]
    }

    /// Config keys that do not make a different configuration.
    public static let budgetKeys: Set<String> = ["frames", "iterations", "checkpointEvery", "returnWindow", "slSteps", "pgIterations", "valueSteps"]

    /// Files of a run folder in the step,tag,value format: the training's metrics and the
    /// strength of its network versions (`dojo strength`).
    static let metricFiles = ["metrics.csv", "strength.csv"]

    /// (step, value) of every row of `metric` in a run's metrics.csv (or strength.csv); with `x`,
    /// (x's value at that step, value), for the steps that have both.
    public static func points(inRun path: String, metric: String = "charts/episodic_return", x: String? = nil) throws -> [(frame: Double, value: Double)] {
        let file = (path as NSString).appendingPathComponent("metrics.csv")
        guard let text = try? BoundedFile.text(file, limit: BoundedFile.textLimit) else {
            throw ConfigError("cannot read \(file); is \(path) a run folder written by dojo train?")
        }
        let strength = try? BoundedFile.text((path as NSString).appendingPathComponent("strength.csv"), limit: BoundedFile.textLimit)
        var rows: [(frame: Double, value: Double)] = []
        var xAt: [Double: Double] = [:]
        var tags = Set<String>()
        for line in (text + "\n" + (strength ?? "")).split(separator: "\n") {
            let parts = line.split(separator: ",")
            guard parts.count == 3, let f = Double(parts[0]), let v = Double(parts[2]), f.isFinite, v.isFinite else { continue }
            tags.insert(String(parts[1]))
            if parts[1] == metric { rows.append((f, v)) }
            if let x, parts[1] == x { xAt[f] = v }
        }
        guard !rows.isEmpty else {
            let known = tags.sorted().joined(separator: ", ")
            throw ConfigError("\(path) has no \(metric) rows in \(metricFiles.joined(separator: " or "))" + (known.isEmpty ? " yet" : " (it has: \(known); choose one with --metric)"))
        }
        guard let x else { return rows }
        let paired = rows.compactMap { row in xAt[row.frame].map { (frame: $0, value: row.value) } }.sorted { $0.frame < $1.frame }
        guard !paired.isEmpty else { throw ConfigError("\(path) has no \(x) rows at the steps of \(metric); choose another --x") }
        return paired
    }

    /// Moving average over the last `window` points, as (step, average) at every point.
    public static func smoothed(_ points: [(frame: Double, value: Double)], window: Int) -> [(frame: Double, value: Double)] {
        var sum = 0.0
        return points.enumerated().map { i, p in
            sum += p.value
            if i >= window { sum -= points[i - window].value }
            return (p.frame, sum / Double(min(i + 1, window)))
        }
    }

    /// The last smoothed value at or before each grid step (nil before the first point).
    static func resample(_ points: [(frame: Double, value: Double)], grid: [Double]) -> [Double?] {
        var j = -1
        return grid.map { g in
            while j + 1 < points.count && points[j + 1].frame <= g { j += 1 }
            return j >= 0 ? points[j].value : nil
        }
    }

    /// <env>__<agent> from a run folder's name.
    public static func label(forRun path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let parts = name.components(separatedBy: "__")
        return parts.count >= 4 ? parts[0] + "__" + parts[1] : name
    }

    /// A run's config.json as key → JSON text of the value, less `budgetKeys` (empty when the
    /// folder has none), and under the key "config-changes" what its resumes changed, budget
    /// keys aside (ConfigChanges.swift): a run changed midway is its own configuration.
    static func configuration(ofRun path: String) -> [String: String] {
        let file = (path as NSString).appendingPathComponent("config.json")
        guard let data = try? BoundedFile.read(file, limit: 1 << 20),
              let object = (try? JSONSerialization.jsonObject(with: Data(data))) as? [String: Any] else { return [:] }
        var configuration = object.filter { !budgetKeys.contains($0.key) }.mapValues(ConfigOverrides.text(of:))
        let changesFile = (path as NSString).appendingPathComponent(RunDirectory.configChangesFile)
        if let bytes = try? BoundedFile.read(changesFile, limit: 1 << 22) {
            // "learningRate 0.02 → 0.002 at step 411" per change (an unreadable line counts as is).
            let changes = String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
                guard let change = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                      let key = change["key"] as? String, let step = change["step"] else { return String(line) }
                if budgetKeys.contains(key) { return nil }
                let from = change["from"].map(ConfigOverrides.text(of:)) ?? "?", to = change["to"].map(ConfigOverrides.text(of:)) ?? "?"
                return "\(key) \(from) → \(to) at step \(ConfigOverrides.text(of: step))"
            }
            if !changes.isEmpty { configuration["config-changes"] = changes.joined(separator: "; ") }
        }
        return configuration
    }

    /// One curve per configuration, each over a grid of `points` steps up to its shortest run.
    public static func plot(runs: [String], metric: String = "charts/episodic_return", x: String? = nil, window: Int = 100, points: Int = 100) throws -> Plot {
        struct Group { let base: String; let config: [String: String]; var runs: [String] = []; var series: [[(frame: Double, value: Double)]] = [] }
        var groups: [Group] = []
        var notes: [String] = []
        for run in runs {
            let series: [(frame: Double, value: Double)]
            do { series = try Self.points(inRun: run, metric: metric, x: x) } catch {
                notes.append("skipped \(run): \(error)")
                continue
            }
            let base = label(forRun: run), config = configuration(ofRun: run)
            if let i = groups.firstIndex(where: { $0.base == base && $0.config == config }) {
                groups[i].runs.append(run)
                groups[i].series.append(smoothed(series, window: window))
            } else {
                groups.append(Group(base: base, config: config, runs: [run], series: [smoothed(series, window: window)]))
            }
        }
        guard !groups.isEmpty else {
            throw ConfigError("nothing to plot: " + notes.joined(separator: "; "))
        }
        let curves = groups.map { group -> LearningCurve in
            // Keys whose values differ among the groups of the same <env>__<agent> name the line.
            let siblings = groups.filter { $0.base == group.base }
            let differing = Set(siblings.flatMap { $0.config.keys }).filter { key in Set(siblings.map { $0.config[key] ?? "–" }).count > 1 }
            let label = differing.isEmpty ? group.base
                : group.base + " (" + differing.sorted().map { "\($0)=\(group.config[$0] ?? "–")" }.joined(separator: ", ") + ")"
            // Every series has a point (`points` refuses a run without one).
            let ends = group.series.compactMap { $0.last?.frame }
            let end = ends.min() ?? 0, longest = ends.max() ?? 0
            if longest > end {
                notes.append("\(label): cut at step \(Int(end)), where its shortest seed ends (the longest reaches \(Int(longest)))")
            }
            let grid = (1...points).map { end * Double($0) / Double(points) }
            let sampled = group.series.map { resample($0, grid: grid) }
            var frames: [Double] = [], mean: [Double] = [], half: [Double] = []
            for (k, g) in grid.enumerated() {
                let values = sampled.compactMap { $0[k] }
                guard !values.isEmpty else { continue }
                let interval = MeanInterval(values)
                frames.append(g); mean.append(interval.mean); half.append(interval.halfWidth95)
            }
            return LearningCurve(label: label, frames: frames, mean: mean, halfWidth: half, seeds: group.runs.count)
        }
        return Plot(curves: curves, notes: notes)
    }
}
