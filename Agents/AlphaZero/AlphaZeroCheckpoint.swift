// AlphaZero checkpoints: the network's weights and the optimizer's momentum in a Dojo
// checkpoint (safetensors) with metadata `agent` = "alphazero", the full config as JSON (the
// game's id among it), the network's input `observation` ("C,H,W") and `actions`, the
// iteration, games played and the generator's state. Published network versions
// (`publish(to:)`) are the same without the optimizer and the counters a resume needs. Checkpoints from before other games
// (no `observation`) are Go networks of the config's board size. `--resume` reloads them and refills the
// window from the run's self-play files (the newest positions first); the network for a player
// is rebuilt from the checkpoint alone. `--init` takes a checkpoint's or published version's
// weights alone into a new run.
import Foundation
import MCTS
import RL
import Neural
import Tensors

extension AlphaZeroTrainer {
    public func save(to path: String) throws {
        try Checkpoint.save(to: path, parameters: network.parameters, optimizer: optimizer, metadata: try metadata().merging([
            "games": String(gamesPlayed), "generator": generator.stateWords.map(String.init).joined(separator: ","),
            "training_seconds": String(trainingSeconds),
        ]) { $1 }, byteArrays: [(Self.ledgerName, Array(ingested.joined(separator: "\n").utf8))])
    }

    /// The checkpoint's list of self-play files taken into the window, one name per line.
    static let ledgerName = "selfplay.ingested"

    /// The ledger read back; every name must be a self-play file's plain name.
    static func ledger(_ bytes: [UInt8], path: String) throws -> [String] {
        guard !bytes.isEmpty else { return [] }
        let names = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        for name in names where !SelfPlayRecord.isPlainName(name) {
            throw AlphaZeroError("\(path): the list of self-play files taken names '\(name.prefix(80))', which is not a self-play file's name; the checkpoint is damaged")
        }
        return names
    }

    /// What a player needs to rebuild the network: the config, the input shape, the iteration.
    private func metadata() throws -> [String: String] {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        let o = shape.observation
        return ["agent": "alphazero", "config": json, "observation": "\(o.channels),\(o.height),\(o.width)",
                "actions": String(shape.actions), "iteration": String(iteration), "network_version": String(networkVersion)]
    }

