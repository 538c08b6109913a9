// AlphaZero's optimizer settings: Adam and the learning-rate schedules follow the config, a run
// resumed from its checkpoint (Adam's moments and the step count included) continues exactly,
// configs from older checkpoints get the new keys' defaults, and bad names are one sentence.
import AlphaZero
import BoardGames
import Neural
import Runs
import TestSupport
import XCTest

final class AlphaZeroOptimizerTests: XCTestCase {
    func config() throws -> AlphaZeroConfig {
        var c = try AlphaZeroConfig.preset("tiny", environment: "tic-tac-toe", game: ConnectionGame.ticTacToe())
        c.simulations = 8; c.gamesPerIteration = 2; c.trainSteps = 10; c.batchSize = 8; c.iterations = 3
        c.optimizer = .adam; c.learningRate = 1e-3; c.schedule = .cosine
        try c.validate()
        return c
    }

    func testAdamWithACosineScheduleResumesExactly() throws {
        let c = try config()
        let dir = try TemporaryDirectory(prefix: "dojo-az-adam")
        defer { dir.remove() }
        let straight = AlphaZeroTrainer(config: c, seed: 4, selfPlayDirectory: dir.path("a"), start: ConnectionGame.ticTacToe())
        for _ in 0..<3 { _ = try straight.runIteration() }
        // The last of 30 updates used the cosine's rate at step 29 (of 30, ending at 0).
        XCTAssertEqual(straight.learningRate, Double(LearningRateSchedule.cosine(start: 1e-3, end: 0, steps: 30).rate(at: 29)), accuracy: 1e-12)
        XCTAssertLessThan(straight.learningRate, 1e-5)

        let first = AlphaZeroTrainer(config: c, seed: 4, selfPlayDirectory: dir.path("b"), start: ConnectionGame.ticTacToe())
        for _ in 0..<2 { _ = try first.runIteration() }
        let checkpoint = dir.path("az.safetensors")
        try first.save(to: checkpoint)
        let file = try SafeTensorsFile.read(from: checkpoint)
        XCTAssertTrue(file.tensors.contains { $0.name.hasPrefix("optim.adam.") }, "Adam's moments are in the checkpoint")
        let resumed = AlphaZeroTrainer(config: c, seed: 99, selfPlayDirectory: dir.path("b"), start: ConnectionGame.ticTacToe())
        try resumed.restore(from: checkpoint)
        XCTAssertEqual(resumed.iteration, 2)
        _ = try resumed.runIteration()
        for (a, b) in zip(straight.network.parameters, resumed.network.parameters) {
            XCTAssertEqual(a.value.maxAbsDifference(b.value), 0, "\(a.name): 3 iterations straight = 2 + resume + 1")
        }
    }

    func testOlderConfigsGetDefaultsAndBadNamesAreOneSentence() throws {
        let old = #"{"boardSize": 5, "komi": 0.5, "blocks": 1, "filters": 8, "valueHidden": 16, "simulations": 4}"#
        let c = try AlphaZeroConfig.decode(old)
        XCTAssertEqual(c.optimizer, .sgd)
        XCTAssertEqual(c.schedule, .constant)
        XCTAssertEqual(c.filters, 8)
        XCTAssertEqual(c.environment, "go:5,komi=0.5", "a config from before other games names its Go game the old way")
        // Names are checked before anything is decoded, in one sentence listing the choices.
        XCTAssertThrowsError(try ConfigOverrides.apply(settings: ["optimizer=rmsprop"], to: try config())) {
            XCTAssertTrue("\($0)".contains("optimizer must be sgd or adam, got 'rmsprop'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigOverrides.apply(settings: ["schedule=exponential"], to: try config())) {
            XCTAssertTrue("\($0)".contains("schedule must be constant, cosine or step, got 'exponential'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigOverrides.apply(["schedule": 3], to: try config(), source: "c.json")) {
            XCTAssertTrue("\($0)".contains("schedule must be constant, cosine or step, got '3'"), "\($0)")
        }
        var bad = try ConfigOverrides.apply(settings: ["schedule=step"], to: try config())
        XCTAssertEqual(bad.schedule, .step)
        bad.schedule = .step
        XCTAssertEqual(bad.learningRateSchedule, .step(start: 1e-3, factor: 0.1, every: 30 / 3 + 0))
    }
}
