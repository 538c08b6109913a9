// Fuzzing the map reader: mutated built-in maps and legends are a GridMapError or a map that
// makes a working environment (random steps never trap).
import Foundation
import GridWorld
import RL
import Tensors
import TestSupport
import XCTest

final class GridMapFuzzTests: XCTestCase {
    func testMutatedMapsAreReadOrRefused() {
        let legends = ["", "\na = 0.5\nstep_penalty = 0.01\nmax_steps = 20\nslippery = on", "\nmax_steps = -5", "\nmax_steps = 99999999999999999999",
                       "\nb = nan", "\nslippery = maybe", "\nview = 3", "\nc = 1e308\nd = -1e308"]
        let maps = BuiltInMaps.all.map(\.text) + [BuiltInMaps.empty(5)]
        var m = Mutator(seed: 41)
        var read = 0, refused = 0
        for _ in 0..<600 {
            let text = m.int(2) == 0 ? m.mutate(m.pick(maps) + m.pick(legends), edits: 2) : m.pick(maps) + m.mutate(m.pick(legends), edits: 2)
            do {
                let map = try GridMap(parsing: text, name: "fuzz")
                var env = GridWorld(map: map, seed: 1)
                var obs = [Float](repeating: 0, count: env.observationShape.count)
                for _ in 0..<30 {
                    if env.isOver { env.reset(seed: nil) }
                    _ = env.step(m.int(env.actionCount))
                    obs.withUnsafeMutableBufferPointer { env.observe(into: $0) }
                }
                read += 1
            } catch is GridMapError { refused += 1 } catch { XCTFail("not a GridMapError: \(error)") }
        }
        XCTAssertGreaterThan(read, 25)
        XCTAssertGreaterThan(refused, 50)
    }
}
