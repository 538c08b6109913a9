// R2D2's replay (Kapturowski et al. 2019, §2.3): a cyclic store of steps and the sequences that
// index it, each with the recurrent state the actor had where the sequence begins ("stored
// state").
//
// Steps: slot g holds the observation the agent acted on, its legal mask (environments with
// illegal actions), the action and the reward that followed. An episode of L steps takes L + 1
// slots: after its last step a *final* slot holds the observation it ended on, and whether it
// terminated (no bootstrap) or was cut off (bootstrap from it).
//
// Sequences: an episode's k-th sequence trains steps [E + k·unroll, E + (k+1)·unroll) of the
// episode starting at slot E (fewer at its end), so every step is trained by exactly one
// sequence and consecutive ones overlap only in their burn-in: the `burnIn` steps before the
// trained ones, clipped at the episode's start (where the stored state is zeros, exactly what
// the actor had). After its trained steps come up to `nStep` more, for the n-step targets of
// the last ones. A sequence never crosses an episode's end. It is announced where its burn-in
// starts, taking the actor's state there, and enters replay once its last step is written.
//
// Indices are monotonic slot counts (slot g lives at g mod capacity); a sequence leaves replay
// when its first slot is overwritten, oldest first. Priorities (prioritized replay) live in a
// sum tree over the ring of sequences; a new sequence starts with the largest priority yet.
import DQN
import Foundation
import Tensors

public struct SequenceReplay {
    public let capacity: Int, observationCount: Int, actionCount: Int
    public let packed: Bool, storesMasks: Bool
    public let burnIn: Int, unroll: Int, nStep: Int, units: Int
    let bytesPerObservation: Int
    var observations: [UInt8], floatObservations: [Float], masks: [Bool]
    var actions: [Int32], rewards: [Float], finals: [Bool], terminals: [Bool]
    /// Slots written so far: the next slot's monotonic index.
    public private(set) var written = 0
    private var episodeStart = 0

    /// A sequence: its first burn-in slot, first trained slot, trained steps, last usable slot
    /// (inclusive), and its number in the order sequences were announced.
    struct Sequence: Equatable { var burnStart: Int, trainStart: Int, trained: Int, end: Int, number: Int }
    /// Announced sequences whose last step is not written yet, oldest first, with their states.
    private var pending: [(sequence: Sequence, h: [Float], c: [Float])] = []
    /// The ring of sequences in replay: `live[(head + i) % maxSequences]` for i < liveCount,
    /// oldest first; their states h then c, `2·units` floats each.
    public let maxSequences: Int
    var live: [Sequence] = []
    var liveStates: [Float] = []
    var head = 0
    public private(set) var liveCount = 0
    /// Sequences announced so far (resume matches stored states by these numbers).
    public private(set) var announced = 0
    public private(set) var priorities: SumTree?
    public private(set) var maxPriority = 1.0

    public init(capacity: Int, observationCount: Int, binary: Bool, actionCount: Int, storesMasks: Bool,
                burnIn: Int, unroll: Int, nStep: Int, units: Int, prioritized: Bool) {
        precondition(capacity > burnIn + unroll + nStep, "replay must hold a whole sequence")
        self.capacity = capacity; self.observationCount = observationCount; self.actionCount = actionCount
        packed = binary; self.storesMasks = storesMasks
        self.burnIn = burnIn; self.unroll = unroll; self.nStep = nStep; self.units = units
        bytesPerObservation = binary ? (observationCount + 7) / 8 : 0
        observations = binary ? [UInt8](repeating: 0, count: capacity * bytesPerObservation) : []
        floatObservations = binary ? [] : [Float](repeating: 0, count: capacity * observationCount)
        masks = storesMasks ? [Bool](repeating: true, count: capacity * actionCount) : []
        actions = [Int32](repeating: -1, count: capacity)
        rewards = [Float](repeating: 0, count: capacity)
        finals = [Bool](repeating: false, count: capacity)
        terminals = finals
        // Every sequence trains at least one step and every episode adds a final slot, so with
        // unroll ≥ 2 at most half the slots start one (unroll 1: every step does).
        maxSequences = unroll == 1 ? capacity : capacity / 2 + 1
        priorities = prioritized ? SumTree(capacity: maxSequences) : nil
    }

