// Seeded mutations of valid inputs for the fuzz tests (every reader gets a few hundred of
// them): bits flipped, bytes dropped, inserted or set to boundary values, runs duplicated, the
// end cut off. Seeded, so a failing input can be found again.
import Tensors

public struct Mutator {
    public var generator: SeededGenerator

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// Bytes that make readers reach their edge cases.
    static let interesting: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x20, 0x0A, UInt8(ascii: "-"), UInt8(ascii: "9"), UInt8(ascii: "e")]

    public mutating func int(_ bound: Int) -> Int { generator.nextInt(below: max(1, bound)) }

    /// `input` with 1…`edits` random edits.
    public mutating func mutate(_ input: [UInt8], edits: Int = 4) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + int(edits)) {
            guard !bytes.isEmpty else { bytes = [Self.interesting[int(Self.interesting.count)]]; continue }
            let at = int(bytes.count)
            switch int(7) {
            case 0: bytes[at] ^= UInt8(1 << int(8))
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)
            case 3: bytes[at] = Self.interesting[int(Self.interesting.count)]
            case 4:
                let length = min(1 + int(16), bytes.count - at)
                bytes.insert(contentsOf: bytes[at..<(at + length)], at: at)
            case 5: bytes.removeLast(min(bytes.count, 1 + int(32)))
            default:
                let length = min(1 + int(8), bytes.count - at)
                for i in at..<(at + length) { bytes[i] = UInt8(truncatingIfNeeded: generator.next()) }
            }
        }
        return bytes
    }

    /// A text input mutated as bytes, read back as UTF-8 (invalid sequences replaced).
    public mutating func mutate(_ text: String, edits: Int = 4) -> String {
        String(decoding: mutate(Array(text.utf8), edits: edits), as: UTF8.self)
    }

    /// A mutated safetensors file (a checkpoint): on even rounds 2 edits to the JSON header
    /// (metadata: configs, counters, generator states), re-padded with its length fixed so the
    /// edits reach the readers behind the format check; on odd rounds 3 edits anywhere (tensor
    /// data, byte arrays, the length itself).
    public mutating func mutateSafeTensors(_ bytes: [UInt8], round: Int) -> [UInt8] {
        guard round % 2 == 0, bytes.count >= 8 else { return mutate(bytes, edits: 3) }
        let headerEnd = min(bytes.count, 8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16)
        var header = mutate(Array(bytes[8..<headerEnd]), edits: 2)
        while header.count % 8 != 0 { header.append(0x20) }
        return withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header + bytes[headerEnd...]
    }

    /// One of `choices`.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[int(choices.count)] }
}
