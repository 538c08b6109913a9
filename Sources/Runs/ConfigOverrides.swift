// Agent configs are Codable structs; presets are overridden by a JSON file and by
// `--set key=value` pairs. Unknown keys and wrong types are errors that name the key.
import Foundation
import RL

public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum ConfigOverrides {
    /// Every key of a config type, sorted (for messages and help).
    public static func keys<C: Codable>(of config: C) -> [String] { object(of: config).keys.sorted() }

    /// The keys whose values differ between two configs of one type.
    public static func differingKeys<C: Codable>(_ a: C, _ b: C) -> Set<String> {
        let x = object(of: a), y = object(of: b)
        return Set(x.keys).union(y.keys).filter { key in
            guard let u = x[key], let v = y[key] else { return true }
            return text(of: u) != text(of: v)
        }
    }

    /// "key=default" for every key, sorted (help texts: the defaults also show each key's type).
    public static func defaults<C: Codable>(of config: C) -> String {
        object(of: config).sorted { $0.key < $1.key }.map { "\($0.key)=\(text(of: $0.value))" }.joined(separator: ", ")
    }

    /// The names each choice key of a config may take (ConfigChoice.swift).
    static func choiceNames<C: Codable>(of config: C) -> [String: [String]] {
        var names: [String: [String]] = [:]
        for child in Mirror(reflecting: config).children {
            if let key = child.label, let choice = child.value as? any NamedChoices { names[key] = type(of: choice).choiceNames }
        }
        return names
    }

    /// Every key of a config with its type and default, keys sorted (a command's --help).
    public static func describedKeys<C: Codable>(of config: C) -> [(key: String, type: String, value: String)] {
        let coded = object(of: config)
        return Mirror(reflecting: config).children.compactMap { child -> (key: String, type: String, value: String)? in
            guard let key = child.label, let value = coded[key] else { return nil }
            var type = "\(Swift.type(of: child.value))"
            if let choice = child.value as? any NamedChoices { type = Swift.type(of: choice).choiceNames.joined(separator: "|") }
            if type.hasPrefix("Optional<") { type = String(type.dropFirst(9).dropLast()) + ", optional" }
            return (key, type, value is NSNull ? "none" : text(of: value))
        }.sorted { $0.key < $1.key }
    }

    /// Pretty JSON, keys sorted (config.json and the config printed at the start of a run).
    public static func prettyJSON<C: Encodable>(_ config: C) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(config)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A config as the JSON object its keys make (empty if it cannot be encoded).
    static func object<C: Codable>(of config: C) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: JSONEncoder().encode(config))) as? [String: Any]) ?? [:]
    }

    /// One JSON value as compact text, keys sorted ("0.5", "true", "\"adam\"", "[1,2]").
    public static func text(of value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .fragmentsAllowed]) else { return "?" }
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())   // without the array's brackets
    }

    public static func apply<C: Codable>(_ overrides: [String: Any], to config: C, source: String) throws -> C {
        var base = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        let known = Set(base.keys)
        let choices = choiceNames(of: config)
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard known.contains(key) else {
                throw ConfigError("unknown key '\(key)' in \(source)\(Suggestion.phrase(for: key, among: keys(of: config))); known keys: \(keys(of: config).joined(separator: ", "))")
            }
            if let names = choices[key] { try ConfigCheck().choice(key, value as? String ?? "\(value)", names) }
            base[key] = value
        }
        guard JSONSerialization.isValidJSONObject(base), let merged = try? JSONSerialization.data(withJSONObject: base) else {
            throw ConfigError("a value in \(source) is not a JSON value a config can hold (numbers must be finite)")
        }
        do {
            return try JSONDecoder().decode(C.self, from: merged)
        } catch let error as DecodingError {
            var key = "?"
            switch error {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): key = c.codingPath.map(\.stringValue).joined(separator: ".")
            case .keyNotFound(let k, _): key = k.stringValue
            @unknown default: break
            }
            throw ConfigError("key '\(key)' in \(source) has the wrong type (`dojo train <agent> --help` lists each key's type and default)")
        }
    }

    /// A config stored by an older build: keys it lacks take `defaults`' values (the build that
    /// wrote it had no such key, so it ran with what is now the default). Nil when `json` is not
    /// a JSON object or a key has the wrong type.
    public static func decodeStored<C: Codable>(_ json: String, defaults: C, adjusting: ((inout [String: Any]) throws -> Void)? = nil) throws -> C? {
        guard var stored = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return nil }
        try adjusting?(&stored)
        let merged = object(of: defaults).merging(stored) { $1 }
        guard JSONSerialization.isValidJSONObject(merged), let data = try? JSONSerialization.data(withJSONObject: merged) else { return nil }
        return try? JSONDecoder().decode(C.self, from: data)
    }

    public static func apply<C: Codable>(json data: Data, to config: C, source: String) throws -> C {
        guard let object = try? JSONSerialization.jsonObject(with: data), let overrides = object as? [String: Any] else {
            throw ConfigError("\(source) is not a JSON object of config keys (for example {\"frames\": 100000})")
        }
        return try apply(overrides, to: config, source: source)
    }

    /// `key=value` strings: booleans, integers and numbers are typed, anything else is a string.
    public static func apply<C: Codable>(settings: [String], to config: C) throws -> C {
        var overrides: [String: Any] = [:]
        for s in settings {
            let kv = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw ConfigError("--set \(s) is not key=value") }
            if let b = Bool(kv[1]) { overrides[kv[0]] = b } else if let i = Int(kv[1]) { overrides[kv[0]] = i }
            else if let d = Double(kv[1]) {
                guard d.isFinite else { throw ConfigError("--set \(s): \(kv[1]) is not a finite number") }
                overrides[kv[0]] = d
            } else { overrides[kv[0]] = kv[1] }
        }
        return try apply(overrides, to: config, source: "--set")
    }
}
