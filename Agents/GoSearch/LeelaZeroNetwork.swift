// Leela Zero network files (the v1 text weight format, optionally gzipped) loaded into the
// AlphaGo Zero-shaped `TwoHeadNetwork`, so networks people already have play in Dojo.
// Format facts (Leela Zero README "Weights format"; `../shared/reference/go/RESULTS.md` §2e):
// - line 1: version, 1 (value for the side to move) or 2 (same layout, value for Black);
// - each convolution: 4 lines — weights [out][in][kh][kw], biases, batch-norm means,
//   batch-norm variances; batch norm is (x − mean)/√(var + 1e-5) with no scale or shift, and a
//   conv bias b is the same as a mean lowered by b;
// - input conv 18 planes → F (3×3), then per residual block two F → F 3×3 convs;
// - 14 tail lines: policy 1×1 conv F → 2 (4 lines), FC 362 × 722 (weights, biases); value 1×1
//   conv F → 1 (4 lines), FC 256 × 361, FC 1 × 256, then tanh;
// - blocks = (lines − 1 − 4 − 14) / 8, F = length of line 3; the FC sizes fix 19×19.
// The input planes and point order are Leela Zero's (see LeelaZeroFeatures in the Go module).
import CZlib
import Neural
import Foundation
import Tensors

public struct LeelaZeroNetworkError: Error, CustomStringConvertible {
    public let description: String
    init(_ path: String, _ problem: String) {
        description = "\(path): \(problem) (expected a Leela Zero v1 weights file, plain text or gzipped)"
    }
}

public struct LeelaZeroNetwork {
    public static let board = 19, planes = 18
    /// Bounds on what a file may declare (Leela Zero's largest networks: 40 blocks of 256).
    public static let maxBlocks = 128, maxFilters = 1_024
    /// Decompressed text at most this many times the file's size (text weights compress about
    /// 3:1; a "gzip bomb" far more), and never past `maxTextBytes`.
    static let maxInflation = 50, maxTextBytes = 1 << 30
    public let network: TwoHeadNetwork
    public let blocks: Int, filters: Int
    /// 1: the value is for the side to move; 2: for Black (ELF's networks).
    public let version: Int

    public init(path: String) throws {
        let text = try Self.readText(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, let version = Int(first), version == 1 || version == 2 else {
            throw LeelaZeroNetworkError(path, "the first line must be the format version 1 or 2, found '\(lines.first?.prefix(20) ?? "")'")
        }
        let bodyLines = lines.count - 1 - 4 - 14
        guard bodyLines >= 0, bodyLines % 8 == 0 else {
            throw LeelaZeroNetworkError(path, "\(lines.count) lines do not make 1 + 4 + 8·blocks + 14")
        }
        let blocks = bodyLines / 8
        let filters = lines[2].split(separator: " ").count
        guard filters > 0 else { throw LeelaZeroNetworkError(path, "line 3 (the input convolution's biases) is empty") }
        // Sizes come from the file: bound them, and check the file holds that many numbers (at
        // least two characters each) before allocating a network of that size.
        guard filters <= Self.maxFilters, blocks <= Self.maxBlocks else {
            throw LeelaZeroNetworkError(path, "\(blocks) blocks of \(filters) filters is beyond any Leela Zero network (at most \(Self.maxBlocks) blocks of \(Self.maxFilters))")
        }
        let weights = (Self.planes + 2 * blocks * filters) * filters * 9
        guard text.utf8.count >= 2 * weights else {
            throw LeelaZeroNetworkError(path, "\(text.utf8.count) characters cannot hold the \(weights) convolution weights of \(blocks) blocks of \(filters) filters")
        }
        var generator = SeededGenerator(seed: 0)
        let net = TwoHeadNetwork.alphaGoZero(board: Self.board, planes: Self.planes, filters: filters, blocks: blocks,
                                             valueHidden: 256, generator: &generator)
        net.isTraining = false
        // Parameters in network order: every conv is followed by its batch norm
        // (weight, bias, running mean, running variance); dense layers are weight, bias.
        var parameters = net.parameters[...]
        var lineIndex = 1
        func numbers(count: Int, what: String) throws -> [Float] {
            guard lineIndex < lines.count else { throw LeelaZeroNetworkError(path, "the file ends before \(what)") }
            let values = lines[lineIndex].split(separator: " ").compactMap { Float($0) }
            guard values.count == count else {
                throw LeelaZeroNetworkError(path, "line \(lineIndex + 1) (\(what)) has \(values.count) numbers, expected \(count)")
            }
            lineIndex += 1
            return values
        }
        func take(_ values: [Float], what: String) throws {
            guard let p = parameters.popFirst(), p.value.count == values.count else {
                throw LeelaZeroNetworkError(path, "\(what) does not fit the network")
            }
            p.value = Tensor(shape: p.value.shape, values: values)
        }
        func conv(inputs: Int, outputs: Int, kernel: Int, what: String) throws {
            try take(try numbers(count: outputs * inputs * kernel * kernel, what: "\(what) weights"), what: what)
            let biases = try numbers(count: outputs, what: "\(what) biases")
            let means = try numbers(count: outputs, what: "\(what) batch-norm means")
            let variances = try numbers(count: outputs, what: "\(what) batch-norm variances")
            try take([Float](repeating: 1, count: outputs), what: what)            // scale
            try take([Float](repeating: 0, count: outputs), what: what)            // shift
            try take(zip(means, biases).map { $0 - $1 }, what: what)               // mean − bias
            try take(variances, what: what)
        }
        func dense(inputs: Int, outputs: Int, what: String) throws {
            try take(try numbers(count: outputs * inputs, what: "\(what) weights"), what: what)
            try take(try numbers(count: outputs, what: "\(what) biases"), what: what)
        }
        let area = Self.board * Self.board
        try conv(inputs: Self.planes, outputs: filters, kernel: 3, what: "input convolution")
        for b in 0..<blocks {
            try conv(inputs: filters, outputs: filters, kernel: 3, what: "block \(b) first convolution")
            try conv(inputs: filters, outputs: filters, kernel: 3, what: "block \(b) second convolution")
        }
        try conv(inputs: filters, outputs: 2, kernel: 1, what: "policy convolution")
        try dense(inputs: 2 * area, outputs: area + 1, what: "policy FC")
        try conv(inputs: filters, outputs: 1, kernel: 1, what: "value convolution")
        try dense(inputs: area, outputs: 256, what: "value FC1")
        try dense(inputs: 256, outputs: 1, what: "value FC2")
        precondition(parameters.isEmpty && lineIndex == lines.count, "Leela Zero layout and network disagree")
        net.foldBatchNorm()
        self.network = net
        self.blocks = blocks
        self.filters = filters
        self.version = version
    }

    /// The whole file as text, decompressed when gzipped (zlib reads plain files unchanged).
    static func readText(_ path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw LeelaZeroNetworkError(path, "no readable file here") }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
        let limit = min(maxTextBytes, max(64 << 20, maxInflation * size))
        guard let file = gzopen(path, "rb") else { throw LeelaZeroNetworkError(path, "cannot open") }
        defer { gzclose(file) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw LeelaZeroNetworkError(path, "damaged gzip data") }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<Int(n)])
            guard data.count <= limit else {
                throw LeelaZeroNetworkError(path, "the \(size)-byte file inflates past \(limit >> 20) MB, more than any weights file")
            }
        }
        return String(decoding: data, as: UTF8.self)
    }
}
