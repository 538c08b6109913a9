// The GTP client against engines that misbehave on purpose (small shell scripts): answers,
// refusals, crashes, silence, garbage, and wrong ids each become the right error.
import Arena
import XCTest

final class GTPEngineTests: XCTestCase {
    /// An "engine" that reads commands and answers by `script` (a case statement on the command).
    func fake(_ script: String) throws -> GTPEngine {
        let program = """
            while read -r id cmd rest; do
              case "$cmd" in
                quit) printf '=%s\\n\\n' "$id"; exit 0 ;;
                \(script)
              esac
            done
            """
        return try GTPEngine(command: ["/bin/sh", "-c", program], name: "fake")
    }

    func testAnswersAndRefusals() throws {
        let e = try fake("""
            name) printf '=%s fake\\n\\n' "$id" ;;
            genmove) printf '?%s no moves today\\n\\n' "$id" ;;
            list) printf '=%s a\\nb\\n\\n' "$id" ;;
            """)
        defer { e.stop() }
        XCTAssertEqual(try e.send("name"), "fake")
        XCTAssertEqual(try e.send("list"), "a\nb")
        XCTAssertThrowsError(try e.send("genmove b")) {
            XCTAssertEqual($0 as? GTPEngineError, .failure(engine: "fake", command: "genmove b", message: "no moves today"))
        }
        e.stop()
        XCTAssertFalse(e.isRunning)
    }

    func testCrashSilenceGarbageAndWrongIds() throws {
        let crash = try fake("genmove) exit 3 ;;")
        XCTAssertThrowsError(try crash.send("genmove b", timeout: 5)) {
            XCTAssertEqual($0 as? GTPEngineError, .exited(engine: "fake", command: "genmove b", status: 3))
        }
        let silent = try fake("genmove) sleep 5 ;;")
        let start = Date()
        XCTAssertThrowsError(try silent.send("genmove b", timeout: 0.5)) {
            XCTAssertEqual($0 as? GTPEngineError, .timeout(engine: "fake", command: "genmove b", seconds: 0.5))
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        silent.stop()
        let garbage = try fake("genmove) printf 'hello there\\n\\n' ;;")
        XCTAssertThrowsError(try garbage.send("genmove b")) {
            guard case .protocolError = $0 as? GTPEngineError else { return XCTFail("\($0)") }
        }
        let wrongID = try fake("genmove) printf '=99 D4\\n\\n' ;;")
        XCTAssertThrowsError(try wrongID.send("genmove b")) {
            guard case .protocolError(_, _, let text) = $0 as? GTPEngineError else { return XCTFail("\($0)") }
            XCTAssertEqual(text, "answer for id 99, expected 1")
        }
        XCTAssertThrowsError(try GTPEngine(command: ["/no/such/engine"])) {
            XCTAssertTrue("\($0)".hasPrefix("cannot start engine '/no/such/engine'"), "\($0)")
        }
    }
}
