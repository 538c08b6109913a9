// A refereed game as an SGF file: PB, PW, RE, KM, RU, DT, the end reason (and the random
// opening, if any) in the root comment, each move's thinking time in its own comment. Written
// atomically, folders created as needed; sgfmill and GNU Go's loadsgf read it (tested).
import Files
import Foundation
import Go
import Tensors

extension RefereedGame {
    public func writeSGF(to path: String, black: String, white: String, rules: String, comment: String) throws {
        var info = SGFGameInfo()
        info.blackPlayer = black
        info.whitePlayer = white
        info.result = result
        info.comments[0] = "\(comment): \(end.rawValue)" + (detail.isEmpty ? "" : ". \(detail)")
            + (openingMoves > 0 ? ". Moves 1–\(openingMoves) are the random opening." : "")
        for (k, t) in seconds.enumerated() where k >= openingMoves {
            info.comments[k + 1] = String(format: "%.2f s", t)
        }
        var tree = SGF.tree(for: game, info: info, date: SGF.today())
        tree.nodes[0].set("RU", [rules])
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try AtomicFile.write(Array(SGF.serialize([tree]).utf8), to: path)
    }
}
