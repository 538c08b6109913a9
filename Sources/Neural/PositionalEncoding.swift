// Sinusoidal positional encoding (Vaswani et al. 2017, §3.5): adds to step t's embedding
//   PE[t, 2i] = sin(t / 10000^(2i/E)),  PE[t, 2i+1] = cos(t / 10000^(2i/E))
// so attention, which sees a set, can tell steps apart; fixed, no parameters. Time-major like
// the other sequence layers: input and output [T, B, E]; step t of every sequence gets
// PE[`offset` + t] (an offset continues positions across chunks of one long sequence).
import Foundation
import Tensors

public final class PositionalEncoding: Layer {
    public let embed: Int
    public var isTraining = true
    /// The position of the input's first step.
    public var offset = 0
    private var table = Tensor.empty, output = Tensor.empty

    public init(embed: Int) {
        precondition(embed > 0, "a positional encoding needs a positive width")
        self.embed = embed
    }

    public var parameters: [Parameter] { [] }

    /// PE[position, j].
    public static func value(position: Int, index j: Int, embed: Int) -> Float {
        let frequency = Foundation.pow(10_000, -Double(j - j % 2) / Double(embed))
        let angle = Double(position) * frequency
        return Float(j % 2 == 0 ? Foundation.sin(angle) : Foundation.cos(angle))
    }

    public func forward(_ x: Tensor) -> Tensor {
        expectShape(x.rank == 3 && x.shape[2] == embed, "PositionalEncoding", "expected input [steps, batch, \(embed)], got \(x.shape)")
        let T = x.shape[0], B = x.shape[1], E = embed
        // The table is recomputed only when the positions change.
        if table.shape != [T, E] || tableOffset != offset {
            Tensor.prepare(&table, shape: [T, E])
            let p = table.scratchPointer
            for t in 0..<T { for j in 0..<E { p[t * E + j] = Self.value(position: offset + t, index: j, embed: E) } }
            tableOffset = offset
        }
        Tensor.prepare(&output, shape: x.shape)
        let y = output.scratchPointer
        for t in 0..<T {
            for b in 0..<B { Kernels.add(E, x.pointer + (t * B + b) * E, table.pointer + t * E, y + (t * B + b) * E) }
        }
        return output
    }

    private var tableOffset = 0

    public func backward(_ dy: Tensor) -> Tensor { dy }
}
