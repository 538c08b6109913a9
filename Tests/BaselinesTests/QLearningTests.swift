// Tabular Q-learning reaches the optimal return on the classic grid worlds.
import Baselines
import GridWorld
import RL
import XCTest

final class QLearningTests: XCTestCase {
    /// Greedy rollout: (return, steps).
    func rollout(_ learner: QLearner<GridWorld>, _ map: GridMap) -> (Double, Int) {
        var env = GridWorld(map: map)
        var total = 0.0, steps = 0
        while !env.isOver { total += Double(env.step(learner.greedy(env)).reward); steps += 1 }
        return (total, steps)
    }

    /// Trains on `text` and returns the greedy rollout's (return, steps).
    func learn(_ text: String, frames: Int, gamma: Double, seed: UInt64) throws -> (Double, Int) {
        let map = try GridMap(parsing: text)
        var config = QLearningConfig()
        config.frames = frames; config.epsilonDecayFrames = frames / 2; config.learningRate = 0.5; config.gamma = gamma
        let learner = QLearner(env: GridWorld(map: map), config: config, seed: seed)
        learner.train()
        return rollout(learner, map)
    }

    func testCliffWalkingLearnsTheOptimalPathAlongTheCliff() throws {
        let (ret, steps) = try learn(BuiltInMaps.cliffWalking, frames: 30_000, gamma: 1, seed: 1)
        XCTAssertEqual(steps, 13); XCTAssertEqual(ret, -13, "up, eleven steps along the cliff, down")
    }

    func testKeyDoorFetchesTheKeyThenTakesTheShortestWay() throws {
        let (ret, steps) = try learn(BuiltInMaps.keyDoor, frames: 20_000, gamma: 0.9, seed: 2)
        XCTAssertEqual(ret, 1)
        XCTAssertEqual(steps, 8, "three steps to the key, two to the door, three to the goal")
        XCTAssertEqual(shortestPath(try GridMap(parsing: BuiltInMaps.fourRooms)), 20, "the BFS helper on four rooms")
    }

    /// Breadth-first search from the start to the goal.
    func shortestPath(_ map: GridMap) -> Int {
        var distance: [Int: Int] = [map.start.y * map.width + map.start.x: 0]
        var queue = [(map.start.x, map.start.y)]
        while !queue.isEmpty {
            let (x, y) = queue.removeFirst()
            let d = distance[y * map.width + x]!
            if map[x, y] == .goal { return d }
            for (dx, dy) in [(0, -1), (1, 0), (0, 1), (-1, 0)] where map[x + dx, y + dy] != .wall && distance[(y + dy) * map.width + x + dx] == nil {
                distance[(y + dy) * map.width + x + dx] = d + 1
                queue.append((x + dx, y + dy))
            }
        }
        return -1
    }
}
