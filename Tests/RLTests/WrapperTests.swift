// Each wrapper changes exactly its one thing.
import RL
import Tensors
import XCTest

final class WrapperTests: XCTestCase {
    func testTimeLimitTruncatesButTerminationWins() {
        var env = TimeLimit(Corridor(length: 10), limit: 3)
        XCTAssertEqual(env.maxEpisodeSteps, 3)
        XCTAssertFalse(env.step(0).isOver); XCTAssertFalse(env.step(0).isOver)
        let r = env.step(0)
        XCTAssertTrue(r.truncated); XCTAssertFalse(r.terminated); XCTAssertTrue(env.isOver)
        env.reset(seed: nil)
        XCTAssertFalse(env.isOver)
        var short = TimeLimit(Corridor(length: 2), limit: 1)
        let end = short.step(1)
        XCTAssertTrue(end.terminated); XCTAssertFalse(end.truncated, "a terminal step is not also truncated")
    }

    func testEpisodeStatistics() {
        var env = EpisodeStatistics(Corridor(length: 3))
        _ = env.step(0); _ = env.step(1)
        XCTAssertNil(env.lastEpisode)
        XCTAssertEqual(env.episodeLength, 2)
        _ = env.step(1)
        XCTAssertEqual(env.lastEpisode?.return, 1); XCTAssertEqual(env.lastEpisode?.length, 3)
        XCTAssertEqual(env.episodesFinished, 1)
        env.reset(seed: nil)
        XCTAssertEqual(env.episodeLength, 0)
    }

    func testFrameStackKeepsTheLastFramesOldestFirst() {
        var env = FrameStack(Corridor(length: 4), count: 3)
        XCTAssertEqual(env.observationShape, ObservationShape(channels: 3, height: 1, width: 4))
        XCTAssertEqual(env.observation(), [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0], "a reset fills every slot")
        _ = env.step(1)
        XCTAssertEqual(env.observation(), [1, 0, 0, 0, 1, 0, 0, 0, 10, 1, 0, 0])
        _ = env.step(1)
        XCTAssertEqual(env.observation(), [1, 0, 0, 0, 10, 1, 0, 0, 20, 0, 1, 0])
        let copy = env
        _ = env.step(0)
        XCTAssertEqual(copy.observation(), [1, 0, 0, 0, 10, 1, 0, 0, 20, 0, 1, 0], "copies keep their own history")
    }

    func testStickyActionsRepeatThePreviousActionAtTheRate() {
        var repeats = 0, total = 0
        var env = StickyActions(Corridor(length: 1_000_000), probability: 0.25, seed: 3)
        var previous = 0
        for i in 0..<20_000 {
            let chosen = i % 2
            let before = env.base.position
            _ = env.step(chosen)
            let executed = env.base.position - before
            XCTAssertTrue(executed == chosen || executed == previous)
            if chosen != previous { total += 1; if executed == previous { repeats += 1 } }
            previous = executed
        }
        XCTAssertEqual(Double(repeats) / Double(total), 0.25, accuracy: 0.02)
        var a = StickyActions(Corridor(length: 100), probability: 0.5), b = a
        a.reset(seed: 9); b.reset(seed: 9)
        for i in 0..<50 { XCTAssertEqual(a.step(i % 2), b.step(i % 2)) }
        XCTAssertEqual(a.base.position, b.base.position, "same seed, same sticky draws")
    }

    func testOpponentInsideAnswersAndReportsTheAgentsReward() {
        // Agent adds 2, opponent adds 1: 2, 3, 5 → the agent reaches 5 and wins.
        var env = OpponentInside(Race(), opponent: Constant(action: 0), agentPlayer: 0)
        XCTAssertEqual(env.playerCount, 1)
        XCTAssertEqual(env.step(1), StepResult())
        XCTAssertEqual(env.base.total, 3, "the opponent answered inside the step")
        XCTAssertEqual(env.step(1), StepResult(reward: 1, terminated: true))
        // As the second player the opponent moves first after a reset, and winning it costs −1.
        var second = OpponentInside(Race(target: 3), opponent: Constant(action: 0), agentPlayer: 1)
        XCTAssertEqual(second.base.total, 1, "the opponent opened")
        XCTAssertEqual(second.step(0), StepResult(reward: -1, terminated: true), "1+1, then the opponent reaches 3")
        second.reset(seed: nil)
        XCTAssertEqual(second.base.total, 1)
    }
}
