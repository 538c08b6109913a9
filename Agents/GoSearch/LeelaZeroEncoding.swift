// Leela Zero's 18 input planes and point order (Environments/Go/LeelaZeroFeatures.swift) as a
// network's input encoding, for networks imported from Leela Zero weight files
// (LeelaZeroNetwork.swift). The encoder takes Go positions of its board size only; the
// evaluator checks `accepts` before it encodes.
import Go
import MCTS
import Neural
import RL

public struct LeelaZeroEncoding: InputEncoding {
    public let boardSize: Int
    public let observationShape: ObservationShape
    public let actionCount: Int
    public let networkIndex: [Int]

    public init(boardSize n: Int) {
        boardSize = n
        observationShape = ObservationShape(channels: GoGame.leelaZeroPlanes, height: n, width: n)
        actionCount = n * n + 1
        let board = GoGame(size: n)
        networkIndex = (0..<actionCount).map(board.leelaZeroIndex)
    }

    public func accepts(_ env: some Environment) -> Bool { (env as? GoGame)?.size == boardSize }

    public func encode<E: Environment>(_ state: E, into planes: UnsafeMutableBufferPointer<Float>) {
        guard let game = state as? GoGame else { preconditionFailure("Leela Zero planes are for Go positions (the evaluator checks accepts(_:) first)") }
        game.leelaZeroPlanes(into: planes)
    }
}

extension NetworkEvaluator {
    /// A network over Leela Zero's planes for N×N boards.
    public static func leelaZero(_ network: TwoHeadNetwork, boardSize: Int) -> NetworkEvaluator {
        NetworkEvaluator(network: network, encoding: LeelaZeroEncoding(boardSize: boardSize))
    }

    /// A Leela Zero weights file (19×19).
    public static func leelaZero(file path: String) throws -> NetworkEvaluator {
        leelaZero(try LeelaZeroNetwork(path: path).network, boardSize: LeelaZeroNetwork.board)
    }
}
