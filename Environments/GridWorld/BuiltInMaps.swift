// The built-in grid worlds, as text maps (GridMap.swift describes the format).

public enum BuiltInMaps {
    /// An empty N×N room inside walls (N counts the walls, as in MiniGrid's Empty-N): start top-left, goal bottom-right.
    public static func empty(_ n: Int) -> String {
        precondition(n >= 4, "empty-N needs N ≥ 4 (start and goal in different cells)")
        var rows = [String(repeating: "#", count: n)]
        for y in 1..<(n - 1) {
            var row = Array(repeating: Character("."), count: n)
            row[0] = "#"; row[n - 1] = "#"
            if y == 1 { row[1] = "S" }
            if y == n - 2 { row[n - 2] = "G" }
            rows.append(String(row))
        }
        rows.append(String(repeating: "#", count: n))
        return rows.joined(separator: "\n")
    }

    /// A T-maze for memory (Bakker 2002; MiniGrid's Memory): the cue '?' beside the start names the
    /// exit that pays, A above or B below the far end of a corridor of `length` cells. With
    /// `view=3` the cue is out of sight at the junction.
    public static func memory(_ length: Int) -> String {
        precondition(length >= 1, "memory-N needs a corridor of N ≥ 1 cells")
        let walls = String(repeating: "#", count: length + 4)
        let above = String(repeating: "#", count: length + 2)
        return [walls, above + "A#", "#?S" + String(repeating: ".", count: length) + "#", above + "B#", walls].joined(separator: "\n")
    }

    /// Sutton, Precup & Singh (1999): four rooms joined by four doorways.
    public static let fourRooms = """
        #############
        #S....#.....#
        #.....#.....#
        #...........#
        #.....#.....#
        #.....#.....#
        ##.####.....#
        #.....###.###
        #.....#.....#
        #.....#.....#
        #...........#
        #.....#....G#
        #############
        """

    /// Sutton & Barto Example 6.6: a 4×12 grid, stepping into the cliff costs 100 and returns to the start.
    public static let cliffWalking = """
        ............
        ............
        ............
        SCCCCCCCCCCG

        step_penalty = 1
        cliff_reward = -100
        goal_reward = 0
        max_steps = 500
        """

    /// Gymnasium's FrozenLake 4×4, slippery by default.
    public static let frozenLake = """
        SFFF
        FHFH
        FFFH
        HFFG

        slippery = on
        max_steps = 100
        """.map { $0 == "F" ? "." : $0 }.reduce(into: "") { $0.append($1) }

    /// Fetch the key, open the door, reach the goal.
    public static let keyDoor = """
        #########
        #S..#...#
        #...#...#
        #.K.D..G#
        #...#...#
        #########
        """

    public static let all: [(name: String, text: String)] = [
        ("empty-8", empty(8)), ("four-rooms", fourRooms), ("cliff-walking", cliffWalking),
        ("frozen-lake", frozenLake), ("key-door", keyDoor),
    ]
}
