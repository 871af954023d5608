/// Politeness is not praise. Requests ("please", "help", "kindly") carry no sentiment of their own unless
/// the message praises something; gratitude ("thanks", "appreciate") counts, except inside a complaint
/// ("thanks, but my bag is still lost") and when it closes a question or a request with no praise in it
/// ("Can you check my booking? Thanks!": courtesy). "Thanks for nothing" is an idiom entry, not this rule.
enum Politeness {
    /// A hit at or below this value counts as negative evidence for the message.
    static let negativeEvidence = -0.5
    /// A hit at or above this value counts as praise.
    static let positiveEvidence = 0.5

    /// `words[first...]`: every hit of the message; `asks`: the message holds a question mark.
    static func neutralise(_ words: inout [ScoredWord], from first: Int, asks: Bool) {
        let hits = first..<words.count
        guard hits.contains(where: { words[$0].politeness != nil }) else { return }  // most messages: nothing to weigh
        let complaint = hits.contains { words[$0].value <= negativeEvidence && words[$0].politeness == nil }
        let praise = hits.contains { words[$0].value >= positiveEvidence && words[$0].politeness == nil }
        let request = asks || hits.contains { words[$0].politeness == .request }
        for w in hits where words[w].value > 0 {
            switch words[w].politeness {
            case .request? where complaint || !praise:
                words[w].value = 0
                words[w].rules.insert(complaint ? .politenessInComplaint : .requestNotPraise)
            case .gratitude? where complaint:
                words[w].value = 0
                words[w].rules.insert(.politenessInComplaint)
            case .gratitude? where request && !praise:
                words[w].value = 0
                words[w].rules.insert(.courtesy)
            default:
                continue
            }
        }
    }
}
