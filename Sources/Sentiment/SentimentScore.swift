/// A message's sentiment: compound in [-1, 1], VADER-style proportions, a label, and how it was reached.
public struct SentimentScore: Sendable, Equatable {
    public enum Label: String, Sendable, Codable { case positive, neutral, negative, unscored }

    public var compound: Double
    public var positive: Double
    public var neutral: Double
    public var negative: Double
    public var label: Label
    /// Per-sentence scores (same order as the tokenizer's sentences), for theme mentions.
    public var sentences: [SentenceScore]

    public static let unscored = SentimentScore(compound: 0, positive: 0, neutral: 1, negative: 0, label: .unscored, sentences: [])

    /// Label thresholds on the compound score: >= 0.05 positive, <= -0.05 negative, else neutral, as Hutto
    /// and Gilbert (2014) use them. A wider positive band (0.2, chosen on the airline development set: +0.011
    /// macro-F1 there) was given up: a message in it is mildly positive by its words, and calling it neutral
    /// is wrong wherever messages have a polarity, as in reviews and editorials (docs/sentiment.md).
    public static let positiveThreshold = 0.05
    public static let negativeThreshold = -0.05

    public static func label(for compound: Double) -> Label {
        compound >= positiveThreshold ? .positive : compound <= negativeThreshold ? .negative : .neutral
    }
}

/// One sentence's score and the evidence behind it.
public struct SentenceScore: Sendable, Equatable {
    public var compound: Double
    public var hits: [Hit]
    /// Byte range of the sentence in the message.
    public var range: Range<Int>
}

/// One lexicon hit: the matched text, its lexicon value, the value after rules, and the rules applied.
public struct Hit: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    /// The lexicon file the value comes from; empty for a value a rule gives a word no lexicon rates (the
    /// contrast word of `Contrast.opposingAt`).
    public var lexicon: String
    public var base: Double
    public var value: Double
    public var rules: [String]

    public var description: String {
        let r = rules.isEmpty ? "" : " [" + rules.joined(separator: ", ") + "]"
        return "\(text) \(base.formatted2) → \(value.formatted2)" + (lexicon.isEmpty ? "" : " (\(lexicon))") + r
    }
}

extension Double {
    /// Two decimals, without Foundation.
    public var formatted2: String {
        // Total: a value too large for the integer arithmetic below is printed as Swift prints it.
        guard isFinite, abs(self) < 1e15 else { return "\(self)" }
        let scaled = (self * 100).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
