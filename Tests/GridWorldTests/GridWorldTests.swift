// Grid-world dynamics on small drawn maps: walls, keys and doors, hazards, cliffs, slipping,
// time limits, partial views and rendering.
import GridWorld
import RL
import XCTest

final class GridWorldTests: XCTestCase {
    let up = 0, right = 1, down = 2, left = 3

    func world(_ text: String, view: Int? = nil) throws -> GridWorld { GridWorld(map: try GridMap(parsing: text), view: view) }

    func testWallsBlockAndGoalTerminatesWithReward() throws {
        var env = try world("#####\n#S.G#\n#####\n\nstep_penalty = 0.1")
        XCTAssertEqual(env.step(up), StepResult(reward: -0.1))
        XCTAssertEqual(env.x, 1)
        XCTAssertEqual(env.step(right).reward, -0.1)
        let r = env.step(right)
        XCTAssertEqual(r.reward, 0.9, accuracy: 1e-6)
        XCTAssertTrue(r.terminated); XCTAssertFalse(r.truncated); XCTAssertTrue(env.isOver)
    }

    func testKeyOpensDoorAndDoorStaysOpenUntilReset() throws {
        var env = try world("######\n#KSDG#\n######")
        XCTAssertEqual(env.step(right).reward, 0); XCTAssertEqual(env.x, 2, "a closed door blocks without a key")
        _ = env.step(left); XCTAssertTrue(env.hasKey); XCTAssertEqual(env.map[1, 1], .floor)
        _ = env.step(right); _ = env.step(right)
        XCTAssertEqual(env.x, 3); XCTAssertEqual(env.map[3, 1], .floor)
        XCTAssertTrue(env.step(right).terminated)
        env.reset(seed: nil)
        XCTAssertEqual(env.map[3, 1], .door); XCTAssertFalse(env.hasKey)
    }

    func testLavaHoleCliffAndRewardCells() throws {
        var lava = try world("####\n#SL#\n####")
        XCTAssertEqual(lava.step(right), StepResult(reward: -1, terminated: true))
        var cliff = try world("#####\n#SCa#\n#...#\n#####\n\na = 2")
        XCTAssertEqual(cliff.step(right), StepResult(reward: -100))
        XCTAssertTrue(cliff.x == 1 && cliff.y == 1, "the cliff sends the agent back to the start")
        _ = cliff.step(down); _ = cliff.step(right); _ = cliff.step(right)
        XCTAssertEqual(cliff.step(up).reward, 2)
        XCTAssertEqual(cliff.step(down).reward, 0); XCTAssertEqual(cliff.step(up).reward, 2, "reward cells pay every visit")
    }

    func testTimeLimitTruncates() throws {
        var env = try world("####\n#S.#\n####\n\nmax_steps = 3")
        XCTAssertFalse(env.step(left).isOver); XCTAssertFalse(env.step(left).isOver)
        let r = env.step(left)
        XCTAssertTrue(r.truncated); XCTAssertFalse(r.terminated)
    }

    func testSlipperyMovesSplitInThirds() throws {
        var env = try world(BuiltInMaps.empty(9) + "\n\nslippery = on")
        var counts = [0, 0, 0, 0]
        for i in 0..<3000 {
            env.reset(seed: i == 0 ? 1 : nil)
            _ = env.step(down)          // from (1,1): down, or slip right/left (left is a wall)
            if env.y == 2 { counts[down] += 1 } else if env.x == 2 { counts[right] += 1 } else { counts[left] += 1 }
        }
        for c in [counts[down], counts[right], counts[left]] { XCTAssertEqual(Double(c) / 3000, 1.0 / 3, accuracy: 0.04, "\(counts)") }
    }

    func testObservationPlanesAndAgentCentredView() throws {
        var env = try world("#####\n#SKG#\n#L..#\n#####", view: 3)
        XCTAssertEqual(env.observationShape, ObservationShape(channels: 8, height: 3, width: 3))
        var o = env.observation()
        func at(_ c: Int, _ y: Int, _ x: Int) -> Float { o[c * 9 + y * 3 + x] }
        XCTAssertEqual(at(0, 1, 1), 1, "the agent is at the centre")
        XCTAssertEqual(at(1, 0, 0), 1); XCTAssertEqual(at(1, 1, 0), 1, "walls around")
        XCTAssertEqual(at(4, 1, 2), 1, "key to the right"); XCTAssertEqual(at(3, 2, 1), 1, "lava below")
        _ = env.step(right)
        o = env.observation()
        XCTAssertEqual(at(6, 0, 0), 1, "carrying the key fills plane 6"); XCTAssertEqual(at(2, 1, 2), 1, "goal to the right")
        let full = try world("#####\n#S.G#\n#####")
        XCTAssertEqual(full.observationShape, ObservationShape(channels: 8, height: 3, width: 5))
    }

    func testRenderDrawsWallsGoalAndAgentHeading() throws {
        var env = try world("####\n#SG#\n####")
        let c = GridWorld.cellPixels
        var frame = env.frame()
        XCTAssertEqual(frame.size, FrameSize(width: 4 * c, height: 3 * c))
        XCTAssertEqual(frame[0, 0], GridWorld.color(.wall))
        XCTAssertEqual(frame[2 * c + c / 2, c + c / 2], GridWorld.color(.goal))
        // Facing right: the tip is on the right half of the agent's cell, the left corners are empty.
        XCTAssertEqual(frame[c + c - 3, c + c / 2], GridWorld.agentColor)
        _ = env.step(down)   // blocked, but now facing down: the tip moves to the bottom
        frame = env.frame()
        XCTAssertEqual(frame[c + c / 2, c + c - 3], GridWorld.agentColor)
        XCTAssertNotEqual(frame[c + c - 3, c + c / 2], GridWorld.agentColor)
    }
}
