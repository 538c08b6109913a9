// How many hours of training each iteration of an AlphaZero run had taken (the x axis of
// `dojo strength`'s Elo against compute).
import AlphaZero
import Foundation
import Runs

/// A run's training hours at each iteration: its charts/training_hours, or for iterations from
/// before that metric, the sum of each iteration's self-play and training time from its games
/// per hour and samples per second (an estimate that leaves out evaluation and saving).
struct TrainingHours {
    private var byStep: [Int: Double] = [:]
    let note: String

    init(run: RunDirectory) {
        // metrics.csv's rows of a tag, by step (none when the run never logged it).
        func series(_ tag: String) -> [Int: Double] {
            let rows = (try? LearningCurve.points(inRun: run.path, metric: tag)) ?? []
            return Dictionary(rows.compactMap { $0.value >= 0 && $0.frame >= 0 && $0.frame < 1e9 ? (Int($0.frame), $0.value) : nil }) { $1 }
        }
        let logged = series("charts/training_hours"), gamesPerHour = series("charts/selfplay_games_per_hour")
        let samplesPerSecond = series("charts/train_samples_per_second")
        let config = try? AlphaZeroTrainer.config(inCheckpoint: run.latestCheckpoint)
        let games = Double(config?.gamesPerIteration ?? 0), samples = Double((config?.trainSteps ?? 0) * (config?.batchSize ?? 0))
        var total = 0.0
        for step in gamesPerHour.keys.sorted() {
            guard let g = gamesPerHour[step], g > 0, let s = samplesPerSecond[step], s > 0 else { continue }
            total += games / g + samples / s / 3600
            byStep[step] = total
        }
        // Logged hours win; the estimate stands in for iterations from before the metric.
        let estimated = byStep.keys.filter { logged[$0] == nil }.count
        byStep.merge(logged) { $1 }
        if byStep.isEmpty {
            note = "training hours unknown (no metrics.csv rows)"
        } else if logged.isEmpty {
            note = "training hours estimated from games per hour and samples per second (the run predates charts/training_hours)"
        } else if estimated == 0 {
            note = "training hours: the run's charts/training_hours"
        } else {
            note = "training hours: the run's charts/training_hours, and for the \(estimated) iterations before it was logged an estimate from games per hour and samples per second"
        }
    }

    /// Hours when version `version` was published (version 0: before any training).
    func at(_ version: Int) -> Double? { version == 0 ? 0 : byStep[version] }
}
