// End-to-end tests of the `dojo` binary: exit codes, one-sentence errors, the JSON schema of
// `dojo bench`, and OpenBLAS kernel selection (the re-exec on AVX-512 CPUs, a user's choice kept).
import Foundation
import TestSupport
import XCTest

final class CLITests: XCTestCase, RunsDojo {

    func testHelpListsSubcommandsWithExamples() throws {
        let r = try run(["--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("bench"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Examples"), r.stdout)
        // An example for every subcommand, and each subcommand's own help has examples.
        for command in ["envs", "agents", "train", "eval", "plot", "play", "watch", "trace", "gtp", "tournament", "ratings", "selfplay-gtp", "info", "bench"] {
            XCTAssertTrue(r.stdout.contains("dojo \(command) "), "dojo --help shows \(command)")
            let help = try run([command, "--help"])
            XCTAssertEqual(help.status, 0, command)
            XCTAssertTrue(help.stdout.contains("dojo \(command)"), "\(command) --help has an example")
        }
        // Each trainer's --help lists its own config keys with types and defaults, and only its own.
        let keys = [("dqn", "huberDelta (Double) = 1", "simulations"), ("dqn", "epsilonDecayFrames (Int) = 100000", "windowPositions"),
                    ("alphazero", "simulations (Int) = 100", "huberDelta"), ("alphazero", "windowPositions (Int) = 20000", "slBatchSize"),
                    ("sl-policy", "slBatchSize (Int) = 64", "huberDelta"), ("qlearning", "learningRate (Double)", "huberDelta")]
        for (agent, line, foreign) in keys {
            let help = try run(["train", agent, "--help"])
            XCTAssertEqual(help.status, 0, agent)
            XCTAssertTrue(help.stdout.contains(line), "\(agent): \(line)")
            XCTAssertFalse(help.stdout.contains(foreign + " ("), "\(agent) --help does not list \(foreign)")
            XCTAssertTrue(help.stdout.contains("--threads:"), "\(agent) --help says what its threads do")
        }
        let bench = try run(["bench", "--help"])
        XCTAssertTrue(bench.stdout.contains("dojo bench core"), bench.stdout)
        XCTAssertTrue(bench.stdout.contains("--threads"), bench.stdout)
    }

    func testUnknownWorkloadAndBadThreadsAreOneSentenceErrors() throws {
        let r = try run(["bench", "warp-drive"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("unknown workload 'warp-drive'; choose one of: core, gemm"), r.stderr)
        let t = try run(["bench", "gemm", "--threads", "0"])
        XCTAssertNotEqual(t.status, 0)
        XCTAssertTrue(t.stderr.contains("--threads must be between 1 and 256"), t.stderr)
        let b = try run(["bench", "az-infer", "--batch", "0"])
        XCTAssertNotEqual(b.status, 0)
        XCTAssertTrue(b.stderr.contains("--batch must be 1…4096, got 0."), b.stderr)
    }

    /// An environment a workload cannot run is a usage error naming why, before anything is
    /// measured (these trapped: illegal random actions, boards smaller than the 3×3 convolution,
    /// a two-player game for PPO).
    func testAnEnvironmentAWorkloadCannotRunIsAUsageError() throws {
        for (args, why) in [(["env", "--env", "go:3"], "go:3 has illegal ones"),
                            (["dqn-train", "--env", "go:2"], "2×2 observations; the DQN network's 3×3 convolution"),
                            (["ppo-train", "--env", "gridworld/empty-8,view=1"], "1×1 observations; the actor-critic network's 3×3 convolution"),
                            (["ppo-memory", "--env", "go:9"], "go:9 is a two-player game")] {
            let r = try run(["bench"] + args + ["--repeats", "1", "--min-time", "0.01"])
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("\(args[0]) --env \(args[2]): ") && r.stderr.contains(why), r.stderr)
        }
    }

