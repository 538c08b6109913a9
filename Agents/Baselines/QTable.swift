// A learned Q-table as a checkpoint and as a player: the table's states (observations) and
// values go to a safetensors file as two tensors, `qtable.states` [S, observation] and
// `qtable.values` [S, actions], with the agent kind, environment id and config in the metadata,
// so `dojo eval` and `dojo watch` rebuild the greedy player from the file alone.
import Foundation
import Neural
import RL
import Tensors

public struct QTableError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public struct QTable: Sendable {
    public static let agentKind = "qlearning"
    public let environmentID: String
    public let config: QLearningConfig
    public let observationCount: Int, actionCount: Int
    public let rows: [[Float]: [Double]]

    public init(environmentID: String, config: QLearningConfig, observationCount: Int, actionCount: Int, rows: [[Float]: [Double]]) {
        self.environmentID = environmentID; self.config = config
        self.observationCount = observationCount; self.actionCount = actionCount; self.rows = rows
    }

    /// Writes the table atomically; states in a fixed order so the file is reproducible.
    public func save(to path: String) throws {
        let sorted = rows.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let s = Tensor(shape: [sorted.count, observationCount], values: sorted.flatMap(\.key))
        let v = Tensor(shape: [sorted.count, actionCount], values: sorted.flatMap { $0.value.map(Float.init) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(self.config), as: UTF8.self)
        try Checkpoint.save(to: path, parameters: [Parameter(name: "qtable.states", value: s, isTrainable: false),
                                                   Parameter(name: "qtable.values", value: v, isTrainable: false)],
                            metadata: ["agent": Self.agentKind, "environment": environmentID, "config": config])
    }

    /// The Q-table in `path`, nil when the file is not one (another agent's checkpoint, or not
    /// readable: the caller's own reader then says what is wrong); a damaged Q-table throws.
    public static func loadIfQTable(_ path: String) throws -> QTable? {
        guard let file = try? SafeTensorsFile.read(from: path), file.metadata["agent"] == agentKind else { return nil }
        return try load(file, path: path)
    }

    /// Reads a Q-table checkpoint; errors name the file and the problem.
    public static func load(_ path: String) throws -> QTable {
        try load(try SafeTensorsFile.read(from: path), path: path)
    }

    static func load(_ file: SafeTensorsFile, path: String) throws -> QTable {
        guard file.metadata["agent"] == agentKind, let environmentID = file.metadata["environment"] else {
            throw QTableError("\(path) is not a Q-table (written by dojo train qlearning)")
        }
        let config = (try? JSONDecoder().decode(QLearningConfig.self, from: Data((file.metadata["config"] ?? "").utf8))) ?? QLearningConfig()
        let tensors = Dictionary(file.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        guard let s = tensors["qtable.states"], let v = tensors["qtable.values"], s.shape.count == 2, v.shape.count == 2,
              s.shape[0] == v.shape[0], v.shape[1] >= 1 else {
            throw QTableError("\(path): the Q-table's states and values are missing or of different lengths; the file is damaged")
        }
        let count = s.shape[0], width = s.shape[1], actions = v.shape[1]
        let states = s.withUnsafeBufferPointer { Array($0) }, values = v.withUnsafeBufferPointer { Array($0) }
        guard values.allSatisfy(\.isFinite) else { throw QTableError("\(path): the Q-table holds values that are not numbers; the file is damaged") }
        var rows: [[Float]: [Double]] = [:]
        for i in 0..<count {
            rows[Array(states[(i * width)..<((i + 1) * width)])] = values[(i * actions)..<((i + 1) * actions)].map(Double.init)
        }
        return QTable(environmentID: environmentID, config: config, observationCount: width, actionCount: actions, rows: rows)
    }

    /// The greedy player of this table for an environment of the same shapes.
    public func policy(for env: some Environment) throws -> QTablePolicy {
        guard env.observationShape.count == observationCount, env.actionCount == actionCount else {
            throw QTableError("this Q-table was learned on \(environmentID) (\(observationCount) observation values, \(actionCount) actions); the environment has \(env.observationShape.count) and \(env.actionCount)")
        }
        return QTablePolicy(rows: rows, actionCount: actionCount)
    }
}

/// Greedy over the legal actions (ties to the lowest id; unseen states value every action 0).
public struct QTablePolicy: Policy {
    let rows: [[Float]: [Double]]
    let actionCount: Int

    public mutating func act(on env: some Environment) -> Int {
        let q = rows[env.observation()] ?? [Double](repeating: 0, count: actionCount)
        let legal = env.everyActionAlwaysLegal ? Array(0..<env.actionCount) : env.legalActions
        // A game that is not over always has a legal action; 0 only keeps a broken one from trapping.
        return legal.max { q[$0] < q[$1] || (q[$0] == q[$1] && $0 > $1) } ?? 0
    }
}
