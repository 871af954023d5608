/// Contrast words shift weight between clauses, by position (never by looking values up):
/// after an adversative ("but", "however") the second clause dominates; a concessive ("although") clause
/// is conceded and the other clause dominates.
enum Contrast {
    /// Hutto and Gilbert (2014): before "but" x0.5, after x1.5.
    static let weakened = 0.5
    static let strengthened = 1.5
    /// Words that contrast only at the start of a clause.
    static let clauseInitialOnly: Set<String> = ["yet", "though", "while"]

    /// A multiplier per word position.
    static func weights(for words: [WordSlot]) -> [Double] {
        var weights = [Double](repeating: 1, count: words.count)
        for (position, word) in words.enumerated() {
            guard case .contrast(let kind) = word.role else { continue }
            if word.clauseInitialOnly, !word.startsClause { continue }
            switch kind {
            case .adversative:
                for k in 0..<position { weights[k] *= weakened }
                for k in (position + 1)..<words.count { weights[k] *= strengthened }
            case .concessive:
                // "Although X, Y": X is conceded. "Y, although X": X is conceded too.
                let clauseEnd = words[(position + 1)...].firstIndex { $0.startsClause } ?? words.count
                for k in 0..<words.count {
                    if k > position, k < clauseEnd { weights[k] *= weakened } else if k != position { weights[k] *= strengthened }
                }
            }
        }
        return weights
    }
}
