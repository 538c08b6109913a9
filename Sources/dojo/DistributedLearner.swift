// The learner's side of `mpirun -np N dojo train alphazero --distributed` (issue 22 §3). Rank 0
// runs the run folder exactly as `--learner-only` does; this type is its post office. It tells
// every actor rank where to start (game number, seed) and sends it each published network;
// each game an actor sends is checked (a self-play record with its CRC, this network's shape, a
// version already published, the number expected next) and written atomically as
// selfplay/actor-rankR-NNNNNN.dojoaz before it counts, so the learner takes it in as it takes a
// `dojo selfplay` actor's file, and a killed job resumes from the folder without losing or
// double-counting a game. At the end it stops the actors and keeps whatever games they finish
// meanwhile (a resumed run trains on them).
import AlphaZero
import Cluster
import Files
import Foundation

final class DistributedLearner {
    let world: MPIWorld
    let selfplay: String
    /// The number each actor rank's next game must carry.
    private var nextGame: [Int: Int] = [:]
    /// After the stop: the actors that have not said `done` yet.
    private var stopping = false, running: Set<Int> = []
    /// Traffic, for the closing report and the metrics (§4).
    private(set) var gamesReceived = 0, gameBytes = 0, networksSent = 0, networkBytes = 0
    private(set) var receiveSeconds = 0.0, publishSeconds = 0.0

    var actorRanks: Range<Int> { 1..<world.size }

    init(world: MPIWorld, selfplay: String) {
        self.world = world
        self.selfplay = selfplay
    }

    static func fileName(rank: Int, game: Int) -> String { String(format: "actor-rank%d-%06d.dojoaz", rank, game) }

    /// Tells every actor its first game number and the run's seed, and sends the network.
    func begin(seed: UInt64, network path: String, version: Int) throws {
        try FileManager.default.createDirectory(atPath: selfplay, withIntermediateDirectories: true)
        for rank in actorRanks {
            let next = Dojo.SelfPlay.nextNumber(in: selfplay, prefix: "actor-rank\(rank)-")
            nextGame[rank] = next
            try world.send(.start(nextGame: next, seed: seed), to: rank)
        }
        try publish(network: path, version: version)
    }

    /// Sends a published network file to every actor.
    func publish(network path: String, version: Int) throws {
        let clock = Date()
        let bytes = try BoundedFile.read(path, limit: MPIWorld.maximumMessageBytes - 8)
        let message = ActorMessage.network(version: version, checkpoint: bytes)
        for rank in actorRanks { try world.send(message, to: rank) }
        networksSent += 1
        networkBytes += bytes.count + 8
        publishSeconds += Date().timeIntervalSince(clock)
    }

    /// Takes in every message waiting: games become files in selfplay/. A `done` before the
    /// stop means an actor ended on its own, which the job cannot recover from.
    func receiveWaiting(shape: PositionShape, newestVersion: Int) throws {
        while let message = try timedPoll() { try take(message, shape: shape, newestVersion: newestVersion) }
        try world.completeSends()
    }

    /// An actor's message: a game is kept; `done` retires the actor once it was asked to stop.
    private func take(_ message: MPIMessage, shape: PositionShape, newestVersion: Int) throws {
        switch try ActorMessage.decode(tag: message.tag, bytes: message.bytes, sender: "actor rank \(message.source)") {
        case .game(let number, let record):
            try keep(game: number, record: record, from: message.source, shape: shape, newestVersion: newestVersion)
        case .done:
            guard stopping else { throw AlphaZeroError("actor rank \(message.source) stopped before the learner asked it to; resume the run with --resume") }
            running.remove(message.source)
        default:
            throw AlphaZeroError("actor rank \(message.source) sent a learner's message (tag \(message.tag)); are all ranks the same dojo build?")
        }
    }

    /// The next waiting message; the time to take one in counts toward the report (empty polls do not).
    private func timedPoll() throws -> MPIMessage? {
        let clock = Date()
        guard let message = try world.poll() else { return nil }
        receiveSeconds += Date().timeIntervalSince(clock)
        return message
    }

    private func keep(game number: Int, record: [UInt8], from rank: Int, shape: PositionShape, newestVersion: Int) throws {
        guard let expected = nextGame[rank] else { throw AlphaZeroError("rank \(rank) is not one of this job's actors") }
        guard number == expected else {
            throw AlphaZeroError("actor rank \(rank) sent game \(number) where game \(expected) was due; a game is counted once, so the job stops (resume it with --resume)")
        }
        let name = Self.fileName(rank: rank, game: number)
        let path = (selfplay as NSString).appendingPathComponent(name)
        let decoded = try SelfPlayRecord.decode(record, path: "game \(number) from actor rank \(rank)")
        guard decoded.shape == shape else {
            throw AlphaZeroError("actor rank \(rank) sent positions of \(decoded.shape), but this network takes \(shape); are all ranks the same dojo build?")
        }
        guard decoded.networkVersion <= newestVersion else {
            throw AlphaZeroError("actor rank \(rank) sent a game played by network version \(decoded.networkVersion), newer than the newest published (\(newestVersion))")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw AlphaZeroError("\(path) already exists; a finished game is never overwritten (was the selfplay folder copied between runs?)")
        }
        try AtomicFile.write(record, to: path)
        nextGame[rank] = number + 1
        gamesReceived += 1
        gameBytes += record.count + 8
    }

    /// Stops every actor, keeps the games they finish meanwhile, and leaves the MPI job.
    func finish(shape: PositionShape, newestVersion: Int) throws {
        for rank in actorRanks { try world.send(.stop, to: rank) }
        stopping = true
        running = Set(actorRanks)
        while !running.isEmpty, let message = try world.receive() { try take(message, shape: shape, newestVersion: newestVersion) }
        try world.finish()
    }

    /// One line on the traffic: games in, networks out, and what they cost.
    var report: String {
        let perGame = gamesReceived == 0 ? 0 : gameBytes / gamesReceived
        let perNetwork = networksSent == 0 ? 0 : networkBytes / networksSent
        return String(format: "distributed: %d actors; %d games received (%d bytes each on average, %.1f ms receiving each); %d networks sent (%d bytes each, %.1f ms each to post to all actors)",
                      actorRanks.count, gamesReceived, perGame, gamesReceived == 0 ? 0 : 1000 * receiveSeconds / Double(gamesReceived),
                      networksSent, perNetwork, networksSent == 0 ? 0 : 1000 * publishSeconds / Double(networksSent))
    }
}
