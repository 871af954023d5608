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

    /// "The visuals are impressive, but the story is hollow": a contrast says its clauses disagree (the
    /// "denial of expectation" reading of "but", Lakoff 1971), so when the only rated words of a sentence are
    /// praise it concedes and its main clause says nothing the lexicons rate, the main clause is read as the
    /// opposite of the strongest of that praise. Where that hit stands: the contrast word last before the
    /// main clause (else the sentence's first), or nil when no word of the sentence is in a main clause
    /// ("good but"). Written for voc (2026-12-05): of the airline tweets with such a sentence, 56 of 90 are
    /// labelled negative and 17 positive; of the rated sentences written here, all four are rated negative.
    /// Conceded complaints are left alone: their main clause mostly complains as well (108 of 126 negative);
    /// so are questions ("Lovely crew, but is the lounge open today?" asks, it does not oppose).
    static func opposingAt(_ words: WordSlots, _ contrastWords: ContrastWords) -> Int? {
        guard let main = words.indices.first(where: { !words[$0].makesContrast && contrastWords.weight(at: $0) > 1 }) else { return nil }
        return words.indices[..<main].last { words[$0].makesContrast } ?? words.indices.first { words[$0].makesContrast }
    }

    /// Calls `body` with the sentence's contrast words, whose `weight(at:)` gives a word's multiplier:
    /// found in one pass over the flags and kept on the stack, so a hit's multiplier is a few binary
    /// searches. A multiplier for every word, in three passes and a new array, cost some 1,700 instructions a
    /// sentence, where the hits that need one are few; a line of a million "good but"s stays n log n.
    static func withContrastWords<Result>(in words: WordSlots, _ body: (ContrastWords) -> Result) -> Result {
        let n = words.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * n) { scratch in
            let adversatives = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
            let concessives = UnsafeMutableBufferPointer(rebasing: scratch[n..<(2 * n)])
            let ends = UnsafeMutableBufferPointer(rebasing: scratch[(2 * n)...])
            var adversativeCount = 0, concessiveCount = 0
            // "Although X, Y" concedes X: the words after it up to the next clause start, which ends the clauses
            // of every concessive still open before it.
            var open = 0
            for position in 0..<n where words[position].makesContrast || words[position].startsClause {
                if words[position].startsClause {
                    for k in open..<concessiveCount { ends[k] = position }
                    open = concessiveCount
                }
                switch words[position].contrastKind {
                case .adversative:
                    adversatives[adversativeCount] = position
                    adversativeCount += 1
                case .concessive:
                    concessives[concessiveCount] = position
                    concessiveCount += 1
                case nil:
                    break
                }
            }
            for k in open..<concessiveCount { ends[k] = n }
            return body(ContrastWords(
                adversatives: UnsafeBufferPointer(rebasing: adversatives[0..<adversativeCount]),
                concessives: UnsafeBufferPointer(rebasing: concessives[0..<concessiveCount]),
                ends: UnsafeBufferPointer(rebasing: ends[0..<concessiveCount])))
        }
    }

    /// A sentence's contrast words: the adversatives' positions, and the concessives' positions and the ends
    /// of the clauses they concede, each list in ascending order (a later concessive's clause never ends
    /// sooner).
    struct ContrastWords {
        fileprivate let adversatives: UnsafeBufferPointer<Int>
        fileprivate let concessives: UnsafeBufferPointer<Int>
        fileprivate let ends: UnsafeBufferPointer<Int>

        /// The multiplier of the word at `p`: 0.5 for each adversative after it and each concessive clause it
        /// lies in, 1.5 for each adversative before it and each concessive clause elsewhere, at most
        /// `maximumStacked` of each.
        func weight(at p: Int) -> Double {
            let adversativesBefore = Self.count(in: adversatives, below: p)
            let adversativesAfter = adversatives.count - Self.count(in: adversatives, below: p + 1)
            // The concessives before `p` whose clause has not ended by `p` are the last of them.
            let concessivesBefore = Self.count(in: concessives, below: p)
            let inside = concessivesBefore - Self.count(in: UnsafeBufferPointer(rebasing: ends[0..<concessivesBefore]), below: p + 1)
            let isConcessive = concessivesBefore < concessives.count && concessives[concessivesBefore] == p
            let concessivesOutside = concessives.count - inside - (isConcessive ? 1 : 0)
            // Powers of 0.5 and 1.5 are exact in any order, so this equals multiplying factor by factor.
            var weight = 1.0
            for _ in 0..<min(adversativesAfter + inside, maximumStacked) { weight *= weakened }
            for _ in 0..<min(adversativesBefore + concessivesOutside, maximumStacked) { weight *= strengthened }
            return weight
        }

        /// How many of the ascending `values` are below `bound`.
        private static func count(in values: UnsafeBufferPointer<Int>, below bound: Int) -> Int {
            var low = 0, high = values.count
            while low < high {
                let middle = (low + high) / 2
                if values[middle] < bound { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
