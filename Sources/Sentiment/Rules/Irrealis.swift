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
    /// Verdicts are not wishes: after "would", a recommendation is how survey and review comments state the
    /// customer's verdict ("would recommend", "would definitely recommend them", "would not recommend"),
    /// where "would be great" or "would love a reply" describe what did not happen. Written for voc (2026).
    static let verdicts: Set<String> = ["recommend"]
    static let verdictModals: Set<String> = ["would", "wouldn't"]

    /// Whether a marker in the window before `position` blocks the positive word there; `verdict` and
    /// `verdictModal` are flags by term id (`verdicts`, `verdictModals`).
    static func blocks(at position: Int, in words: WordSlots, verdict: [Bool], verdictModal: [Bool]) -> Bool {
        var k = position - 1
        while k >= 0, position - k <= window {
            if words[k].irrealis { return !(isListed(words[position].id, in: verdict) && isListed(words[k].id, in: verdictModal)) }
            if words[k].startsClause { return false }
            if words[k].isContrast { return false }
            k -= 1
        }
        return false
    }

    private static func isListed(_ id: Int32, in flags: [Bool]) -> Bool { id >= 0 && flags[Int(id)] }
}
