/// "Took them 3 weeks to reply", "it took over a month", "why does it take an hour to offload bags", "it
/// has been 10 days": a verb of taking time (or "been", time gone by) followed by a count of hours, days,
/// weeks, months or years says the customer waited, as "took ages" does; none of these words is rated, and
/// the number itself is no word to the scorer. Only a count may stand between, so "been a customer for 10
/// years" and "been using it for a year" are no delay.
/// Scored once, at the verb, with the valence of the "took ages" entry (a user's lexicon that overrides it
/// overrides this too), and not negated: "it doesn't take 6 days to respond" is the same complaint. Minutes
/// are left out ("only took 5 minutes" is praise as often as not). Written for voc (2026): in the airline
/// tweets, 19 of the 21 that say so are labelled negative; with "been" (2026-12-05, from a complaint of the
/// sample corpus read as praise, "it has been 10 days"), 33 of the 34 that say "been" and a count of time.
enum Delay {
    /// The verbs, marked in the lexicon entries (`Lexicons.Markers.takesTime`).
    static let verbs: Set<String> = ["took", "take", "takes", "taking", "been"]
    /// The entry whose valence a delay takes.
    static let reference = "took ages"
    static let units: Set<String> = ["hour", "hours", "hr", "hrs", "day", "days", "week", "weeks", "month", "months", "year", "years"]
    /// What may stand between the verb and the unit: who waited, and how many or how long (digits are no
    /// words to the scorer, so "took 3 weeks" is "took weeks").
    static let between: Set<String> = [
        "me", "us", "them", "you", "him", "her", "it", "a", "an", "the", "over", "about", "around", "nearly", "almost", "more", "than",
        "like", "half", "several", "many", "few", "couple", "of", "whole", "entire", "full", "one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty",
    ]
    /// How many words may stand between: "took us more than an hour", "took about half a day".
    static let window = 4
    /// After the unit, time taken is leave, not a wait: "took a week off".
    static let leave = "off"
    /// The words the rule asks for, interned whether or not a lexicon lists them.
    static let words = verbs.union(units).union(between).union([leave])

    /// Where the unit that closes a delay with the verb at `position` stands, or nil: within `window` words
    /// after it, only words of `between` before it, in the same clause, and no `leave` right after it.
    static func unit(after position: Int, in words: WordSlots, _ vocabulary: Words) -> Int? {
        var k = position + 1
        while k < words.count, k - position <= window + 1 {
            if words[k].startsClause || words[k].isContrast { return nil }
            if words[k].isListed(in: vocabulary.units) { return k + 1 < words.count && words[k + 1].id == vocabulary.leave ? nil : k }
            guard words[k].isListed(in: vocabulary.between) else { return nil }
            k += 1
        }
        return nil
    }

    /// The rule's words as flags by term id, made once per scorer. A class: the scorer hands
    /// it to the rule for every sentence, where a struct of arrays was copied onto the stack each time.
    final class Words: Sendable {
        let units, between: [Bool]
        let leave: Int32

        init(_ flags: (Set<String>) -> [Bool], id: (String) -> Int32) {
            units = flags(Delay.units)
            between = flags(Delay.between)
            leave = id(Delay.leave)
        }
    }
}
