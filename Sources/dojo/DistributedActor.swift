// An actor rank of `mpirun -np N dojo train alphazero --distributed` (issue 22 §3): no run folder,
// no shared filesystem. It waits for the learner's start (first game number, seed) and first
// network, then plays --threads games at a time with the newest network received, sends each
// finished game as a self-play record naming the version that played it, and looks at the
// learner's mail between batches; on `stop` it sends what it has finished and says `done`.
// Game k of rank r is seeded by (seed, r, k) alone, so a rank's games depend on the networks
// it is sent but not on timing; which iteration takes them in does depend on timing.
import AlphaZero
import Cluster
import Foundation
import Tensors

struct DistributedActor {
    let world: MPIWorld
    let threads: Int
    let quiet: Bool

    func run() throws {
        let learner = "the learner (rank 0)"
        var next = 0, sent = 0, stopping = false
        var seeds = SeededGenerator(seed: 0)
        var network: ActorNetwork?
        while !stopping {
            var newest: (version: Int, checkpoint: [UInt8])?
            // Everything the learner has said; before the first network, wait for it.
            while !stopping, let message = try (network == nil && newest == nil ? world.receive(from: 0) : world.poll(from: 0)) {
                switch try ActorMessage.decode(tag: message.tag, bytes: message.bytes, sender: learner) {
                case .start(let first, let seed):
                    next = first
                    seeds = SeededGenerator(seed: seed).derived(stream: UInt64(world.rank))
                case .network(let version, let checkpoint): newest = (version, checkpoint)
                case .stop: stopping = true
                default: throw AlphaZeroError("\(learner) sent an actor's message (tag \(message.tag)); are all ranks the same dojo build?")
                }
            }
            if let newest {
                network = try ActorNetwork(version: newest.version, checkpoint: newest.checkpoint, name: "network version \(newest.version) from \(learner)",
                                           copies: threads, start: network?.start)
                if !quiet { printError("actor rank \(world.rank): network version \(newest.version)") }
            }
            guard !stopping, let network else { continue }
            for game in network.play(games: network.evaluators.count, first: next, seeds: seeds) {
                let record = try SelfPlayRecord.encode(game.positions, shape: network.shape, networkVersion: network.version)
                try world.send(.game(number: next, record: record), to: 0)
                next += 1
                sent += 1
            }
            try world.completeSends()
        }
        try world.flushSends()
        try world.send(.done(games: sent), to: 0)
        try world.finish()
    }
}

extension MPIWorld {
    /// Sends one of the learner's or actors' messages under its own tag.
    func send(_ message: ActorMessage, to rank: Int) throws {
        try send(message.encoded(), to: rank, tag: message.tag)
    }
}
