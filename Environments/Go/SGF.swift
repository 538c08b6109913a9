// SGF (FF[4]) as a tree: a collection of games, each a sequence of nodes with variations.
// Parsing is tolerant of what real files contain — whitespace anywhere between tokens,
// lower-case letters in property names (old FF[1–3] files: `AddBlack` reads as `AB`), empty
// values — and strict about structure: a malformed file gets one error naming the byte offset,
// never a crash. Text values are unescaped (`\]`, `\\`, soft line breaks) on reading and
// escaped on writing; the tree is written back with every variation kept.

public struct SGFNode: Equatable, Sendable {
    /// Properties in file order: identifier and its values.
    public var properties: [(id: String, values: [String])]
    /// Byte offset of the node's ';' in the file it came from (for error messages).
    public var offset = 0

    public init(_ properties: [(id: String, values: [String])] = [], offset: Int = 0) {
        self.properties = properties; self.offset = offset
    }

    public static func == (a: SGFNode, b: SGFNode) -> Bool {
        a.properties.count == b.properties.count
            && zip(a.properties, b.properties).allSatisfy { $0.id == $1.id && $0.values == $1.values }
    }

    public subscript(id: String) -> [String]? { properties.first { $0.id == id }?.values }

    public func value(_ id: String) -> String? { self[id]?.first }

    public mutating func set(_ id: String, _ values: [String]) {
        if let i = properties.firstIndex(where: { $0.id == id }) { properties[i].values = values } else { properties.append((id, values)) }
    }
}

/// A sequence of nodes followed by its variations (the first variation is the main line).
public struct SGFTree: Equatable, Sendable {
    public var nodes: [SGFNode]
    public var variations: [SGFTree]
    public init(nodes: [SGFNode], variations: [SGFTree] = []) { self.nodes = nodes; self.variations = variations }

    /// The nodes of the main line: this sequence, then the first variation's, recursively.
    public var mainLine: [SGFNode] { nodes + (variations.first?.mainLine ?? []) }
}

public struct SGFError: Error, CustomStringConvertible, Equatable {
    public let offset: Int, problem: String
    public var description: String { "SGF offset \(offset): \(problem)" }
}

public enum SGF {
    /// Every game tree in a file.
    public static func parse(_ text: String) throws -> [SGFTree] {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.collection()
    }

    /// The file text of a collection.
    public static func serialize(_ trees: [SGFTree]) -> String {
        trees.map { serialize($0) + "\n" }.joined()
    }

    static func serialize(_ tree: SGFTree) -> String {
        var out = "("
        for node in tree.nodes {
            out += ";"
            for (id, values) in node.properties {
                out += id + values.map { "[" + escape($0) + "]" }.joined()
            }
            out += "\n"
        }
        for v in tree.variations { out += serialize(v) }
        return out + ")"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for ch in value {
            if ch == "]" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        }

        func fail(_ problem: String) -> SGFError { SGFError(offset: i, problem: problem) }

        mutating func collection() throws -> [SGFTree] {
            var trees: [SGFTree] = []
            skipSpace()
            // Text before the first '(' (mail headers, BOMs) is skipped, as readers usually do.
            while i < bytes.count, bytes[i] != UInt8(ascii: "(") { i += 1 }
            while i < bytes.count {
                trees.append(try tree(depth: 0))
                skipSpace()
                while i < bytes.count, bytes[i] != UInt8(ascii: "(") {
                    guard bytes[i] < 128, !isLetter(bytes[i]) && bytes[i] != UInt8(ascii: ";") else {
                        throw fail("unexpected '\(Character(UnicodeScalar(bytes[i])))' after a game tree; expected '(' or the end")
                    }
                    i += 1
                }
            }
            guard !trees.isEmpty else { throw fail("no game tree: an SGF file starts with '(;'") }
            return trees
        }

        mutating func tree(depth: Int) throws -> SGFTree {
            guard depth < 10_000 else { throw fail("variations nested more than 10,000 deep") }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "(") else { throw fail("expected '(' to start a game tree") }
            i += 1
            skipSpace()
            var nodes: [SGFNode] = []
            while i < bytes.count, bytes[i] == UInt8(ascii: ";") {
                let start = i
                i += 1
                var n = try node()
                n.offset = start
                nodes.append(n)
                skipSpace()
            }
            guard !nodes.isEmpty else { throw fail("a game tree needs at least one node (';')") }
            var variations: [SGFTree] = []
            while i < bytes.count, bytes[i] == UInt8(ascii: "(") {
                variations.append(try tree(depth: depth + 1))
                skipSpace()
            }
            guard i < bytes.count else { throw fail("the file ends inside a game tree; a ')' is missing") }
            guard bytes[i] == UInt8(ascii: ")") else {
                throw fail("expected ')' , '(' or ';', found '\(Character(UnicodeScalar(bytes[i])))'")
            }
            i += 1
            return SGFTree(nodes: nodes, variations: variations)
        }

        func isLetter(_ b: UInt8) -> Bool { (65...90).contains(b) || (97...122).contains(b) }

        mutating func node() throws -> SGFNode {
            var node = SGFNode()
            skipSpace()
            while i < bytes.count, isLetter(bytes[i]) {
                let start = i
                var id = ""
                while i < bytes.count, isLetter(bytes[i]) {
                    if (65...90).contains(bytes[i]) { id.append(Character(UnicodeScalar(bytes[i]))) }
                    i += 1
                }
                guard !id.isEmpty else { i = start; throw fail("property name without upper-case letters") }
                skipSpace()
                var values: [String] = []
                while i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                    values.append(try value())
                    skipSpace()
                }
                guard !values.isEmpty else { throw fail("property \(id) has no value; write \(id)[...]") }
                if let k = node.properties.firstIndex(where: { $0.id == id }) {
                    node.properties[k].values += values    // repeated property: merge, as lenient readers do
                } else {
                    node.properties.append((id, values))
                }
            }
            return node
        }

        mutating func value() throws -> String {
            let open = i
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "]") { i += 1; return String(decoding: out, as: UTF8.self) }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count else { break }
                    // A soft line break (backslash + newline) disappears.
                    if bytes[i] == 10 || bytes[i] == 13 {
                        let first = bytes[i]
                        i += 1
                        if i < bytes.count, (bytes[i] == 10 || bytes[i] == 13), bytes[i] != first { i += 1 }
                        continue
                    }
                }
                out.append(bytes[i])
                i += 1
            }
            throw SGFError(offset: open, problem: "a value opened with '[' here is never closed with ']'")
        }
    }
}