    // MARK: Writing

    /// Stores the observation the agent is about to act on. `state` gives the actor's state
    /// before this observation (h, c; `units` floats each), asked for only when a sequence's
    /// burn-in starts here after the episode's first step.
    public mutating func observe(_ observation: UnsafeBufferPointer<Float>, mask: [Bool]?, firstOfEpisode: Bool,
                                 state: () -> (h: [Float], c: [Float])) {
        let g = written
        if firstOfEpisode { episodeStart = g }
        writeSlot(g, observation, mask: mask, final: false, terminated: false)
        let p = g - episodeStart
        if p == 0 {
            // Every sequence whose burn-in is clipped at the start: zeros, as the actor's state.
            var k = 0
            while k * unroll <= burnIn {
                announce(trainStart: g + k * unroll, h: [Float](repeating: 0, count: units), c: [Float](repeating: 0, count: units))
                k += 1
            }
        } else if (p + burnIn) % unroll == 0 {
            let s = state()
            announce(trainStart: g + burnIn, h: s.h, c: s.c)
        }
        // Sequences whose last step (bootstrap included) is now written enter replay.
        while let first = pending.first, first.sequence.trainStart + unroll - 1 + nStep <= g {
            var q = first.sequence
            q.trained = unroll
            q.end = q.trainStart + unroll - 1 + nStep
            admit(q, h: first.h, c: first.c)
            pending.removeFirst()
        }
    }

    /// The action taken on the latest observation and the reward that followed.
    public mutating func recordStep(action: Int, reward: Float) {
        let slot = (written - 1) % capacity
        actions[slot] = Int32(action)
        rewards[slot] = reward
    }

    /// Ends the episode: stores the observation it ended on; every announced sequence with a
    /// trained step enters replay, the others are dropped.
    public mutating func endEpisode(finalObservation: UnsafeBufferPointer<Float>, mask: [Bool]?, terminated: Bool) {
        let f = written
        writeSlot(f, finalObservation, mask: mask, final: true, terminated: terminated)
        for (sequence, h, c) in pending where sequence.trainStart < f {
            var q = sequence
            q.trained = min(unroll, f - q.trainStart)
            q.end = min(f, q.trainStart + unroll - 1 + nStep)
            admit(q, h: h, c: c)
        }
        pending.removeAll()
    }

    private mutating func writeSlot(_ g: Int, _ observation: UnsafeBufferPointer<Float>, mask: [Bool]?, final: Bool, terminated: Bool) {
        precondition(observation.count == observationCount, "observation of \(observation.count) values, replay stores \(observationCount)")
        // The slot's old step leaves; so does every sequence that began at or before it.
        while liveCount > 0 && live[head].burnStart <= g - capacity { evictOldest() }
        let slot = g % capacity
        if packed {
            observations.withUnsafeMutableBufferPointer { ReplayBuffer.pack(observation, into: $0.baseAddress! + slot * bytesPerObservation) }
        } else {
            floatObservations.withUnsafeMutableBufferPointer { ($0.baseAddress! + slot * observationCount).update(from: observation.baseAddress!, count: observationCount) }
        }
        if storesMasks { for a in 0..<actionCount { masks[slot * actionCount + a] = mask?[a] ?? true } }
        actions[slot] = -1
        rewards[slot] = 0
        finals[slot] = final
        terminals[slot] = terminated
        written = g + 1
    }

    private mutating func announce(trainStart: Int, h: [Float], c: [Float]) {
        precondition(h.count == units && c.count == units, "a stored state has \(units) values per part")
        let q = Sequence(burnStart: max(episodeStart, trainStart - burnIn), trainStart: trainStart, trained: 0, end: 0, number: announced)
        pending.append((q, h, c))
        announced += 1
    }

    private mutating func admit(_ q: Sequence, h: [Float], c: [Float]) {
        if liveCount == maxSequences { evictOldest() }
        let position = (head + liveCount) % maxSequences
        if position == live.count {
            live.append(q)
            liveStates += h
            liveStates += c
        } else {
            live[position] = q
            let base = position * 2 * units
            for j in 0..<units { liveStates[base + j] = h[j]; liveStates[base + units + j] = c[j] }
        }
        liveCount += 1
        priorities?.set(position, maxPriority)
    }

