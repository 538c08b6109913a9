// AlphaZero checkpoints: the network's weights and the optimizer's momentum in a Dojo
// checkpoint (safetensors) with metadata `agent` = "alphazero", the full config as JSON, the
// iteration, games played and the generator's state. `--resume` reloads them and refills the
// window from the run's self-play files (the newest positions first); the network for a player
// is rebuilt from the checkpoint alone.
import Foundation
import MCTS
import Neural
import Tensors

extension AlphaZeroTrainer {
    public func save(to path: String) throws {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try Checkpoint.save(to: path, parameters: network.parameters, optimizer: optimizer, metadata: [
            "agent": "alphazero", "config": json, "iteration": String(iteration), "games": String(gamesPlayed),
            "generator": generator.stateWords.map(String.init).joined(separator: ","),
        ])
    }

    /// Restores weights, optimizer, counters and generator from `path`, and the window from the
    /// self-play directory.
    public func restore(from path: String) throws {
        let meta = try Checkpoint.load(from: path, into: network.parameters, optimizer: optimizer)
        iteration = Int(meta["iteration"] ?? "") ?? 0
        gamesPlayed = Int(meta["games"] ?? "") ?? 0
        if let words = meta["generator"]?.split(separator: ",").compactMap({ UInt64($0) }), let g = SeededGenerator(stateWords: words) {
            generator = g
        }
        window = []
        guard let dir = selfPlayDirectory, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for file in files.filter({ $0.hasSuffix(".dojoaz") }).sorted().reversed() where window.count < config.windowPositions {
            let record = try SelfPlayRecord.read((dir as NSString).appendingPathComponent(file))
            window.insert(contentsOf: record.positions, at: 0)
        }
        if window.count > config.windowPositions { window.removeFirst(window.count - config.windowPositions) }
    }

    /// The config stored in an AlphaZero checkpoint.
    public static func config(inCheckpoint path: String) throws -> AlphaZeroConfig {
        let file = try SafeTensorsFile.read(from: path)
        guard file.metadata["agent"] == "alphazero", let json = file.metadata["config"] else {
            throw AlphaZeroError("\(path) is not an AlphaZero checkpoint (written by dojo train alphazero)")
        }
        return try JSONDecoder().decode(AlphaZeroConfig.self, from: Data(json.utf8))
    }

    /// A search evaluator from a checkpoint alone.
    public static func evaluator(checkpoint path: String) throws -> (config: AlphaZeroConfig, evaluator: NetworkEvaluator) {
        let config = try config(inCheckpoint: path)
        var unused = SeededGenerator(seed: 0)
        let network = makeNetwork(config, generator: &unused)
        try Checkpoint.load(from: path, into: network.parameters)
        return (config, inferenceEvaluator(config, parameters: network.parameters))
    }
}
