// Experience replay (Lin 1992; Mnih et al. 2015): a cyclic buffer of transitions
// (s, a, r, s′, bootstrap discount, legal mask of s′) with uniform sampling without duplicates
// inside a batch (the reference's random.sample).
//
// Storage is compact: binary observations (MinAtar's planes, declared by the environment) are
// packed 8 cells per byte; others are kept as Float32. A transition's `discount` is γⁿ when the
// target bootstraps from s′ and 0 when s′ is terminal — a truncated episode (time limit)
// bootstraps, a terminated one does not. Masks are stored only for environments with illegal
// actions.
import Foundation
import Tensors

public struct ReplayBuffer {
    public let capacity: Int
    public let observationCount: Int
    public let packed: Bool
    public let actionCount: Int
    public let storesMasks: Bool
    private let bytesPerObservation: Int
    private var observations: [UInt8], nextObservations: [UInt8]
    private var floatObservations: [Float], floatNextObservations: [Float]
    private var masks: [Bool]
    public private(set) var actions: [Int32]
    public private(set) var rewards: [Float]
    public private(set) var discounts: [Float]
    /// Transitions stored so far (≤ capacity) and the next slot to write.
    public private(set) var count = 0
    private var next = 0
    /// Proportional priorities (prioritized replay), or nil for uniform sampling.
    public private(set) var priorities: SumTree?
    /// The largest priority given so far: new transitions start with it.
    public private(set) var maxPriority = 1.0

    public init(capacity: Int, observationCount: Int, binary: Bool, actionCount: Int, storesMasks: Bool, prioritized: Bool = false) {
        priorities = prioritized ? SumTree(capacity: capacity) : nil
        self.capacity = capacity
        self.observationCount = observationCount
        packed = binary
        self.actionCount = actionCount
        self.storesMasks = storesMasks
        bytesPerObservation = binary ? (observationCount + 7) / 8 : 0
        observations = binary ? [UInt8](repeating: 0, count: capacity * bytesPerObservation) : []
        nextObservations = observations
        floatObservations = binary ? [] : [Float](repeating: 0, count: capacity * observationCount)
        floatNextObservations = floatObservations
        masks = storesMasks ? [Bool](repeating: true, count: capacity * actionCount) : []
        actions = [Int32](repeating: 0, count: capacity)
        rewards = [Float](repeating: 0, count: capacity)
        discounts = [Float](repeating: 0, count: capacity)
    }

    /// Bytes one transition occupies (observations, next observations, action, reward,
    /// discount, mask).
    public var bytesPerTransition: Int {
        let obs = packed ? 2 * bytesPerObservation : 2 * 4 * observationCount
        return obs + 4 + 4 + 4 + (storesMasks ? actionCount : 0)
    }

    public static func pack(_ source: UnsafeBufferPointer<Float>, into bytes: UnsafeMutablePointer<UInt8>) {
        let n = source.count
        var i = 0, byte = 0
        while i < n {
            var b: UInt8 = 0
            let end = min(i + 8, n)
            for j in i..<end where source[j] != 0 { b |= 1 << UInt8(j - i) }
            bytes[byte] = b
            byte += 1
            i = end
        }
    }

    public static func unpack(_ bytes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>, count n: Int) {
        for j in 0..<n { out[j] = Float((bytes[j >> 3] >> UInt8(j & 7)) & 1) }
    }

