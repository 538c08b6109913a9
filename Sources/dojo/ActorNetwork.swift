// The network an actor plays with — one published version, a copy for each game played at
// once — and a batch of its self-play games. `dojo selfplay` (actors sharing a run folder) and
// the actor ranks of `--distributed` share it. Game k is seeded by stream k of the actor's
// seeds alone, so its games do not depend on how many are played at once.
import AlphaZero
import Catalog
import Foundation
import MCTS
import RL
import Tensors

struct ActorNetwork {
    let version: Int
    let config: AlphaZeroConfig
    let evaluators: [NetworkEvaluator]
    /// The game's first position.
    let start: any Environment

    var shape: PositionShape { PositionShape(start) }

    /// `copies` evaluators from a published network's bytes (`name` says where they came from
    /// in errors); `start`: the game's first position when an earlier version made it.
    init(version: Int, checkpoint bytes: [UInt8], name: String, copies: Int, start: (any Environment)?) throws {
        let (config, first) = try AlphaZeroTrainer.evaluator(checkpointBytes: bytes, name: name)
        let others = try (1..<max(1, copies)).map { _ in try AlphaZeroTrainer.evaluator(checkpointBytes: bytes, name: name).evaluator }
        self.version = version
        self.config = config
        evaluators = [first] + others
        self.start = try start ?? AlphaZeroGames.start(config)
    }

    /// Games `first`..<`first + count` (count ≤ the copies), played at once.
    func play(games count: Int, first: Int, seeds: SeededGenerator) -> [SelfPlayGame] {
        var slots = [SelfPlayGame?](repeating: nil, count: min(count, evaluators.count))
        let start = start, config = config, evaluators = evaluators
        slots.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            Parallel.forEach(slots.count) { k, worker in
                var stream = seeds.derived(stream: UInt64(first + k))
                slots[k] = AlphaZero.SelfPlay.play(start, evaluator: evaluators[worker], config: config, seed: stream.next())
            }
        }
        return slots.compactMap { $0 }
    }
}
