// Networks loaded from files once per thread and file: a tournament builds a player for every
// game, and a network's layers keep scratch buffers, so threads must not share one. One cache
// per kind of network, each typed by what it holds; entries live as long as the process.
import AlphaGo
import AlphaZero
import Foundation
import MCTS

final class NetworkCache<Value>: @unchecked Sendable {   // every access holds `lock`
    private var entries: [String: Value] = [:]
    private let lock = NSLock()

    /// The value for `path` on this thread, loaded by `load` the first time.
    func value(for path: String, load: () throws -> Value) throws -> Value {
        let key = "\(path)#\(pthread_self())"
        return try lock.withLock {
            if let cached = entries[key] { return cached }
            let loaded = try load()
            entries[key] = loaded
            return loaded
        }
    }
}

/// The catalog's caches, one per kind of network file.
enum NetworkCaches {
    static let leelaZero = NetworkCache<NetworkEvaluator>()
    static let alphaZero = NetworkCache<(config: AlphaZeroConfig, evaluator: NetworkEvaluator)>()
    static let alphaGoPolicy = NetworkCache<PolicyNetwork>()
    static let alphaGoValue = NetworkCache<ValueNetwork>()
}