    public mutating func add(observation: UnsafeBufferPointer<Float>, action: Int, reward: Float,
                             nextObservation: UnsafeBufferPointer<Float>, discount: Float, nextMask: [Bool]?) {
        precondition(observation.count == observationCount && nextObservation.count == observationCount)
        let slot = next, n = observationCount, bpo = bytesPerObservation
        if packed {
            observations.withUnsafeMutableBufferPointer { Self.pack(observation, into: $0.baseAddress! + slot * bpo) }
            nextObservations.withUnsafeMutableBufferPointer { Self.pack(nextObservation, into: $0.baseAddress! + slot * bpo) }
        } else {
            floatObservations.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: slot * n).update(from: observation.baseAddress!, count: n) }
            floatNextObservations.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: slot * n).update(from: nextObservation.baseAddress!, count: n) }
        }
        if storesMasks, let nextMask {
            for a in 0..<actionCount { masks[slot * actionCount + a] = nextMask[a] }
        }
        actions[slot] = Int32(action); rewards[slot] = reward; discounts[slot] = discount
        priorities?.set(slot, maxPriority)
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// `batch` distinct indices, uniformly.
    public func sampleIndices(_ batch: Int, generator: inout SeededGenerator) -> [Int] {
        precondition(count >= batch, "the replay buffer holds \(count) transitions, fewer than a batch of \(batch)")
        var chosen: [Int] = []
        chosen.reserveCapacity(batch)
        while chosen.count < batch {
            let i = generator.nextInt(below: count)
            if !chosen.contains(i) { chosen.append(i) }
        }
        return chosen
    }

    /// Proportional prioritized sampling, stratified over `batch` equal segments of the total
    /// priority; returns indices and importance weights (N·P(i))^−β normalised by the largest.
    public func samplePrioritized(_ batch: Int, beta: Double, generator: inout SeededGenerator) -> (indices: [Int], weights: [Float]) {
        guard let tree = priorities else { preconditionFailure("this replay buffer is not prioritized") }
        let total = tree.total, segment = total / Double(batch)
        var indices: [Int] = []
        for k in 0..<batch {
            let prefix = (Double(k) + Double(generator.nextUniform())) * segment
            indices.append(min(tree.find(min(prefix, total.nextDown)), count - 1))
        }
        let n = Double(count)
        let maxWeight = pow(n * tree.minimum / total, -beta)
        let weights = indices.map { Float(pow(n * tree[$0] / total, -beta) / maxWeight) }
        return (indices, weights)
    }

    /// New priorities (already raised to α) for sampled transitions.
    public mutating func updatePriorities(_ indices: [Int], _ values: [Double]) {
        for (i, p) in zip(indices, values) {
            // Rounded to Float so a checkpoint (F32) restores the tree exactly.
            let rounded = Double(Float(p))
            priorities?.set(i, rounded)
            maxPriority = max(maxPriority, rounded)
        }
    }

    /// Every stored priority (for checkpoints) and restoring them.
    public var priorityValues: [Float] { (0..<capacity).map { Float(priorities?[$0] ?? 0) } }
    public mutating func restorePriorities(_ values: [Float], maxPriority: Double) {
        guard priorities != nil else { return }
        for (i, v) in values.enumerated() where i < capacity && i < count { priorities!.set(i, Double(v)) }
        self.maxPriority = maxPriority
    }

    /// Writes the observations (and next observations) of `indices` into batch tensors.
    public func gather(_ indices: [Int], observations obs: inout Tensor, nextObservations nextObs: inout Tensor, shape: [Int]) {
        Tensor.prepare(&obs, shape: shape)
        Tensor.prepare(&nextObs, shape: shape)
        let n = observationCount, bpo = bytesPerObservation
        let o = obs.scratchPointer, no = nextObs.scratchPointer
        for (row, i) in indices.enumerated() {
            if packed {
                observations.withUnsafeBufferPointer { Self.unpack($0.baseAddress! + i * bpo, into: o + row * n, count: n) }
                nextObservations.withUnsafeBufferPointer { Self.unpack($0.baseAddress! + i * bpo, into: no + row * n, count: n) }
            } else {
                floatObservations.withUnsafeBufferPointer { (o + row * n).update(from: $0.baseAddress! + i * n, count: n) }
                floatNextObservations.withUnsafeBufferPointer { (no + row * n).update(from: $0.baseAddress! + i * n, count: n) }
            }
        }
    }

    /// Whether action `a` was legal in the next state of transition `i`.
    public func isLegalNext(_ i: Int, _ a: Int) -> Bool { !storesMasks || masks[i * actionCount + a] }
}
