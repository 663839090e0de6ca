// Definite assignment of locals, so a call zeroes only the locals that might be read before
// they are written (WebAssembly gives unwritten locals the value zero; compiled code almost
// never relies on it). One forward pass over structured control flow, alongside lowering:
// the state is the set of locals written on every path to the current instruction.

/// The analysis state: the current set, and per open control frame the intersection of the
/// sets branching to its label and (for `if`) the set at its entry.
struct AssignmentAnalysis {
    /// Words per set.
    private var width = 0
    /// The locals written on every path to here (meaningful only where code is reachable).
    private var current: [UInt64] = []
    /// Per control frame at `index * width`: the sets joined at its label.
    private var labels: [UInt64] = []
    /// Per control frame: whether any branch reached its label yet.
    private var labelReached: [Bool] = []
    /// Per control frame at `index * width`: the set at the frame's entry (`if` and `else`).
    private var entries: [UInt64] = []
    /// The lowest local that may be read before it is written (`numLocals` when none).
    private(set) var firstLocalToZero = 0

    /// Begins a function: parameters are written, declared locals are not.
    mutating func start(locals: Int, parameters: Int) {
        width = (locals + 63) >> 6
        current = [UInt64](repeating: 0, count: max(width, 1))
        for p in 0..<parameters { current[p >> 6] |= 1 << UInt64(p & 63) }
        firstLocalToZero = locals
        open(frame: 0)
    }

    /// `local.get i` at a reachable point.
    @inline(__always)
    mutating func read(_ i: Int) {
        if i < firstLocalToZero && current[i >> 6] & (1 << UInt64(i & 63)) == 0 { firstLocalToZero = i }
    }

    /// `local.set i` or `local.tee i` at a reachable point.
    @inline(__always)
    mutating func write(_ i: Int) {
        current[i >> 6] |= 1 << UInt64(i & 63)
    }

    /// A control frame opens at index `frame` (its entry set is the current one).
    mutating func open(frame: Int) {
        let needed = (frame + 1) * width
        if labels.count < needed {
            labels.append(contentsOf: repeatElement(0, count: needed - labels.count))
            entries.append(contentsOf: repeatElement(0, count: needed - entries.count))
        }
        while labelReached.count <= frame { labelReached.append(false) }
        labelReached[frame] = false
        for w in 0..<width { entries[frame * width + w] = current[w] }
    }

    /// A reachable branch to the label of `frame` (not for loops or the function: branches
    /// to a loop head carry a superset of the loop's entry set, and returns end the path).
    mutating func branch(to frame: Int) {
        let base = frame * width
        if labelReached[frame] {
            for w in 0..<width { labels[base + w] &= current[w] }
        } else {
            for w in 0..<width { labels[base + w] = current[w] }
            labelReached[frame] = true
        }
    }

    /// Joins the entry set of `frame` into its label (the missing else of an `if`, or every
    /// catch of a `try_table`, which can leave before anything in its body ran).
    mutating func branchFromEntry(of frame: Int, to target: Int) {
        let saved = current
        for w in 0..<width { current[w] = entries[frame * width + w] }
        branch(to: target)
        current = saved
    }

    /// `else` of the `if` at `frame`: the then-branch (if its end is reachable) went to the
    /// label; the else-branch starts from the entry set.
    mutating func enterElse(frame: Int, thenReachable: Bool) {
        if thenReachable { branch(to: frame) }
        for w in 0..<width { current[w] = entries[frame * width + w] }
    }

    /// `end` of a block, if or try_table at `frame`: the set after it joins the fall-through
    /// (when reachable) and the branches to the label. For a loop, the fall-through set simply
    /// continues.
    mutating func end(frame: Int, fallsThrough: Bool) {
        guard labelReached[frame] else { return }
        let base = frame * width
        if fallsThrough {
            for w in 0..<width { current[w] &= labels[base + w] }
        } else {
            for w in 0..<width { current[w] = labels[base + w] }
        }
    }
}

extension FunctionTranslator {
    /// Records a reachable branch to control frame `frameIndex` for the assignment analysis.
    @inline(__always)
    mutating func noteBranch(to frameIndex: Int) {
        guard emitting, controls[frameIndex].kind != .loop, controls[frameIndex].kind != .function else { return }
        assignment.branch(to: frameIndex)
    }
}
