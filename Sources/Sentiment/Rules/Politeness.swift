/// Politeness is not praise. Requests ("please", "help", "kindly") carry no sentiment of their own unless
/// the message praises something; gratitude ("thanks", "appreciate") counts, except inside a complaint
/// ("thanks, but my bag is still lost") and when it closes a question or a request with no praise in it
/// ("Can you check my booking? Thanks!": courtesy). "Thanks for nothing" is an idiom entry, not this rule.
enum Politeness {
    /// A hit at or below this value counts as negative evidence for the message.
    static let negativeEvidence = -0.5
    /// A hit at or above this value counts as praise.
    static let positiveEvidence = 0.5

    /// `asks`: the message holds a question mark.
    static func neutralise(_ sentences: inout [[ScoredWord]], asks: Bool) {
        let complaint = sentences.contains { $0.contains { $0.value <= negativeEvidence && $0.politeness == nil } }
        let praise = sentences.contains { $0.contains { $0.value >= positiveEvidence && $0.politeness == nil } }
        let request = asks || sentences.contains { $0.contains { $0.politeness == .request } }
        for s in sentences.indices {
            for w in sentences[s].indices where sentences[s][w].value > 0 {
                switch sentences[s][w].politeness {
                case .request? where complaint || !praise:
                    sentences[s][w].value = 0
                    sentences[s][w].rules.insert(complaint ? .politenessInComplaint : .requestNotPraise)
                case .gratitude? where complaint:
                    sentences[s][w].value = 0
                    sentences[s][w].rules.insert(.politenessInComplaint)
                case .gratitude? where request && !praise:
                    sentences[s][w].value = 0
                    sentences[s][w].rules.insert(.courtesy)
                default:
                    continue
                }
            }
        }
    }
}
