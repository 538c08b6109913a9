// AlphaGo checkpoints: one network's weights (and, for resuming, its optimizer) in a Dojo
// checkpoint (safetensors) with metadata `agent` = the stage that wrote it —
// "alphago-sl-policy", "alphago-pg-policy" or "alphago-value" — the full AlphaGoConfig as JSON,
// the stage's step counter, its generator state and its last report (policy-gradient ones also
// their opponent pool, which loading a network skips). A policy or value
// network for play is rebuilt from the checkpoint alone.
import Foundation
import Neural
import Tensors

public enum AlphaGoStage: String, Sendable, CaseIterable {
    case slPolicy = "alphago-sl-policy", pgPolicy = "alphago-pg-policy", value = "alphago-value"
    public var isPolicy: Bool { self != .value }
}

public enum AlphaGoCheckpoint {
    /// What a checkpoint holds, read from its metadata.
    public struct Info: Sendable {
        public let stage: AlphaGoStage
        public let config: AlphaGoConfig
        public let step: Int
        public let metadata: [String: String]
    }

    public static func save(to path: String, stage: AlphaGoStage, config: AlphaGoConfig, network: Sequential, optimizer: SGD?,
                            step: Int, generator: SeededGenerator, extra: [String: String] = [:], more: [Parameter] = []) throws {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        var meta = extra
        meta["agent"] = stage.rawValue
        meta["config"] = json
        meta["step"] = String(step)
        meta["generator"] = generator.stateWords.map(String.init).joined(separator: ",")
        try Checkpoint.save(to: path, parameters: network.parameters + more, optimizer: optimizer, metadata: meta)
    }

    public static func info(_ path: String) throws -> Info {
        let file = try SafeTensorsFile.read(from: path)
        guard let kind = file.metadata["agent"], let stage = AlphaGoStage(rawValue: kind), let json = file.metadata["config"] else {
            throw AlphaGoError("\(path) is not an AlphaGo checkpoint (written by dojo train sl-policy, pg-policy or value)")
        }
        guard let config = try? JSONDecoder().decode(AlphaGoConfig.self, from: Data(json.utf8)) else {
            throw AlphaGoError("\(path): the stored AlphaGo config is not readable; the file is damaged")
        }
        do { try config.validate() } catch let error as AlphaGoError {
            throw AlphaGoError("\(path) holds an invalid config (\(error.description)); the file is damaged")
        }
        return Info(stage: stage, config: config, step: Int(file.metadata["step"] ?? "") ?? 0, metadata: file.metadata)
    }

    /// Restores weights (and the optimizer, when given) into `network`; returns the generator
    /// stored with them.
    @discardableResult
    public static func restore(_ path: String, into network: Sequential, optimizer: SGD? = nil) throws -> SeededGenerator? {
        try restore(try SafeTensorsFile.read(from: path), path: path, into: network, optimizer: optimizer)
    }

    /// The same from a file already read (`path` names it in errors).
    static func restore(_ file: SafeTensorsFile, path: String, into network: Sequential, optimizer: SGD?) throws -> SeededGenerator? {
        let meta: [String: String]
        do {
            meta = try Checkpoint.restore(file, into: network.parameters, optimizer: optimizer, ignoring: [PolicyGradientTrainer.poolPrefix])
        } catch let error as SafeTensorsError {
            throw SafeTensorsError("\(path): \(error.description)")
        }
        return meta["generator"].flatMap { SeededGenerator(stateWords: $0.split(separator: ",").compactMap { UInt64($0) }) }
    }

    /// A policy network for play from a supervised or policy-gradient checkpoint.
    public static func policy(_ path: String) throws -> PolicyNetwork {
        let info = try info(path)
        guard info.stage.isPolicy else { throw AlphaGoError("\(path) holds a value network; give a policy checkpoint (dojo train sl-policy or pg-policy)") }
        var unused = SeededGenerator(seed: 0)
        let network = AlphaGoNetworks.policy(info.config, generator: &unused)
        try restore(path, into: network)
        return PolicyNetwork(config: info.config, network: network)
    }

    /// A value network for play from a value checkpoint.
    public static func value(_ path: String) throws -> ValueNetwork {
        let info = try info(path)
        guard info.stage == .value else { throw AlphaGoError("\(path) holds a policy network; give a value checkpoint (dojo train value)") }
        var unused = SeededGenerator(seed: 0)
        let network = AlphaGoNetworks.value(info.config, generator: &unused)
        try restore(path, into: network)
        return ValueNetwork(config: info.config, network: network)
    }
}
