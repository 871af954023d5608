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
    /// Verdicts are not wishes: after "would", a recommendation or a repurchase is how survey and review
    /// comments state the customer's verdict ("would recommend", "would definitely recommend them", "would
    /// definitely buy again"), where "would be great" or "would love a reply" describe what did not happen.
    /// ("Buy" is rated only in the repurchase phrases of the customer-service lexicon.) Written for voc (2026).
    static let verdicts: Set<String> = ["recommend", "buy"]
    static let verdictModals: Set<String> = ["would", "wouldn't"]
    /// Nor is a negated phrase straight after "would" or "could": "I could not put it down", "he would not
    /// put it down" say what happened, where "it could be better" wishes. Written for voc (2026).
    static let factualModals: Set<String> = ["would", "could"]
    /// Well-wishes are not wishes about the service either: "hope/wish" followed by the people addressed wishes
    /// them well ("hope you have a great day", "I wish you all the best", "hope everyone enjoys it"), unless a
    /// verb of condition or ability follows, which makes it a counterfactual or a request again ("I wish you
    /// had better staff", "I hope you can help"). Written for voc (2026).
    static let wishes: Set<String> = ["hope", "hoping", "wish"]
    static let addressees: Set<String> = ["you", "u", "ya", "y'all", "yall", "everyone", "everybody", "all"]
    static let counterfactuals: Set<String> = [
        "would", "could", "can", "will", "should", "might", "had", "were", "did", "didn't", "would've", "could've", "won't", "can't",
    ]

    /// The rule's words as flags by term id, made once per scorer. A class: the scorer hands
    /// it to the rule for every sentence, where a struct of arrays was copied onto the stack each time.
    final class Words: Sendable {
        let verdicts, verdictModals, factualModals, wishes, addressees, counterfactuals: [Bool]

        /// `flags` gives the flags by term id of a set of words.
        init(_ flags: (Set<String>) -> [Bool]) {
            verdicts = flags(Irrealis.verdicts)
            verdictModals = flags(Irrealis.verdictModals)
            factualModals = flags(Irrealis.factualModals)
            wishes = flags(Irrealis.wishes)
            addressees = flags(Irrealis.addressees)
            counterfactuals = flags(Irrealis.counterfactuals)
        }

        static var all: Set<String> { Irrealis.markers.union(Irrealis.addressees).union(Irrealis.counterfactuals) }
    }

    /// Whether a marker in the window before `position` blocks the positive word there.
    static func blocks(at position: Int, in words: WordSlots, _ vocabulary: Words) -> Bool {
        var k = position - 1
        while k >= 0, position - k <= window {
            if words[k].irrealis {
                if words[position].isListed(in: vocabulary.verdicts), words[k].isListed(in: vocabulary.verdictModals) { return false }
                // Only a phrase hit starts with a negator: a negator alone has no positive valence to block.
                if k == position - 1, words[position].isNegator, words[k].isListed(in: vocabulary.factualModals) { return false }
                return !isWellWish(marker: k, before: position, in: words, vocabulary)
            }
            if words[k].startsClause { return false }
            if words[k].isContrast { return false }
            k -= 1
        }
        return false
    }

    private static func isWellWish(marker k: Int, before position: Int, in words: WordSlots, _ vocabulary: Words) -> Bool {
        guard words[k].isListed(in: vocabulary.wishes), k + 1 < position, words[k + 1].isListed(in: vocabulary.addressees) else { return false }
        return k + 2 == position || !words[k + 2].isListed(in: vocabulary.counterfactuals)
    }
}
