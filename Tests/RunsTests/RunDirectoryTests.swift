// Run folders are unique, created exclusively and locked; the lock holder cleans up after
// writers that were killed mid-write.
import Files
import Foundation
import RL
import Runs
import Tensors
import TestSupport
import XCTest

final class RunDirectoryTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "dojo-runs") }
    override func tearDown() { dir.remove() }

    func testRunsStartedInTheSameSecondGetTheirOwnFolders() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let a = try RunDirectory.create(root: dir.path("runs"), environment: "minatar/breakout", agent: "dqn", seed: 1, date: date)
        let b = try RunDirectory.create(root: dir.path("runs"), environment: "minatar/breakout", agent: "dqn", seed: 1, date: date)
        XCTAssertNotEqual(a.path, b.path)
        XCTAssertTrue((a.path as NSString).lastPathComponent.hasPrefix("minatar-breakout__dqn__1__"), a.path)
        for run in [a, b] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.checkpoints))
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.videos))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path("runs")).count, 2)
    }

    func testASecondWriterIsRefusedWithTheHoldersPid() throws {
        let run = try RunDirectory.create(root: dir.path("runs"), environment: "gridworld/empty-5", agent: "dqn", seed: 0)
        XCTAssertThrowsError(try RunLock(folder: run.path)) { error in
            XCTAssertTrue("\(error)".contains("is in use by another process (pid \(getpid()))"), "\(error)")
        }
        let path = run.path
        _ = consume run   // the lock goes with the last reference
        XCTAssertNoThrow(try RunLock(folder: path))
    }

    func testResumeRemovesStaleTemporaryFilesAndRefusesAFolderWithoutACheckpoint() throws {
        let run = try RunDirectory.create(root: dir.path("runs"), environment: "gridworld/empty-5", agent: "dqn", seed: 0)
        XCTAssertThrowsError(try RunDirectory.resume(dir.path("runs/nothing-here"))) { XCTAssertTrue("\($0)".contains("no such run folder"), "\($0)") }
        let path = run.path
        _ = consume run
        XCTAssertThrowsError(try RunDirectory.resume(path)) { XCTAssertTrue("\($0)".contains("has no checkpoint"), "\($0)") }
        try AtomicFile.write([1, 2, 3], to: path + "/checkpoints/latest.safetensors")
        let stale = [path + "/checkpoints/" + AtomicFile.temporaryName(for: "latest.safetensors", pid: 4_000_001),
                     path + "/" + AtomicFile.temporaryName(for: "metrics.csv", pid: 17)]
        for file in stale { XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data([0]))) }
        let kept = path + "/.notes.tmp-draft"
        XCTAssertTrue(FileManager.default.createFile(atPath: kept, contents: Data([0])))
        try FileManager.default.removeItem(atPath: path + "/videos")
        let resumed = try RunDirectory.resume(path)
        for file in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: file), file) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: kept), "only AtomicFile's own names are removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: resumed.videos), "a removed videos/ is made again")
        XCTAssertTrue(FileManager.default.fileExists(atPath: resumed.latestCheckpoint))
    }
}
