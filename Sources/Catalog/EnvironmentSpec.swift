// Environment specs as users type them: an id followed by optional comma-separated options,
// e.g. `minatar/breakout`, `minatar/seaquest,sticky=0,ramping=off`, `gridworld/four-rooms,slip=1/3`.
// Parsing only; what the options mean belongs to each entry of `EnvironmentCatalog`.

public struct EnvironmentSpec: Equatable, Sendable, CustomStringConvertible {
    public var id: String
    public var options: [String: String]

    public init(id: String, options: [String: String] = [:]) { self.id = id; self.options = options }

    /// Parses `id[,key=value...]`; a malformed option is an error naming it.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        id = parts[0].trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { throw CatalogError("the environment id is empty; run `dojo envs` to list them") }
        options = [:]
        for part in parts.dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw CatalogError("option '\(part)' of '\(text)' is not key=value (example: minatar/breakout,sticky=0)")
            }
            guard options[kv[0]] == nil else { throw CatalogError("option '\(kv[0])' is given twice in '\(text)'") }
            options[kv[0]] = kv[1]
        }
    }

    public var description: String {
        ([id] + options.keys.sorted().map { "\($0)=\(options[$0]!)" }).joined(separator: ",")
    }
}

/// One clear sentence about bad input (unknown id, bad option, malformed file).
public struct CatalogError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads typed options out of a spec, remembering which were used so unknown ones are reported.
struct OptionReader {
    let spec: EnvironmentSpec
    private(set) var known: [String] = []

    init(_ spec: EnvironmentSpec) { self.spec = spec }

    mutating func string(_ key: String) -> String? { known.append(key); return spec.options[key] }

    mutating func double(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = string(key) else { return value }
        let parsed: Double?
        if let slash = text.firstIndex(of: "/"), let n = Double(text[..<slash]), let d = Double(text[text.index(after: slash)...]), d != 0 {
            parsed = n / d
        } else {
            parsed = Double(text)
        }
        guard let v = parsed, range.contains(v) else {
            throw CatalogError("option \(key)=\(text) of \(spec.id) must be a number in \(range.lowerBound)…\(range.upperBound)")
        }
        return v
    }

    mutating func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(key) else { return value }
        guard let v = Int(text), range.contains(v) else {
            throw CatalogError("option \(key)=\(text) of \(spec.id) must be an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return v
    }

    mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let text = string(key) else { return value }
        switch text.lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default: throw CatalogError("option \(key)=\(text) of \(spec.id) must be on or off")
        }
    }

    mutating func choice(_ key: String, default value: String, among choices: [String]) throws -> String {
        guard let text = string(key) else { return value }
        guard choices.contains(text) else {
            throw CatalogError("option \(key)=\(text) of \(spec.id) must be one of: \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// Fails on any option no reader asked for.
    func finish() throws {
        let unknown = spec.options.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            let valid = known.isEmpty ? "it takes no options" : "valid options: \(known.joined(separator: ", "))"
            throw CatalogError("unknown option '\(unknown[0])' for \(spec.id); \(valid)")
        }
    }
}
