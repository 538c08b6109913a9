// Fuzzing a trainer's checkpoint: mutations of a good file written to a folder, each handed to
// the trainer's resume (which must resume or refuse with one of its sentence errors) and to a
// policy loader (whose errors must be sentences, not raw system errors). DQN and PPO share it.
import Foundation
import XCTest

public struct CheckpointFuzz {
    public var rounds = 150
    public var seed: UInt64
    public init(seed: UInt64) { self.seed = seed }

    /// Returns how many mutated files resumed and how many were refused. An error that
    /// `isRefusal` does not accept is rethrown, failing the test.
    public func run(_ good: String, in dir: TemporaryDirectory, resume: (String) throws -> Void, load: (String) throws -> Void,
                    isRefusal: (Error) -> Bool, file: StaticString = #filePath, line: UInt = #line) throws -> (resumed: Int, refused: Int) {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: good)))
        var m = Mutator(seed: seed)
        var resumed = 0, refused = 0
        for round in 0..<rounds {
            let path = dir.path("m\(round).safetensors")
            try Data(m.mutateSafeTensors(bytes, round: round)).write(to: URL(fileURLWithPath: path))
            do {
                try resume(path)
                resumed += 1
            } catch where isRefusal(error) { refused += 1 }
            do { try load(path) } catch {
                XCTAssertFalse("\(error)".contains("Error Domain="), "a sentence, not a raw error: \(error)", file: file, line: line)
            }
        }
        return (resumed, refused)
    }
}
