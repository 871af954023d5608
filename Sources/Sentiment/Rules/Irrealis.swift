/// Wishes and conditionals are not praise: in "it would be great if...", "I would love to DM you but...",
/// "you could have made it better", the positive word describes what did not happen.
/// After the irrealis blocking of Taboada et al. (2011, "Lexicon-Based Methods for Sentiment Analysis",
/// Computational Linguistics 37(2)), narrowed to positive words: complaints often say what *should* be.
/// Taboada et al. count questions among the irrealis markers too, within their clause, and so does the
/// scorer: a positive word in the last clause of a sentence with a question mark asks about the thing, it
/// does not praise it ("Were the staff nice?", "Is this the best you can do?"), while an earlier clause keeps
/// its praise ("Love the new seats, will they be on every plane?"). Negative words in questions still count
/// ("Why is my refund so late?" complains). See docs/sentiment.md for its effect on the development set.
enum Irrealis {
    static let markers: Set<String> = [
        "would", "could", "should", "might", "wish", "if", "wouldn't", "couldn't", "shouldn't", "hope", "hoping", "hopefully",
    ]
    /// How far back (in words, within the clause) a marker reaches.
    static let window = 4

    static func blocks(at position: Int, in words: WordSlots) -> Bool {
        var k = position - 1
        while k >= 0, position - k <= window {
            if words[k].irrealis { return true }
            if words[k].startsClause { return false }
            if words[k].isContrast { return false }
            k -= 1
        }
        return false
    }
}
