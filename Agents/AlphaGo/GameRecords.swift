// Expert moves from SGF game records: every (position, move) pair of every game's main line,
// the position as AlphaGo's 48 packed planes for the player to move. Passes are left out (the
// policy network has no pass output), and so are the random opening moves of games written by
// `dojo selfplay-gtp` or `dojo tournament --random-opening-moves` (their root comment says
// "Moves 1–N are the random opening": those moves are noise, not the expert's). Games are
// split into training and held-out sets by game, not by position, because the moves of one
// game are correlated.
import Dispatch
import Files
import Foundation
import Go
import Tensors

public struct MoveExample: Sendable {
    public let planes: PackedPlanes
    /// The expert's point (row·N + col).
    public let move: Int
}

public struct GameRecords: Sendable {
    public var training: [MoveExample] = []
    public var heldOut: [MoveExample] = []
    public var trainingGames = 0, heldOutGames = 0
    /// Files not used, with the reason (another board size, not a Go record, …).
    public var skipped: [(file: String, reason: String)] = []

    public init() {}

    /// Every `.sgf` file under `directory` (recursively) for an N×N board; a `heldOutFraction`
    /// of the games, chosen by `seed`, goes to the held-out set.
    public static func load(directory: String, boardSize n: Int, heldOutFraction: Double, seed: UInt64) throws -> GameRecords {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AlphaGoError("\(directory) is not a folder; give a folder of .sgf game records (e.g. one written by dojo selfplay-gtp)")
        }
        let files = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".sgf") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
        guard !files.isEmpty else { throw AlphaGoError("\(directory) holds no .sgf files") }
        // Features are the slow part (a board copy and a ladder read per legal point): files are
        // read in parallel into their own slots, so the result does not depend on the threads.
        let results = UnsafeMutableBufferPointer<Result<[MoveExample], AlphaGoError>?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results   // each iteration writes its own slot
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            slots[i] = Result { try examples(file: files[i], boardSize: n) }.mapError { $0 as? AlphaGoError ?? AlphaGoError("\($0)") }
        }
        var games: [[MoveExample]] = []
        var records = GameRecords()
        for (file, result) in zip(files, results) {
            switch result! {
            case .success(let examples): games.append(examples)
            case .failure(let e): records.skipped.append((file, e.description))
            }
        }
        guard !games.isEmpty else {
            throw AlphaGoError("none of the \(files.count) SGF files in \(directory) is a usable \(n)×\(n) game; first: \(records.skipped[0].file): \(records.skipped[0].reason)")
        }
        var generator = SeededGenerator(seed: seed)
        var order = Array(games.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.nextInt(below: i + 1)) }
        let heldOutCount = games.count > 1 ? Int((Double(games.count) * heldOutFraction).rounded()) : 0
        for (rank, g) in order.enumerated() {
            if rank < heldOutCount { records.heldOut += games[g]; records.heldOutGames += 1 } else { records.training += games[g]; records.trainingGames += 1 }
        }
        return records
    }

    /// N when a root comment says "Moves 1–N are the random opening" (Dojo's SGF files), else 0.
    static func randomOpeningMoves(_ comment: String) -> Int {
        guard let range = comment.range(of: "Moves 1–") else { return 0 }
        let digits = comment[range.upperBound...].prefix { $0.isNumber }
        guard comment[range.upperBound...].dropFirst(digits.count).hasPrefix(" are the random opening") else { return 0 }
        return Int(digits) ?? 0
    }

    /// The examples of one file (its first game tree).
    static func examples(file: String, boardSize n: Int) throws -> [MoveExample] {
        guard let data = try? Data(BoundedFile.read(file, limit: BoundedFile.textLimit)) else { throw AlphaGoError("cannot read the file") }
        let text = String(decoding: data, as: UTF8.self)
        do {
            guard let tree = try SGF.parse(text).first else { throw AlphaGoError("no game tree") }
            var out: [MoveExample] = []
            var wrongSize: Int?
            let random = randomOpeningMoves(tree.nodes.first?.value("C") ?? "")
            var index = 0
            _ = try SGF.game(from: tree) { game, action in
                index += 1
                guard game.size == n else { wrongSize = game.size; return }
                guard action != game.passAction, index > random else { return }
                out.append(MoveExample(planes: PackedPlanes(game.alphaGoFeatures(), planes: GoGame.alphaGoPolicyPlanes, size: n), move: action))
            }
            if let wrongSize { throw AlphaGoError("a \(wrongSize)×\(wrongSize) game, not \(n)×\(n)") }
            return out
        } catch let e as SGFError {
            throw AlphaGoError(e.description)
        }
    }
}
