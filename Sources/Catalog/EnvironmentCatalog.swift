// The registry of environments: ids → constructors (DESIGN.md §1). Environments and agents
// never know about each other; only this floor and the CLI see both. Adding an environment is
// one entry here, and the shared conformance suite (Tests/CatalogTests) then runs on it.
import MinAtar
import RL

public struct EnvironmentEntry: Sendable {
    /// The id users type (`minatar/breakout`); `idPattern` for parametrised families.
    public let id: String
    public let summary: String
    /// Options the id accepts, for `dojo envs` (e.g. "sticky=0.1 ramping=on actions=full").
    public let optionsHelp: String
    let make: @Sendable (EnvironmentSpec) throws -> any Environment
}

public enum EnvironmentCatalog {
    public static let entries: [EnvironmentEntry] = minAtarEntries

    /// Builds the environment a spec names; unknown ids and bad options are one-sentence errors.
    public static func make(_ spec: EnvironmentSpec) throws -> any Environment {
        guard let entry = entries.first(where: { $0.id == spec.id }) else {
            throw CatalogError("unknown environment '\(spec.id)'; run `dojo envs` to list them (for example: \(entries.prefix(3).map(\.id).joined(separator: ", ")))")
        }
        return try entry.make(spec)
    }

    public static func make(_ text: String) throws -> any Environment {
        try make(EnvironmentSpec(parsing: text))
    }

    // MARK: MinAtar

    static let minAtarOptionsHelp = "sticky=0.1 ramping=on actions=full|minimal"

    static func minAtarEntry<Game: MinAtarGame>(_ game: Game.Type) -> EnvironmentEntry {
        EnvironmentEntry(id: "minatar/\(Game.name)", summary: Game.summary, optionsHelp: minAtarOptionsHelp) { spec in
            var reader = OptionReader(spec)
            let options = MinAtarOptions(
                stickyActionProbability: try reader.double("sticky", default: 0.1, in: 0...1),
                ramping: try reader.bool("ramping", default: true),
                minimalActions: try reader.choice("actions", default: "full", among: ["full", "minimal"]) == "minimal")
            try reader.finish()
            return Game(options: options)
        }
    }

    static let minAtarEntries = [
        minAtarEntry(Breakout.self), minAtarEntry(SpaceInvaders.self), minAtarEntry(Freeway.self),
        minAtarEntry(Asterix.self), minAtarEntry(Seaquest.self),
    ]
}

extension EnvironmentCatalog {
    /// Option variants the conformance suite also runs (behaviour-changing options).
    public static let conformanceVariants = [
        "minatar/seaquest,sticky=0,ramping=off", "minatar/breakout,actions=minimal",
    ]
}