    private mutating func evictOldest() {
        priorities?.set(head, 0)
        head = (head + 1) % maxSequences
        liveCount -= 1
    }

    // MARK: Sampling and priorities

    /// Ring positions of `count` sequences drawn with replacement (by priority, or uniformly),
    /// and with priorities their importance weights (N·P)^−β, divided by the batch's largest
    /// (evicted sequences hold priority 0, so the tree's minimum is no bound).
    public func sample(_ count: Int, beta: Double, generator: inout SeededGenerator) -> (positions: [Int], weights: [Float]?) {
        precondition(liveCount > 0, "no sequence stored yet")
        guard let tree = priorities, tree.total > 0 else {
            return ((0..<count).map { _ in (head + generator.nextInt(below: liveCount)) % maxSequences }, nil)
        }
        let total = tree.total, n = Double(liveCount)
        var positions: [Int] = [], raw: [Double] = []
        for _ in 0..<count {
            var p = tree.find(Double(generator.nextUniform()) * total)
            if tree[p] <= 0 { p = head }   // rounding at a boundary: never an evicted sequence
            positions.append(p)
            raw.append(pow(n * tree[p] / total, -beta))
        }
        let largest = raw.max() ?? 1
        return (positions, raw.map { Float($0 / largest) })
    }

    /// Sets the sampled sequences' priorities to `values` (already mixed and raised to the
    /// priority exponent).
    public mutating func updatePriorities(_ positions: [Int], _ values: [Double]) {
        guard priorities != nil else { return }
        for (p, v) in zip(positions, values) {
            let value = v.isFinite ? max(v, 1e-12) : maxPriority
            priorities?.set(p, value)
            maxPriority = max(maxPriority, value)
        }
    }
}

// MARK: Checkpoints

extension SequenceReplay {
    /// The stored states of every sequence in replay and announced, oldest first, with their
    /// numbers: what a resume cannot rebuild by replaying the actions (the actor's states came
    /// from networks that have since changed).
    public var storedStates: (numbers: [Int], h: [Float], c: [Float]) {
        var numbers: [Int] = [], h: [Float] = [], c: [Float] = []
        for i in 0..<liveCount {
            let p = (head + i) % maxSequences, base = p * 2 * units
            numbers.append(live[p].number)
            h += liveStates[base..<(base + units)]
            c += liveStates[(base + units)..<(base + 2 * units)]
        }
        for (q, qh, qc) in pending { numbers.append(q.number); h += qh; c += qc }
        return (numbers, h, c)
    }

    /// Puts back the states `storedStates` returned, after the actions were replayed; false if
    /// the sequences replayed are not the ones the states belong to.
    public mutating func restoreStates(numbers: [Int], h: [Float], c: [Float]) -> Bool {
        guard numbers.count == liveCount + pending.count, h.count == numbers.count * units, c.count == h.count else { return false }
        for (i, number) in numbers.enumerated() {
            let base = i * units
            if i < liveCount {
                let p = (head + i) % maxSequences, stateBase = p * 2 * units
                guard live[p].number == number else { return false }
                for j in 0..<units { liveStates[stateBase + j] = h[base + j]; liveStates[stateBase + units + j] = c[base + j] }
            } else {
                let k = i - liveCount
                guard pending[k].sequence.number == number else { return false }
                pending[k].h = Array(h[base..<(base + units)])
                pending[k].c = Array(c[base..<(base + units)])
            }
        }
        return true
    }

    /// The priorities of the sequences in replay, oldest first (empty without prioritization).
    public var livePriorities: [Double] {
        guard let tree = priorities else { return [] }
        return (0..<liveCount).map { tree[(head + $0) % maxSequences] }
    }

    /// Puts back `livePriorities` and the largest priority; false if they do not fit.
    public mutating func restorePriorities(_ values: [Double], maxPriority: Double) -> Bool {
        guard priorities != nil else { return values.isEmpty }
        guard values.count == liveCount, maxPriority.isFinite, maxPriority > 0,
              values.allSatisfy({ $0.isFinite && $0 > 0 }) else { return false }
        for (i, v) in values.enumerated() { priorities?.set((head + i) % maxSequences, v) }
        self.maxPriority = maxPriority
        return true
    }
}
