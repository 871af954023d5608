/// "Please help", "thanks" and "kindly" inside a complaint are politeness, not praise: when the message
/// holds negative evidence, their positive valence is dropped. "Thanks for nothing" is an idiom entry.
enum Politeness {
    /// A hit at or below this value counts as negative evidence for the message.
    static let negativeEvidence = -0.5

    static func neutralise(_ sentences: inout [[ScoredWord]]) {
        let complaint = sentences.contains { $0.contains { $0.value <= negativeEvidence && !$0.isPoliteness } }
        guard complaint else { return }
        for s in sentences.indices {
            for w in sentences[s].indices where sentences[s][w].isPoliteness && sentences[s][w].value > 0 {
                sentences[s][w].value = 0
                sentences[s][w].rules.append("politeness in a complaint")
            }
        }
    }
}
