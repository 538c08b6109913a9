// Agent configs are Codable structs; presets are overridden by a JSON file and by
// `--set key=value` pairs. Unknown keys and wrong types are errors that name the key.
import Foundation

public struct ConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum ConfigOverrides {
    /// Every key of a config type, sorted (for messages and help).
    public static func keys<C: Codable>(of config: C) -> [String] {
        ((try? JSONSerialization.jsonObject(with: JSONEncoder().encode(config))) as? [String: Any])?.keys.sorted() ?? []
    }

    /// The keys whose values differ between two configs of one type.
    public static func differingKeys<C: Codable>(_ a: C, _ b: C) -> Set<String> {
        func object(_ c: C) -> [String: Any] {
            ((try? JSONSerialization.jsonObject(with: JSONEncoder().encode(c))) as? [String: Any]) ?? [:]
        }
        let x = object(a), y = object(b)
        func text(_ value: Any?) -> Data? {
            value.flatMap { try? JSONSerialization.data(withJSONObject: ["v": $0], options: .sortedKeys) }
        }
        return Set(x.keys).union(y.keys).filter { text(x[$0]) != text(y[$0]) || text(x[$0]) == nil }
    }

    /// "key=default" for every key, sorted (help texts: the defaults also show each key's type).
    public static func defaults<C: Codable>(of config: C) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(config))) as? [String: Any] else { return "" }
        return object.keys.sorted().map { key in
            let value = (try? JSONSerialization.data(withJSONObject: [object[key]!], options: [.fragmentsAllowed]))
                .map { String(String(decoding: $0, as: UTF8.self).dropFirst().dropLast()) } ?? "?"
            return "\(key)=\(value)"
        }.joined(separator: ", ")
    }

    public static func apply<C: Codable>(_ overrides: [String: Any], to config: C, source: String) throws -> C {
        var base = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        let known = Set(base.keys)
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard known.contains(key) else {
                throw ConfigError("unknown key '\(key)' in \(source)\(Suggestion.phrase(for: key, among: keys(of: config))); known keys: \(keys(of: config).joined(separator: ", "))")
            }
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
            throw ConfigError("key '\(key)' in \(source) has the wrong type (see `dojo train --help` for the defaults)")
        }
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