    func testAzInferTimesOnlyTheBatchesAskedFor() throws {
        let r = try run(["bench", "az-infer", "--batch", "2", "--batch", "3", "--json", "--repeats", "1", "--min-time", "0.01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let batches = try r.stdout.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["batch"] as? Int
        }
        XCTAssertEqual(batches, [2, 3])
    }

    /// An option is applied or refused: the network options reach the AlphaZero workloads (the
    /// shape in the variant, the training batch in the row), and an option no chosen workload
    /// reads is a usage error naming the workloads that do.
    func testBenchOptionsAreAppliedOrRefused() throws {
        let help = try run(["bench", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(help.contains("reads --blocks, --filters, --batch") && help.contains("reads --size, --blocks, --filters"), help)
        let r = try run(["bench", "kata-train", "--blocks", "2", "--filters", "16", "--batch", "8", "--json", "--repeats", "1", "--min-time", "0.01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(row["batch"] as? Int, 8)
        XCTAssertEqual(row["variant"] as? String, "9x9 2x16 + pool 4, ownership, score Adam")
        // FLOPs are counted from the network's weights: ~43 million per step of this one,
        // ~1.9 billion for the default 6×64 at batch 8.
        let flops = try XCTUnwrap(row["gflops"] as? Double) * 1e9 * (try XCTUnwrap(row["seconds_per_call"] as? Double))
        XCTAssertEqual(flops, 43e6, accuracy: 5e6, "the network built has the shape asked for")
        for (args, message) in [(["gemm", "--env", "minatar/breakout"], "--env does not change gemm; it is read by env, dqn-train, r2d2-train, ppo-train, ppo-memory."),
                                (["kata-infer", "--size", "13"], "--size does not change kata-infer; it is read by mcts, mcts-nn, alphago, go-playouts."),
                                (["sequence", "--batch", "4"], "--batch does not change sequence; it is read by az-train, az-infer, kata-train, kata-infer."),
                                (["mcts-nn", "--filters", "0"], "--filters must be 1…512, got 0."),
                                (["az-train", "--blocks", "1000"], "--blocks must be 1…40, got 1000.")] {
            let refused = try run(["bench"] + args)
            XCTAssertEqual(refused.status, 64, "\(args): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains(message), "\(args): \(refused.stderr)")
        }
    }

    /// The sequence layers' GFLOP/s count every product of a call, the input gradient's
    /// included: 302 MFLOP for the LSTM, 226.5 for the GRU, 151 for attention (the figures
    /// docs/results/sequence-layers.md divides by the core's peak).
    func testSequenceBenchCountsEveryProduct() throws {
        let r = try run(["bench", "sequence", "--json", "--repeats", "1", "--min-time", "0.01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var flops: [String: Double] = [:]
        for line in r.stdout.split(separator: "\n") {
            let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let variant = try XCTUnwrap(row["variant"] as? String)
            flops[String(variant.prefix { $0 != " " })] = try XCTUnwrap(row["gflops"] as? Double) * 1e9 * (try XCTUnwrap(row["seconds_per_call"] as? Double))
        }
        for (layer, expected) in [("lstm", 301.99e6), ("gru", 226.49e6), ("attention", 150.99e6)] {
            XCTAssertEqual(try XCTUnwrap(flops[layer], layer), expected, accuracy: 0.01e6, layer)
        }
    }

    func testBenchJSONLinesFollowTheStableSchema() throws {
        let r = try run(["bench", "dqn-step", "--json", "--repeats", "2", "--min-time", "0.01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "the step and its three parts")
        for (index, line) in lines.enumerated() {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["workload", "threads", "batch", "unit", "median", "min", "max", "runs"] {
                XCTAssertNotNil(object[key], "missing \(key) in \(line)")
            }
            XCTAssertEqual(object["workload"] as? String, "dqn-step")
            XCTAssertEqual(object["unit"] as? String, index == 0 ? "steps/s" : "calls/s")
            XCTAssertEqual(object["batch"] as? Int, 32)
            XCTAssertEqual(object["runs"] as? Int, 2)
            let median = try XCTUnwrap(object["median"] as? Double)
            XCTAssertGreaterThan(median, 0)
            XCTAssertLessThanOrEqual(try XCTUnwrap(object["min"] as? Double), median)
        }
    }

    func testKernelSelectionRespectsTheUserAndUpgradesAVX512() throws {
        let user = try run(["info"], environment: ["OPENBLAS_CORETYPE": "Haswell"])
        XCTAssertEqual(user.status, 0, user.stderr)
        XCTAssertTrue(user.stdout.contains("OpenBLAS kernels: Haswell (OPENBLAS_CORETYPE=Haswell set by the user)"), user.stdout)

        let auto = try run(["info"], environment: ["OPENBLAS_CORETYPE": nil, "DOJO_CHOSE_OPENBLAS_CORETYPE": nil])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ").map(String.init)) } ?? []
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            XCTAssertTrue(auto.stdout.contains("OpenBLAS kernels: SkylakeX (OPENBLAS_CORETYPE=SkylakeX set by dojo"), auto.stdout)
        } else {
            XCTAssertTrue(auto.stdout.contains("OPENBLAS_CORETYPE unset, OpenBLAS's own detection"), auto.stdout)
        }
        XCTAssertFalse(auto.stdout.contains("Prescott"), "a modern CPU must never run the SSE3 fallback kernels: \(auto.stdout)")
    }
}

/// `dojo envs`, `trace`, `watch` and `play` end to end.
final class EnvironmentCLITests: XCTestCase, RunsDojo {
    func testEnvsListsEveryFamily() throws {
        let r = try run(["envs"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for id in ["minatar/breakout", "minatar/seaquest", "gridworld/four-rooms", "gridworld/file:PATH"] {
            XCTAssertTrue(r.stdout.contains("| \(id) |"), id)
        }
        XCTAssertTrue(r.stdout.contains("| minatar/seaquest | 6 | 10×10×10 |"), r.stdout)
    }

    func testTraceReproducesTheGoldenTraceOpening() throws {
        // The first lines of reference/minatar/traces/breakout_seed0.jsonl (actions from RandomState(1)).
        let r = try run(["trace", "minatar/breakout", "--seed", "0", "--steps", "2", "--policy-seed", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
            {"k":"reset","crc":"fd774e25"}
            {"k":"step","t":0,"a":5,"x":5,"r":0,"d":0,"crc":"e86cd568"}
            {"k":"step","t":1,"a":3,"x":3,"r":0,"d":0,"crc":"3720a743"}

            """)
    }

    func testBadIdsOptionsAndActionFilesAreOneSentence() throws {
        let cases: [([String], String)] = [
            (["trace", "minatar/pong"], "unknown environment 'minatar/pong'; run `dojo envs` to list them"),
            (["trace", "minatar/breakout,sticky=2"], "option sticky=2 of minatar/breakout must be a number in 0.0…1.0"),
            (["trace", "minatar/breakout,colour=red"], "unknown option 'colour' for minatar/breakout; valid options: sticky, ramping, actions, max_steps, flicker"),
            (["trace", "gridworld/file:/no/such/map.txt"], "cannot read map file '/no/such/map.txt'"),
            (["watch", "--agent", "genius", "--env", "minatar/breakout"], "unknown agent 'genius'; choose one of: random"),
        ]
        for (args, message) in cases {
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        }
        let dir = FileManager.default.temporaryDirectory
        let actions = dir.appendingPathComponent("dojo-actions-\(getpid()).txt")
        try "1\n7\n".write(to: actions, atomically: true, encoding: .utf8)
        let map = dir.appendingPathComponent("dojo-map-\(getpid()).txt")
        try "#####\n#S.x#\n#####\n".write(to: map, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: actions); try? FileManager.default.removeItem(at: map) }
        let bad = try run(["trace", "minatar/breakout", "--steps", "2", "--actions", actions.path])
        XCTAssertTrue(bad.stderr.contains("action 7 on line 2 of \(actions.path) is not legal here"), bad.stderr)
        let badMap = try run(["trace", "gridworld/file:\(map.path)"])
        XCTAssertTrue(badMap.stderr.contains("\(map.path):2:4: reward cell 'x' has no value"), badMap.stderr)
    }

    func testWatchRecordsAGIFAndDrawsInTheTerminal() throws {
        let gif = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-watch-\(getpid()).gif")
        defer { try? FileManager.default.removeItem(at: gif) }
        let r = try run(["watch", "--agent", "random", "--env", "minatar/breakout", "--gif", gif.path, "--episodes", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("episode 2: return"), r.stdout)
        let bytes = try Data(contentsOf: gif)
        XCTAssertEqual(String(decoding: bytes.prefix(6), as: UTF8.self), "GIF89a")
        let t = try run(["watch", "random", "--env", "gridworld/empty-5", "--terminal", "--fps", "240", "--max-steps", "3"])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("▀") && t.stdout.contains("\u{1B}[38;2;"), "half blocks in 24-bit colour")
        XCTAssertTrue(t.stdout.contains("EPISODE 1  SCORE 0  STEP 3"), t.stdout)
    }

    func testWindowWithoutADisplayIsOneSentence() throws {
        let r = try run(["watch", "--agent", "random", "--env", "minatar/breakout", "--window"],
                            environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil, "SDL_VIDEODRIVER": nil])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no display to open a window on (DISPLAY is not set, or empty); use --terminal"), r.stderr)
        let play = try run(["play", "minatar/breakout"], environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil, "SDL_VIDEODRIVER": nil])
        XCTAssertTrue(play.stderr.contains("no display to open a window on"), play.stderr)
        let board = try run(["play", "go:9"], environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil, "SDL_VIDEODRIVER": nil])
        XCTAssertEqual(board.status, 1, board.stderr)
        XCTAssertTrue(board.stderr.contains("go:9 is played with the mouse in a window"), board.stderr)
        XCTAssertFalse(board.stderr.contains("--terminal"), "no advice the command would refuse: \(board.stderr)")
        let digits = try run(["play", "tic-tac-toe"], environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil, "SDL_VIDEODRIVER": nil])
        XCTAssertTrue(digits.stderr.contains("use --terminal"), "tic-tac-toe can be played in the terminal: \(digits.stderr)")
        // DISPLAY set but empty used to print SDL's "XDG_RUNTIME_DIR is invalid", play an invisible
        // episode and exit 0; a display that does not answer is the same failure.
        for display in ["", ":97"] {
            let empty = try run(["watch", "--agent", "random", "--env", "minatar/breakout", "--window", "--max-steps", "5"],
                                environment: ["DISPLAY": display, "WAYLAND_DISPLAY": nil, "SDL_VIDEODRIVER": nil])
            XCTAssertEqual(empty.status, 1, "DISPLAY='\(display)': \(empty.stderr)")
            XCTAssertTrue(empty.stderr.contains("no display"), "DISPLAY='\(display)': \(empty.stderr)")
            XCTAssertFalse(empty.stdout.contains("episode 1"), "no invisible episode")
        }
    }

    /// xvfb-run and xdotool, which the window tests drive (CI must have them: make test installs them).
    func requireVirtualDisplayTools() throws {
        for tool in ["/usr/bin/xvfb-run", "/usr/bin/xdotool"] where !FileManager.default.isExecutableFile(atPath: tool) {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have \(tool) (make test installs it)") }
            throw XCTSkip("\(tool) is not installed (apt-get install xvfb xdotool)")
        }
    }

    /// Clicks through the real window under Xvfb (xdotool): every click on a cell is a move, at
    /// any window scale (tic-tac-toe's 48-pixel frame is shown 8 times larger; clicks used to be
    /// read as frame pixels, so only the top-left corner answered).
    func testClicksPlayBoardGamesInTheWindow() throws {
        try requireVirtualDisplayTools()
        let script = #"""
            out=$(mktemp)
            "$1" play "$2" --window > "$out" 2>&1 &
            pid=$!
            w=$(timeout 20 xdotool search --sync --name "Dojo" | head -1)
            eval $(xdotool getwindowgeometry --shell "$w")
            cell=$((WIDTH / $3))
            shift 3
            for c in "$@"; do
                xdotool mousemove $((X + (c % 10) * cell + cell / 2)) $((Y + (c / 10) * cell + cell / 2)) click 1
                sleep 0.3
            done
            ( sleep 10; kill $pid 2>/dev/null ) > /dev/null 2>&1 &
            watchdog=$!
            wait $pid
            echo "status $?"
            kill $watchdog 2>/dev/null
            cat "$out"
            """#
        // Cells as row·10 + column: tic-tac-toe X takes the middle row (O: 0, 1); in Connect Four
        // red drops four discs into column 0 while yellow plays column 1.
        for (game, columns, clicks) in [("tic-tac-toe", "3", ["11", "0", "10", "1", "12"]), ("connect-four", "7", ["0", "1", "0", "1", "0", "1", "0"])] {
            let r = try ExternalProcess.run("/usr/bin/xvfb-run", ["-a", "/bin/sh", "-c", script, "sh", try dojo.path, game, columns] + clicks)
            XCTAssertTrue(r.stdout.contains("status 0"), "\(game): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("episode 1: return 1, \(clicks.count) steps"),
                          "\(game): every click was a move and the first player won: \(r.stdout)")
        }
    }

    /// A person's MinAtar game waits for the first key (the status names the keys), then runs.
    func testPlayingMinAtarStartsWithTheFirstKey() throws {
        try requireVirtualDisplayTools()
        let script = #"""
            "$1" play minatar/breakout --window --fps 5 > /dev/null 2>&1 &
            pid=$!
            w=$(timeout 20 xdotool search --sync --name "Dojo" | head -1)
            sleep 1.5
            echo "before: $(xdotool getwindowname "$w")"
            xdotool windowfocus --sync "$w" key Right
            sleep 1
            echo "after: $(xdotool getwindowname "$w")"
            kill $pid
            wait $pid 2>/dev/null
            """#
        let r = try ExternalProcess.run("/usr/bin/xvfb-run", ["-a", "/bin/sh", "-c", script, "sh", try dojo.path])
        let before = r.stdout.split(separator: "\n").first { $0.hasPrefix("before:") } ?? ""
        let after = r.stdout.split(separator: "\n").first { $0.hasPrefix("after:") } ?? ""
        XCTAssertTrue(before.contains("PRESS A KEY TO START"), "the clock waits: \(r.stdout) \(r.stderr)")
        XCTAssertTrue(after.contains("STEP") && !after.contains("STEP 0") && !after.contains("PRESS"), "then it runs: \(r.stdout)")
    }

    /// Tic-tac-toe played in a real terminal (tmux) with digit keys: the status names the keys,
    /// and five digits win the game.
    func testBoardGamesArePlayedInTheTerminalWithDigits() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("CI must have tmux (make test installs it)") }
            throw XCTSkip("tmux is not installed (apt-get install tmux)")
        }
        let session = "dojo-ttt-\(getpid())", done = FileManager.default.temporaryDirectory.appendingPathComponent("\(session).exit").path
        defer { try? FileManager.default.removeItem(atPath: done); _ = try? ExternalProcess.run("/usr/bin/tmux", ["kill-session", "-t", session]) }
        let script = #"""
            tmux new-session -d -s "$1" -x 100 -y 40 "'$2' play tic-tac-toe --terminal; echo exit \$? > '$3'; sleep 2" < /dev/null > /dev/null 2>&1
            sleep 1.5
            echo "before: $(tmux capture-pane -p -t "$1" | grep STEP)"
            for k in 5 1 4 2 6; do tmux send-keys -t "$1" $k; sleep 0.3; done
            sleep 1
            tmux capture-pane -p -t "$1" | grep -E "WINS|episode"
            cat "$3"
            """#
        let r = try ExternalProcess.run("/bin/sh", ["-c", script, "sh", session, try dojo.path, done])
        XCTAssertTrue(r.stdout.contains("before: X TO PLAY  STEP 0  KEYS 1-9 PLAY A CELL"), r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("X WINS  STEP 5"), r.stdout)
        XCTAssertTrue(r.stdout.contains("episode 1: return 1, 5 steps"), r.stdout)
        XCTAssertTrue(r.stdout.contains("exit 0"), r.stdout)
    }

    /// Under xvfb the window shows exactly the frame the recorder saw last.
    func testWindowUnderXvfbShowsTheLastFrame() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xvfb-run") else {
            throw XCTSkip("xvfb-run is not installed (apt-get install xvfb); the window test needs a virtual display")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-window-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shot = dir.appendingPathComponent("shot.png").path, frames = dir.appendingPathComponent("frames").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try ExternalProcess.run("/usr/bin/xvfb-run", ["-a", try dojo.path, "watch", "--agent", "random", "--env", "minatar/seaquest",
                                                              "--window", "--max-steps", "8", "--fps", "60", "--screenshot", shot,
                                                              "--png-frames", frames])
        XCTAssertEqual(r.status, 0, r.stderr)
        let last = try FileManager.default.contentsOfDirectory(atPath: frames).sorted().last!
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shot)),
                       try Data(contentsOf: URL(fileURLWithPath: frames + "/" + last)),
                       "the window's pixels equal the last recorded frame")
    }
}

/// The reference MinAtar (pip minatar==1.0.15) and `dojo trace` agree line by line on long,
/// deep playthroughs (scripts/minatar_compare.py; `make test` installs the package).
final class MinAtarInteropTests: XCTestCase, RunsDojo {
    func testDojoTraceMatchesTheReferencePackage() throws {
        try ExternalProcess.requirePython("minatar", hint: "pip install minatar==1.0.15; make test installs it")
        let script = ExternalProcess.repositoryRoot.appendingPathComponent("scripts/minatar_compare.py")
        let r = try ExternalProcess.run("python3", [script.path, try dojo.path, "--seeds", "11,12", "--steps", "6000"])
        let text = r.stdout
        XCTAssertEqual(r.status, 0, text + r.stderr)
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count, 10, text)
    }
}
