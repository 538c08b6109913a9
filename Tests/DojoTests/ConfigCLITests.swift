// Bad config values — typed with --set or stored inside a checkpoint — are one sentence and a
// non-zero exit, never a trap and never a huge allocation.
import Foundation
import TestSupport
import XCTest

final class ConfigCLITests: XCTestCase, RunsDojo {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "dojo-config") }
    override func tearDown() { dir.remove() }

    func testBadSettingsAreASentence() throws {
        let cases: [(String, String)] = [
            ("huberDelta=0", "huberDelta must be > 0"),
            ("hiddenUnits=4611686018427387904", "hiddenUnits must be in 1…"),
            ("convChannels=4611686018427387904", "convChannels must be in 1…"),
            ("replayCapacity=4611686018427387904", "replayCapacity must be in 1…"),
            ("frameStack=4611686018427387904", "frameStack must be in 1…"),
            ("rmspropEpsilon=-1", "rmspropEpsilon must be > 0"),
            ("targetUpdateEvery=0", "targetUpdateEvery must be in 1…"),
        ]
        for (setting, message) in cases {
            let r = try run(["train", "dqn", "--env", "minatar/breakout", "--frames", "100", "--run-dir", dir.path("runs"), "--set", setting, "--quiet"])
            XCTAssertEqual(r.status, 1, "\(setting): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(setting): \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("runs")), "no run folder for a refused config")
    }

    /// A real checkpoint whose stored config is rewritten: `dojo eval` must refuse it at once.
    func testACheckpointWithABadStoredConfigIsRefused() throws {
        let train = try run(["train", "dqn", "--env", "gridworld/empty-5", "--frames", "300", "--run-dir", dir.path("runs"),
                             "--set", "warmupFrames=100", "--set", "hiddenUnits=8", "--eval-episodes", "1", "--quiet"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let run0 = try FileManager.default.contentsOfDirectory(atPath: dir.path("runs"))[0]
        let checkpoint = dir.path("runs/\(run0)/checkpoints/latest.safetensors")
        let cases: [([(String, String)], String)] = [([("huberDelta", "0")], "huberDelta must be > 0"),
                                                     ([("hiddenUnits", "50000000")], "hiddenUnits must be in 1…"),
                                                     ([("convChannels", "4000"), ("hiddenUnits", "1000000")], "more than this machine's")]
        for (edits, message) in cases {
            let key = edits.map(\.0).joined(separator: "+")
            let bad = dir.path("bad-\(key).safetensors")
            try Self.rewriteConfig(of: checkpoint, to: bad) { config in
                edits.reduce(config) { $0.replacingOccurrences(of: "\"\($1.0)\" : ", with: "\"\($1.0)\" : \($1.1), \"_\" : ") }
            }
            let e = try run(["eval", bad, "--episodes", "1"])
            XCTAssertEqual(e.status, 1, "\(key): \(e.stderr)")
            XCTAssertTrue(e.stderr.contains(message), "\(key): \(e.stderr)")
        }
    }

    /// Copies a safetensors file with its metadata's `config` string changed by `edit`; a key
    /// "_" added by the edit is dropped again so the config stays of the right shape.
    static func rewriteConfig(of source: String, to destination: String, _ edit: (String) -> String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let length = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as! [String: Any]
        var metadata = header["__metadata__"] as! [String: String]
        let edited = edit(metadata["config"]!)
        var object = try JSONSerialization.jsonObject(with: Data(edited.utf8)) as! [String: Any]
        object["_"] = nil   // the edits' leftovers: every "_" key collapses into this one
        metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        header["__metadata__"] = metadata
        var json = try JSONSerialization.data(withJSONObject: header)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) }
        out.append(json)
        out.append(bytes.subdata(in: (8 + length)..<bytes.count))
        try out.write(to: URL(fileURLWithPath: destination))
    }
}