    /// Publishes the network as it stands as version `networkVersion`, `directory/NNNNNN.safetensors`
    /// (weights and config, no optimizer: any `alphazero:checkpoint=` player loads it), written
    /// atomically, so actors and gauntlets can take numbered versions while training goes on.
    /// Keeps the newest `keep` versions and every `every`-th; returns the path.
    @discardableResult
    public func publish(to directory: String, keep: Int = 20, every: Int = 25) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(Self.publishedName(networkVersion))
        try Checkpoint.save(to: path, parameters: network.parameters, metadata: try metadata())
        let versions = Self.publishedVersions(in: directory)
        for version in versions.dropLast(keep) where version % every != 0 {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(Self.publishedName(version)))
        }
        return path
    }

    static func publishedName(_ version: Int) -> String { String(format: "%06d.safetensors", version) }

    /// Where `publish(to: directory)` puts version `version`.
    public static func publishedPath(in directory: String, version: Int) -> String {
        (directory as NSString).appendingPathComponent(publishedName(version))
    }

    /// The versions published in `directory`, oldest first.
    public static func publishedVersions(in directory: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            let digits = name.prefix(6)
            guard name.hasSuffix(".safetensors"), name.count == 18, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            return Int(digits)
        }.sorted()
    }

    /// Restores weights, optimizer, counters and generator from `path`, and the window from the
    /// self-play directory.
    public func restore(from path: String) throws {
        let meta = try Checkpoint.load(from: path, into: network.parameters, optimizer: optimizer)
        let recorded = try SafeTensorsFile.read(from: path).bytes(named: Self.ledgerName)
        iteration = Int(meta["iteration"] ?? "") ?? 0
        gamesPlayed = Int(meta["games"] ?? "") ?? 0
        trainingSeconds = Double(meta["training_seconds"] ?? "").flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } ?? 0
        if let words = meta["generator"]?.split(separator: ",").compactMap({ UInt64($0) }), let g = SeededGenerator(stateWords: words) {
            generator = g
        }
        window = []
        ingested = []
        guard let dir = selfPlayDirectory else { return }
        if let recorded {
            ingested = try Self.ledger(recorded, path: path)
        } else {
            // Checkpoints from before the ledger: the run's own files, whose names sort in order.
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            ingested = files.filter { $0.hasSuffix(".dojoaz") && $0.hasPrefix("iter") }.sorted()
        }
        // The newest games taken fill the window; a file removed since (to save disk) is skipped.
        for file in ingested.reversed() where window.count < config.windowPositions {
            let path = (dir as NSString).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let record = try SelfPlayRecord.read(path)
            guard record.shape == shape else { throw AlphaZeroError("\(path) holds positions of \(record.shape), but this network takes \(shape); move the file out of the run's selfplay folder") }
            window.insert(contentsOf: record.positions, at: 0)
        }
        if window.count > config.windowPositions { window.removeFirst(window.count - config.windowPositions) }
    }

    /// Starts from another run's network (`dojo train alphazero --init`): its weights only —
    /// this run's optimizer, counters, generator and window start fresh. The file must hold a
    /// network of this run's game and shape; returns the version it was.
    @discardableResult
    public func initialize(from path: String) throws -> Int {
        let file = try SafeTensorsFile.read(from: path)
        let (stored, storedShape) = try Self.stored(file, path: path)
        let reshaped = config.networkChanges(from: stored)
        guard reshaped.isEmpty, storedShape == shape else {
            throw AlphaZeroError("\(path) holds a network of another shape or game (\(reshaped.isEmpty ? "its input or moves" : reshaped.joined(separator: ", ")) differ from this run's); start from a network of this run's config")
        }
        do { _ = try Checkpoint.restore(file, into: network.parameters) } catch let error as SafeTensorsError { throw SafeTensorsError("\(path): \(error.description)") }
        return Int(file.metadata["network_version"] ?? file.metadata["iteration"] ?? "") ?? 0
    }

    /// Self-play files in the run's folder that the learner has not taken yet, oldest first
    /// (by modification time, then name): what actors have finished since.
    public func pendingGames() -> [String] {
        guard let dir = selfPlayDirectory, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        let taken = Set(ingested)
        let fresh = names.filter { SelfPlayRecord.isPlainName($0) && !taken.contains($0) }
        let dated = fresh.map { name -> (Date, String) in
            let attributes = try? FileManager.default.attributesOfItem(atPath: (dir as NSString).appendingPathComponent(name))
            return ((attributes?[.modificationDate] as? Date) ?? .distantPast, name)
        }
        return dated.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    /// The config stored in an AlphaZero checkpoint.
    public static func config(inCheckpoint path: String) throws -> AlphaZeroConfig {
        try stored(path).config
    }

    /// The config and network shape stored in an AlphaZero checkpoint.
    static func stored(_ path: String) throws -> (config: AlphaZeroConfig, shape: PositionShape) {
        try stored(SafeTensorsFile.read(from: path), path: path)
    }

    /// The config and network shape of a checkpoint already read (`path` names it in errors).
    static func stored(_ file: SafeTensorsFile, path: String) throws -> (config: AlphaZeroConfig, shape: PositionShape) {
        guard file.metadata["agent"] == "alphazero", let json = file.metadata["config"] else {
            throw AlphaZeroError("\(path) is not an AlphaZero checkpoint (written by dojo train alphazero)")
        }
        let config = try AlphaZeroConfig.decode(json)
        guard let text = file.metadata["observation"] else {
            guard let shape = AlphaZeroConfig.legacyGoShape(config.environment) else {
                throw AlphaZeroError("\(path) names no observation shape for its network; the file is damaged")
            }
            return (config, shape)
        }
        let dims = text.split(separator: ",").compactMap { Int($0) }
        guard dims.count == 3, dims.allSatisfy({ $0 > 0 }), let actions = Int(file.metadata["actions"] ?? ""), actions > 0 else {
            throw AlphaZeroError("\(path): the metadata's observation '\(text)' or actions '\(file.metadata["actions"] ?? "")' is damaged")
        }
        return (config, PositionShape(observation: ObservationShape(channels: dims[0], height: dims[1], width: dims[2]), actions: actions))
    }

    /// A search evaluator from a checkpoint alone.
    public static func evaluator(checkpoint path: String) throws -> (config: AlphaZeroConfig, evaluator: NetworkEvaluator) {
        try evaluator(SafeTensorsFile.read(from: path), path: path)
    }

    /// A search evaluator from a checkpoint's bytes (a published network sent to an actor);
    /// `name` says where the bytes came from in errors.
    public static func evaluator(checkpointBytes bytes: [UInt8], name: String) throws -> (config: AlphaZeroConfig, evaluator: NetworkEvaluator) {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile.decode(bytes) } catch let error as SafeTensorsError { throw SafeTensorsError("\(name): \(error.description)") }
        return try evaluator(file, path: name)
    }

    static func evaluator(_ file: SafeTensorsFile, path: String) throws -> (config: AlphaZeroConfig, evaluator: NetworkEvaluator) {
        let (config, shape) = try stored(file, path: path)
        var unused = SeededGenerator(seed: 0)
        let network = makeNetwork(config, shape: shape, generator: &unused)
        do { _ = try Checkpoint.restore(file, into: network.parameters) } catch let error as SafeTensorsError { throw SafeTensorsError("\(path): \(error.description)") }
        return (config, inferenceEvaluator(config, shape: shape, parameters: network.parameters))
    }
}
