/// Contrast words shift weight between clauses, by position (never by looking values up):
/// after an adversative ("but", "however") the second clause dominates; a concessive ("although") clause
/// is conceded and the other clause dominates.
enum Contrast {
    /// Hutto and Gilbert (2014): before "but" x0.5, after x1.5.
    static let weakened = 0.5
    static let strengthened = 1.5
    /// Words that contrast only at the start of a clause.
    static let clauseInitialOnly: Set<String> = ["yet", "though", "while"]

    /// Contrast words stack (each shifts the weight again: "A but B but C"), up to three in each direction.
    /// Hutto and Gilbert apply their "but" rule once per sentence; a bound is needed either way: unbounded,
    /// 150 clause-initial "yet"s made the weights overflow to infinity and `--explain` trap on them (found
    /// by fuzzing).
    static let maximumStacked = 3

    /// A multiplier per word position. Built from counts in one pass, not by multiplying every word once per
    /// contrast word: a line of a million "but"s was quadratic. Its working arrays are one temporary
    /// allocation (on the stack for a sentence of ordinary length): four arrays per sentence with a contrast
    /// word were most of this function's cost.
    static func weights(for words: WordSlots) -> [Double] {
        let n = words.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (n + 1)) { scratch in
            // Concessive clauses as a difference array: +1 where one starts to be conceded, -1 where it ends.
            let conceded = UnsafeMutableBufferPointer(rebasing: scratch[0...n])
            let nextClauseStart = UnsafeMutableBufferPointer(rebasing: scratch[(n + 1)...(2 * n + 1)])
            // Per position: 1 adversative, 2 concessive, 0 neither.
            let kinds = UnsafeMutableBufferPointer(rebasing: scratch[(2 * n + 2)...])
            conceded.initialize(repeating: 0)
            kinds.initialize(repeating: 0)
            nextClauseStart[n] = n
            for k in stride(from: n - 1, through: 0, by: -1) { nextClauseStart[k] = words[k].startsClause ? k : nextClauseStart[k + 1] }
            var adversatives = 0, concessives = 0
            for position in 0..<n {
                guard let kind = words[position].contrastKind else { continue }
                switch kind {
                case .adversative:
                    // Before "but" x0.5, after it x1.5.
                    kinds[position] = 1
                    adversatives += 1
                case .concessive:
                    // "Although X, Y": X is conceded. "Y, although X": X is conceded too. Everything else is the point.
                    kinds[position] = 2
                    concessives += 1
                    conceded[position + 1] += 1
                    conceded[nextClauseStart[position + 1]] -= 1
                }
            }
            guard adversatives + concessives > 0 else { return [Double](repeating: 1, count: n) }
            var weights = [Double](repeating: 1, count: n)
            var adversativesBefore = 0, inside = 0
            for k in 0..<n {
                inside += conceded[k]
                let adversativesAfter = adversatives - adversativesBefore - (kinds[k] == 1 ? 1 : 0)
                let concessivesOutside = concessives - inside - (kinds[k] == 2 ? 1 : 0)
                // Powers of 0.5 and 1.5 are exact in any order, so this equals multiplying factor by factor.
                var weight = 1.0
                for _ in 0..<min(adversativesAfter + inside, maximumStacked) { weight *= weakened }
                for _ in 0..<min(adversativesBefore + concessivesOutside, maximumStacked) { weight *= strengthened }
                weights[k] = weight
                if kinds[k] == 1 { adversativesBefore += 1 }
            }
            return weights
        }
    }
}
