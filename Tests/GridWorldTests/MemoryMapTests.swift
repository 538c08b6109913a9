// Memory maps: the cue names a random exit each episode, shows it only on its own cell (planes
// 8 and 9), and entering the named exit pays the goal reward, the other one the wrong-exit
// reward; a cue without both exits is a sentence.
import GridWorld
import RL
import XCTest

final class MemoryMapTests: XCTestCase {
    func testTheCueNamesTheExitThatPays() throws {
        let map = try GridMap(parsing: BuiltInMaps.memory(3) + "\n\nwrong_exit_reward = -1")
        var seen: Set<Int> = []
        for seed in 0..<20 {
            for up in [true, false] {
                var env = GridWorld(map: map, view: 3)
                env.reset(seed: UInt64(seed))
                seen.insert(env.cue)
                XCTAssertEqual(env.observationShape, ObservationShape(channels: 10, height: 3, width: 3))
                // The cue is left of the start: the middle-left cell of the 3×3 view, on plane 8 + cue.
                let start = env.observation()
                XCTAssertEqual(start[(8 + env.cue) * 9 + 3], 1)
                XCTAssertEqual(start[(9 - env.cue) * 9 + 3], 0)
                for _ in 0..<3 { XCTAssertFalse(env.step(1).isOver) }
                let junction = env.observation()
                XCTAssertEqual(junction[8 * 9 + 1], 1, "exit A above")
                XCTAssertEqual(junction[9 * 9 + 7], 1, "exit B below")
                XCTAssertEqual(junction[8 * 9 + 3] + junction[9 * 9 + 3], 0, "the cue is out of sight")
                let result = env.step(up ? 0 : 2)
                XCTAssertTrue(result.terminated)
                XCTAssertEqual(result.reward, up == (env.cue == 0) ? 1 : -1)
            }
        }
        XCTAssertEqual(seen, [0, 1], "both cues occur")
        var a = GridWorld(map: map), b = GridWorld(map: map)
        a.reset(seed: 7); b.reset(seed: 7)
        XCTAssertEqual(a.cue, b.cue, "the cue is a function of the seed")
    }

    func testAMemoryMapNeedsOneCueAndBothExits() {
        for text in ["#####\n#S?A#\n#####", "#####\n#SAB#\n#####", "#######\n#S??AB#\n#######"] {
            XCTAssertThrowsError(try GridMap(parsing: text)) { XCTAssertTrue("\($0)".contains("a memory map has one cue '?' and both exits"), "\($0)") }
        }
        XCTAssertNoThrow(try GridMap(parsing: "######\n#S?AB#\n######"))
    }
}
