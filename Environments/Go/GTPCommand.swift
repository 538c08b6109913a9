// GTP version 2 command lines (Farnebäck's specification): the parser only, kept apart from the
// handlers (GTPSession.swift). Preprocessing as the spec asks: control characters other than
// tab and newline are dropped, tabs become spaces, `#` starts a comment, and empty lines are
// ignored. An optional leading integer is the command id, echoed in the response.

public struct GTPCommand: Equatable, Sendable {
    public var id: Int?
    /// Lower-cased command name (input is case-insensitive).
    public var name: String
    public var arguments: [String]

    /// Parses one line; nil for lines that carry no command (empty or comment only).
    public init?(line: String) {
        var cleaned = ""
        for scalar in line.unicodeScalars {
            if scalar == "#" { break }
            if scalar == "\t" { cleaned.append(" ") } else if scalar.value >= 32 && scalar.value != 127 { cleaned.unicodeScalars.append(scalar) }
        }
        var words = cleaned.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        if let n = Int(words[0]), n >= 0 {
            id = n
            words.removeFirst()
        }
        guard !words.isEmpty else {
            name = ""
            arguments = []
            return
        }
        name = words[0].lowercased()
        arguments = Array(words.dropFirst())
    }

    /// A success response: "=id text" and the blank line that ends it.
    public func success(_ text: String = "") -> String {
        "=" + (id.map(String.init) ?? "") + (text.isEmpty ? "" : " " + text) + "\n\n"
    }

    /// A failure response: "?id message".
    public func failure(_ message: String) -> String {
        "?" + (id.map(String.init) ?? "") + " " + message + "\n\n"
    }
}
