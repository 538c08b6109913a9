// Tiny environments for testing the RL floor without depending on any environment family.
import RL
import Tensors

/// A corridor of `length` cells: action 1 moves right, 0 stays; reaching the end pays 1.
/// The observation is one plane with the agent's cell marked and the step count in cell 0.
struct Corridor: Environment {
    var length = 5
    var position = 0
    var steps = 0
    var isOver = false
    var actionCount: Int { 2 }
    var observationShape: ObservationShape { ObservationShape(channels: 1, height: 1, width: length) }
    mutating func reset(seed: UInt64?) { position = 0; steps = 0; isOver = false }
    mutating func step(_ action: Int) -> StepResult {
        steps += 1
        position = min(length - 1, position + action)
        isOver = position == length - 1
        return StepResult(reward: isOver ? 1 : 0, terminated: isOver)
    }
    func observe(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer.update(repeating: 0)
        buffer[position] = 1
        buffer[0] += Float(steps) * 10
    }
    var frameSize: FrameSize { FrameSize(width: length, height: 1) }
    func render(into frame: inout Frame) { frame.fill(.black); frame[position, 0] = .white }
}

/// Two players take turns adding 1 or 2 to a counter; whoever reaches `target` wins (+1, −1).
struct Race: Environment {
    var target = 5
    var total = 0
    var player = 0
    var isOver = false
    var playerCount: Int { 2 }
    var currentPlayer: Int { player }
    var actionCount: Int { 2 }       // 0: add 1, 1: add 2
    var observationShape: ObservationShape { ObservationShape(channels: 1, height: 1, width: 1) }
    mutating func reset(seed: UInt64?) { total = 0; player = 0; isOver = false }
    mutating func step(_ action: Int) -> StepResult {
        total += action + 1
        if total >= target {
            isOver = true
            var r = SIMD2<Float>(repeating: -1)
            r[player] = 1
            return StepResult(rewards: r, terminated: true)
        }
        player = 1 - player
        return StepResult()
    }
    func observe(into buffer: UnsafeMutableBufferPointer<Float>) { buffer[0] = Float(total) }
    var frameSize: FrameSize { FrameSize(width: 1, height: 1) }
    func render(into frame: inout Frame) { frame[0, 0] = RGB(UInt8(total * 40), 0, 0) }
}

/// Always chooses the same action.
struct Constant: Policy, Sendable {
    let action: Int
    mutating func act(on env: some Environment) -> Int { action }
}
