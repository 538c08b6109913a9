// Tournament players by spec (`dojo tournament --player NAME=SPEC`): any agent the CLI knows
// (random, mcts:options, a DQN checkpoint `checkpoint:PATH` or `PATH.safetensors`) and outside
// GTP engines (`gtp:<command line>`, split like a shell would, without running one). The name
// is optional: `--player random` is named "random".
import Arena
import Foundation
import Go
import RL

public enum PlayerCatalog {
    /// "name=spec" or a bare spec. The first '=' separates a name only when what precedes it
    /// looks like a name (no ':' and no space), so `mcts:seconds=1` is a bare spec.
    public static func entry(_ argument: String) throws -> PlayerEntry {
        var name = argument, spec = argument
        if let eq = argument.firstIndex(of: "="), !argument[..<eq].contains(":"), !argument[..<eq].contains(" ") {
            name = String(argument[..<eq])
            spec = String(argument[argument.index(after: eq)...])
        }
        guard !name.isEmpty, !spec.isEmpty else { throw CatalogError("--player '\(argument)' needs a spec, like random, mcts:seconds=0.5 or \"gtp:gnugo --mode gtp\"") }
        var hashes: [String] = []
        for path in hashedFiles(spec) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CatalogError("player '\(name)': no checkpoint file at '\(path)'")
            }
            hashes.append(fnv1a64(data))
        }
        return PlayerEntry(name: name, spec: spec, checkpointHash: hashes.isEmpty ? nil : hashes.joined(separator: "+"))
    }

    /// Network players whose options name checkpoint files (`key=FILE`).
    static let networkPlayers = ["alphazero:", "alphago:", "policy:"]

    static func checkpointPath(_ spec: String) -> String? {
        if spec.hasPrefix("checkpoint:") { return String(spec.dropFirst("checkpoint:".count)) }
        return spec.hasSuffix(".safetensors") && !networkPlayers.contains(where: spec.hasPrefix) ? spec : nil
    }

    /// The checkpoint files a spec names (DQN, AlphaZero or AlphaGo), for their content hashes.
    static func hashedFiles(_ spec: String) -> [String] {
        if spec.hasPrefix("az:"), let expanded = try? BundledNetworks.expand(spec) { return hashedFiles(expanded) }
        if networkPlayers.contains(where: spec.hasPrefix) {
            return spec.split(separator: ",").compactMap { part in
                let kv = part.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, ["checkpoint", "policy", "value"].contains(where: { kv[0].hasSuffix($0) }) else { return nil }
                return String(kv[1])
            }
        }
        return checkpointPath(spec).map { [$0] } ?? []
    }

    /// Player `entry`'s seat at a Go tournament's worker: its spec is checked here, once, so a
    /// typo fails before any game starts. An outside engine is one process per worker, its
    /// standard error in `stderrDirectory` when given.
    public static func goSeat(_ entry: PlayerEntry, boardSize: Int, stderrDirectory: String? = nil, worker: Int = 0) throws -> Seat {
        if entry.spec.hasPrefix("gtp:") {
            let log = stderrDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent("\(entry.name)-\(worker).stderr").path }
            let engine = try GoPlayerCatalog.engine(entry.spec, name: entry.name, stderrPath: log)
            engine.announcesFaults = false
            return { _ in engine }
        }
        let game = GoGame(size: boardSize)
        _ = try player(entry, seed: 0, for: game)
        return { seed in try player(entry, seed: seed, for: game) }
    }

    /// Player `entry` for `env`, in the grammar every command shares (AgentCatalog.make).
    public static func player(_ entry: PlayerEntry, seed: UInt64, for env: any Environment) throws -> any Player {
        do { return try AgentCatalog.make(entry.spec, seed: seed, for: env) } catch {
            throw CatalogError("player '\(entry.name)': \(error)")
        }
    }

    /// Splits a command line into words like a POSIX shell: spaces separate, single and double
    /// quotes group, a backslash escapes the next character. Nothing is expanded or run.
    public static func splitCommandLine(_ line: String) throws -> [String] {
        var words: [String] = [], word = "", inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped { word.append(c); escaped = false; inWord = true; continue }
            if c == "\\" && quote != "'" { escaped = true; continue }
            if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
                continue
            }
            if c == "'" || c == "\"" { quote = c; inWord = true; continue }
            if c == " " || c == "\t" {
                if inWord { words.append(word); word = ""; inWord = false }
                continue
            }
            word.append(c)
            inWord = true
        }
        guard quote == nil, !escaped else { throw CatalogError("unbalanced quote or trailing backslash in command line: \(line)") }
        if inWord { words.append(word) }
        return words
    }

    /// FNV-1a 64-bit hash of a file's bytes, as 16 hex digits (identifies a checkpoint file).
    public static func fnv1a64(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", h)
    }
}
