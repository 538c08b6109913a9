// The shared conformance suite (DESIGN.md §6): every environment registered in
// `EnvironmentCatalog` gets every check below, with no per-environment code.
import Catalog
import Foundation
import RL
import Tensors
import XCTest

final class ConformanceTests: XCTestCase {
    /// Every registered id, plus option variants that change behaviour.
    static var specs: [String] {
        EnvironmentCatalog.entries.filter { !$0.isTemplate }.map(\.id) + EnvironmentCatalog.conformanceVariants
            + ["gridworld/file:\(mapFile.path)"]
    }

    /// A map file with every kind of cell, for the `gridworld/file:` family.
    static let mapFile: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dojo-conformance-\(getpid()).txt")
        try! "#######\n#S.aK.#\n#.L.D.#\n#.H.#G#\n#######\n\na = 0.5\nmax_steps = 60\n".write(to: url, atomically: true, encoding: .utf8)
        return url
    }()

    struct Transcript: Equatable {
        var observations: [[Float]] = []
        var results: [StepResult] = []
        var players: [Int] = []
    }

    /// Plays `steps` seeded random steps (resetting after each episode) and records everything.
    func play<E: Environment>(_ env: inout E, steps: Int, policySeed: UInt64) -> Transcript {
        var t = Transcript()
        var policy = RandomPolicy(seed: policySeed)
        t.observations.append(env.observation())
        for _ in 0..<steps {
            t.players.append(env.currentPlayer)
            let r = env.step(policy.act(on: env))
            t.results.append(r)
            t.observations.append(env.observation())
            if r.isOver { env.reset(seed: nil) }
        }
        return t
    }

    func forEachEnvironment(_ body: (String, inout any Environment) throws -> Void) throws {
        for spec in Self.specs {
            var env = try EnvironmentCatalog.make(spec)
            try body(spec, &env)
        }
    }

    func testSameSeedSameTrajectory() throws {
        try forEachEnvironment { spec, env in
            func transcript(_ env: some Environment, seed: UInt64) -> Transcript {
                var e = env
                e.reset(seed: seed)
                return play(&e, steps: 400, policySeed: 9)
            }
            let a = transcript(env, seed: 5), b = transcript(env, seed: 5)
            XCTAssertEqual(a, b, "\(spec): same seed, different trajectory")
            // A seeded reset after playing is the same fresh start.
            var used = env
            used.reset(seed: 1)
            _ = play(&used, steps: 57, policySeed: 3)
            XCTAssertEqual(transcript(used, seed: 5), a, "\(spec): a seeded reset depends on history")
        }
    }

    func testCopiesAreIndependent() throws {
        try forEachEnvironment { spec, env in
            env.reset(seed: 11)
            var original = env
            _ = play(&original, steps: 23, policySeed: 1)
            let snapshot = original.observation()
            var copy = original
            _ = play(&copy, steps: 50, policySeed: 2)
            XCTAssertEqual(original.observation(), snapshot, "\(spec): stepping a copy changed the original")
            var c1 = original, c2 = original
            XCTAssertEqual(play(&c1, steps: 80, policySeed: 4), play(&c2, steps: 80, policySeed: 4),
                           "\(spec): two copies of one state diverged")
        }
    }

    func testLegalMaskMatchesLegalActionsAndShapeIsConstant() throws {
        try forEachEnvironment { spec, env in
            env.reset(seed: 2)
            let shape = env.observationShape
            var policy = RandomPolicy(seed: 8)
            var mask = [Bool](repeating: false, count: env.actionCount)
            for _ in 0..<300 {
                let legal = env.legalActions
                XCTAssertEqual(legal, legal.sorted(), "\(spec): legal actions not sorted")
                XCTAssertTrue(legal.allSatisfy { (0..<env.actionCount).contains($0) }, "\(spec): legal action out of range")
                mask.withUnsafeMutableBufferPointer { env.legalMask(into: $0) }
                XCTAssertEqual(mask.indices.filter { mask[$0] }, legal, "\(spec): mask and legal actions disagree")
                // observe writes exactly its shape: a sentinel after the buffer survives.
                var buffer = [Float](repeating: -7, count: shape.count + 1)
                buffer.withUnsafeMutableBufferPointer { env.observe(into: UnsafeMutableBufferPointer(rebasing: $0[0..<shape.count])) }
                XCTAssertEqual(buffer.last, -7, "\(spec): observe wrote past its shape")
                XCTAssertFalse(buffer.dropLast().contains(-7), "\(spec): observe left part of its buffer unwritten")
                XCTAssertEqual(env.observationShape, shape, "\(spec): observation shape changed")
                if legal.isEmpty { break }
                let r = env.step(policy.act(on: env))
                if r.isOver {
                    XCTAssertTrue(env.isOver, "\(spec): step said over but isOver is false")
                    XCTAssertEqual(env.observationShape, shape, "\(spec): terminal shape differs")
                    XCTAssertEqual(env.observation().count, shape.count)
                    env.reset(seed: nil)
                }
            }
        }
    }

    func testRandomRolloutsEndWithinTheDeclaredMaximum() throws {
        try forEachEnvironment { spec, env in
            let limit = env.maxEpisodeSteps ?? 100_000
            var policy = RandomPolicy(seed: 21)
            for episode in 0..<3 {
                env.reset(seed: UInt64(episode))
                var steps = 0
                while steps < limit {
                    steps += 1
                    if env.step(policy.act(on: env)).isOver { break }
                }
                XCTAssertTrue(env.isOver, "\(spec): episode \(episode) still running after \(limit) steps")
            }
        }
    }

    func testRenderingFillsAFrameOfTheDeclaredSize() throws {
        try forEachEnvironment { spec, env in
            env.reset(seed: 0)
            let size = env.frameSize
            XCTAssertGreaterThan(size.width, 0); XCTAssertGreaterThan(size.height, 0)
            var frame = Frame(size: size, fill: RGB(1, 2, 3))
            env.render(into: &frame)
            XCTAssertEqual(frame.size, size, spec)
            let colors = Set(stride(from: 0, to: frame.pixels.count, by: 3).map {
                RGB(frame.pixels[$0], frame.pixels[$0 + 1], frame.pixels[$0 + 2])
            })
            XCTAssertGreaterThan(colors.count, 1, "\(spec): the frame is one flat colour")
            XCTAssertFalse(colors.contains(RGB(1, 2, 3)), "\(spec): render left pixels undrawn")
        }
    }
}
