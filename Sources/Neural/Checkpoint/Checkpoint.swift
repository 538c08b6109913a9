// Dojo checkpoints: a safetensors file holding every network parameter and buffer under its
// dotted name, the optimizer's slots (`optim.<kind>.<slot>.<param>`), and string metadata:
// `format` = "dojo-checkpoint", `format_version`, `optimizer.step`, plus whatever the caller
// adds (agent kind, environment id, full config as JSON, step counters, RNG state).
// Saving is atomic. Loading validates everything before touching the network, so a bad file
// leaves the network as it was and the error names the first problem in one sentence.
import Foundation
import Tensors

public enum Checkpoint {
    public static let format = "dojo-checkpoint"
    public static let formatVersion = "1"

    /// Writes parameters, optimizer state and metadata to `path` atomically.
    public static func save(to path: String, parameters: [Parameter], optimizer: (any Optimizer)? = nil,
                            metadata: [String: String] = [:], byteArrays: [(name: String, bytes: [UInt8])] = []) throws {
        var meta = metadata
        meta["format"] = format
        meta["format_version"] = formatVersion
        var tensors = parameters.map { (name: $0.name, tensor: $0.value) }
        if let optimizer {
            meta["optimizer.step"] = String(optimizer.stepCount)
            tensors += optimizer.stateTensors
        }
        try SafeTensorsFile(tensors: tensors, metadata: meta, byteArrays: byteArrays).write(to: path)
    }

    /// Reads `path` into `parameters` (and `optimizer`, when given) and returns its metadata.
    @discardableResult
    public static func load(from path: String, into parameters: [Parameter],
                            optimizer: (any Optimizer)? = nil, ignoring prefixes: [String] = []) throws -> [String: String] {
        let file = try SafeTensorsFile.read(from: path)
        do {
            return try restore(file, into: parameters, optimizer: optimizer, ignoring: prefixes)
        } catch let error as SafeTensorsError {
            throw SafeTensorsError("\(path): \(error.description)")
        }
    }

    /// Validates `file` against the network and copies it in (all or nothing).
    /// Tensors whose names start with one of `prefixes` (state the caller does not need, such as
    /// a trainer's replay priorities when only the policy is loaded) are skipped.
    public static func restore(_ file: SafeTensorsFile, into parameters: [Parameter],
                               optimizer: (any Optimizer)? = nil, ignoring prefixes: [String] = []) throws -> [String: String] {
        guard file.metadata["format"] == format else {
            throw SafeTensorsError("not a Dojo checkpoint (metadata \"format\" is \(file.metadata["format"].map { "\"\($0)\"" } ?? "missing")); pass a file written by dojo")
        }
        guard file.metadata["format_version"] == formatVersion else {
            throw SafeTensorsError("checkpoint format version \(file.metadata["format_version"] ?? "missing") is not supported; this dojo reads version \(formatVersion)")
        }
        var byName: [String: Tensor] = [:]
        for (name, t) in file.tensors { byName[name] = t }
        for p in parameters {
            guard let t = byName[p.name] else {
                throw SafeTensorsError("tensor \(p.name) is missing from the checkpoint; it was written for a different network")
            }
            guard t.shape == p.value.shape else {
                throw SafeTensorsError("tensor \(p.name) has shape \(t.shape) in the checkpoint but the network expects \(p.value.shape)")
            }
        }
        let known = Set(parameters.map(\.name))
        var optimizerState: [String: Tensor] = [:]
        for (name, t) in file.tensors where !known.contains(name) {
            if name.hasPrefix("optim.") { optimizerState[name] = t; continue }
            if prefixes.contains(where: { name.hasPrefix($0) }) { continue }
            throw SafeTensorsError("the checkpoint has tensor \(name), which this network does not have; it was written for a different network")
        }
        if let optimizer {
            guard let step = file.metadata["optimizer.step"].flatMap(Int.init) else {
                throw SafeTensorsError("the checkpoint has no optimizer state (metadata optimizer.step); resume needs a checkpoint saved with its optimizer")
            }
            try optimizer.loadState(optimizerState)   // validates every slot before assigning
            optimizer.stepCount = step
        }
        for p in parameters {
            p.value.scratchPointer.update(from: byName[p.name]!.pointer, count: p.value.count)
        }
        return file.metadata
    }
}
