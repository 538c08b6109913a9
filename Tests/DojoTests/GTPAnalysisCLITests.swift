// `dojo gtp` streaming analysis through real pipes: lz-analyze keeps reporting until the
// controller's next command arrives, then ends its response and answers that command.
import Foundation
import XCTest

final class GTPAnalysisCLITests: XCTestCase, RunsDojo {
    func testAnalysisStopsWhenTheNextCommandArrives() throws {
        let process = Process()
        process.executableURL = try dojo
        process.arguments = ["gtp", "--agent", "mcts:seconds=5"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("1 lz-analyze b 10\n".utf8))
        Thread.sleep(forTimeInterval: 1.0)
        input.fileHandleForWriting.write(Data("2 name\n3 quit\n".utf8))
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertTrue(text.hasPrefix("=1\ninfo move "), text)
        let analysis = text.components(separatedBy: "\n\n")[0]
        XCTAssertGreaterThanOrEqual(analysis.split(separator: "\n").count, 4, "about ten reports a second")
        XCTAssertTrue(text.contains("\n\n=2 Dojo\n\n"), "the analysis ended with a blank line, then name was answered")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
