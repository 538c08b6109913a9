// Config keys that take one of a few names (an optimizer, a schedule) are enums of this kind:
// the name is what config.json and checkpoints store, `--set key=name` and --config files are
// checked against the cases before anything is decoded (one sentence listing them), and
// `dojo train <agent> --help` lists them as the key's type.

/// What ConfigOverrides asks of a choice without knowing its type.
public protocol NamedChoices {
    static var choiceNames: [String] { get }
}

public protocol ConfigChoice: RawRepresentable, Codable, CaseIterable, Sendable, NamedChoices where RawValue == String {}

extension ConfigChoice {
    public static var choiceNames: [String] { allCases.map(\.rawValue) }
}

extension ConfigCheck {
    /// "a, b or c".
    static func listed(_ choices: [String]) -> String {
        choices.count <= 1 ? choices.joined() : choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
    }
}
