// What an AlphaZero learner and its actors say to each other in a distributed job (issue 22 §3),
// as tagged byte messages; the transport (MPI) is the caller's. Little-endian 64-bit numbers,
// then bytes that are already files: a published network (safetensors) and a self-play record
// (DOJOAZ04, CRC-checked), so what travels is exactly what the run folder keeps.
//
//   learner → actor   start(nextGame, seed)    the number of the actor's first game, the run's seed
//                     network(version, bytes)  a newer published network
//                     stop                     finish: send what is finished, then done
//   actor → learner   game(number, record)     one finished game
//                     done(games)              nothing more will come from this actor
//
// Between two ranks messages arrive in the order they were sent, so an actor that reads its
// learner's messages in order sees every network before the stop.
import Foundation

public enum ActorMessage: Equatable, Sendable {
    case start(nextGame: Int, seed: UInt64)
    case network(version: Int, checkpoint: [UInt8])
    case stop
    case game(number: Int, record: [UInt8])
    case done(games: Int)

    /// The tag the transport carries (so a receiver can ask for one kind).
    public var tag: Int32 {
        switch self {
        case .start: 1
        case .network: 2
        case .stop: 3
        case .game: 4
        case .done: 5
        }
    }

    /// Game numbers and versions a message may carry (file names hold six digits).
    public static let largestNumber = 999_999

    public func encoded() -> [UInt8] {
        switch self {
        case .start(let next, let seed): Self.number(next) + Self.word(seed)
        case .network(let version, let checkpoint): Self.number(version) + checkpoint
        case .stop: []
        case .game(let number, let record): Self.number(number) + record
        case .done(let games): Self.number(games)
        }
    }

    /// The message a peer sent; one sentence naming `sender` when the bytes do not make one.
    public static func decode(tag: Int32, bytes: [UInt8], sender: String) throws -> ActorMessage {
        func leading() throws -> Int {
            guard bytes.count >= 8 else { throw AlphaZeroError("\(sender) sent a message (tag \(tag)) of \(bytes.count) bytes, too short for its number; the job cannot trust it") }
            let value = word(bytes[0..<8])
            guard value <= UInt64(largestNumber) else { throw AlphaZeroError("\(sender) sent the number \(value) (tag \(tag)), beyond \(largestNumber); the job cannot trust it") }
            return Int(value)
        }
        switch tag {
        case 1 where bytes.count == 16: return .start(nextGame: try leading(), seed: word(bytes[8..<16]))
        case 2: return .network(version: try leading(), checkpoint: Array(bytes.dropFirst(8)))
        case 3 where bytes.isEmpty: return .stop
        case 4: return .game(number: try leading(), record: Array(bytes.dropFirst(8)))
        case 5 where bytes.count == 8: return .done(games: try leading())
        case 1...5: throw AlphaZeroError("\(sender) sent a message of tag \(tag) with \(bytes.count) bytes, the wrong length for its kind; the job cannot trust it")
        default: throw AlphaZeroError("\(sender) sent a message of unknown tag \(tag); are all ranks the same dojo build?")
        }
    }

    private static func number(_ value: Int) -> [UInt8] { word(UInt64(value)) }

    private static func word(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    private static func word(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
}
