/// Politeness is not praise. Requests ("please", "help", "kindly") and greetings ("Dear team,") carry no
/// sentiment of their own unless the message praises something; gratitude ("thanks", "appreciate")
/// counts, except inside a complaint ("thanks, but my bag is still lost") and when it closes a question or
/// a request with no praise in it ("Can you check my booking? Thanks!": courtesy). "Thanks for nothing" is
/// an idiom entry, not this rule.
enum Politeness {
    /// A hit at or below this value counts as negative evidence for the message.
    static let negativeEvidence = -0.5
    /// A hit at or above this value counts as praise.
    static let positiveEvidence = 0.5

    /// Request words that are also what is thanked for: "help" asks in service talk ("can you help", "no one
    /// will help me") unless a word of thanks comes before it in its clause ("thanks for your help",
    /// "appreciate the help"), where it is part of the thanks. Written for voc (2026).
    static let thankedRequests: Set<String> = ["help"]

    /// Whether a word of thanks stands before `position` in its clause.
    static func isThanked(at position: Int, in words: WordSlots) -> Bool {
        var k = position
        while k > 0, !words[k].startsClause, !words[k - 1].isContrast {
            k -= 1
            if case .politeness(.gratitude) = words[k].role { return true }
        }
        return false
    }

    /// `words[first...]`: every hit of the message; `asks`: the message holds a question mark. The scorer
    /// calls it only for a message with a hit of politeness (the hit finder tells it); for any other it
    /// changes nothing.
    static func neutralise(_ words: inout [ScoredWord], from first: Int, asks: Bool) {
        let hits = first..<words.count
        let complaint = hits.contains { words[$0].value <= negativeEvidence && words[$0].politeness == nil }
        let praise = hits.contains { words[$0].value >= positiveEvidence && words[$0].politeness == nil }
        let request = asks || hits.contains { words[$0].politeness == .request }
        for w in hits where words[w].value > 0 {
            switch words[w].politeness {
            case let kind? where (kind == .request || kind == .greeting) && (complaint || !praise):
                words[w].value = 0
                words[w].rules.insert(kind == .greeting ? .greeting : complaint ? .politenessInComplaint : .requestNotPraise)
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
