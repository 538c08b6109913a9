// Map parsing: the format's features and one clear, located error per kind of mistake.
import GridWorld
import RL
import XCTest

final class GridMapTests: XCTestCase {
    func testParsesCellsLegendAndStart() throws {
        let map = try GridMap(parsing: "\n#####\n#S.a#\n#KDG#\n#####\n\na = 0.25 ; a comment\nmax_steps = 9\nslippery = on\n", name: "m")
        XCTAssertEqual(map.width, 5); XCTAssertEqual(map.height, 4)
        XCTAssertTrue(map.start == (1, 1))
        XCTAssertEqual(map[3, 1], .reward); XCTAssertEqual(map[1, 2], .key); XCTAssertEqual(map[2, 2], .door)
        XCTAssertEqual(map[3, 2], .goal); XCTAssertEqual(map[-1, 0], .wall, "outside reads as wall")
        XCTAssertEqual(map.letterRewards[Character("a").asciiValue!], 0.25)
        XCTAssertEqual(map.settings.maxSteps, 9); XCTAssertTrue(map.settings.slippery)
    }

    func error(_ text: String) -> String {
        do { _ = try GridMap(parsing: text, name: "room.txt"); return "no error" } catch { return "\(error)" }
    }

    func testMalformedMapsNameLineAndColumn() {
        XCTAssertEqual(error("###\n#S!\n###"), "room.txt:2:3: unknown cell '!'; use # . S G L H C K D ? A B or a–z")
        XCTAssertEqual(error("####\n#S#\n####"), "room.txt:2:4: row has 3 cells but the first row has 4; rows must be equally wide")
        XCTAssertEqual(error("###\n#.#\n###"), "room.txt:1:1: the map has no start 'S'")
        XCTAssertEqual(error("####\n#SS#\n####"), "room.txt:2:3: a second start 'S'; a map has exactly one")
        XCTAssertEqual(error("####\n#Sb#\n####"), "room.txt:2:3: reward cell 'b' has no value; add `b = 1` after a blank line")
        XCTAssertEqual(error("###\n#S#\n###\n\nwind = 3"), "room.txt:5:1: unknown legend entry 'wind'; use a–z, goal_reward, lava_reward, hole_reward, cliff_reward, wrong_exit_reward, step_penalty, max_steps or slippery")
        XCTAssertEqual(error("###\n#S#\n###\n\nmax_steps = -2"), "room.txt:5:1: max_steps must be a positive integer, got '-2'")
        XCTAssertEqual(error("###\n#S#\n###\n\ngoal_reward = lots"), "room.txt:5:15: 'lots' is not a number")
        XCTAssertEqual(error("\n\n"), "room.txt:1:1: the map has no rows")
    }

    func testBuiltInsParse() throws {
        for (name, text) in BuiltInMaps.all { XCTAssertNoThrow(try GridMap(parsing: text, name: name), name) }
        XCTAssertEqual(try GridMap(parsing: BuiltInMaps.empty(5)).width, 5)
    }
}
