import Text

/// Hashtags written as one run of words: "#brandfail", "#unitedsucks", "#notimpressed", "#nothappy".
/// Only what a complaint hashtag says is read: a negative word at the end, or "not"/"no"/"never" before
/// a sentiment word. Positive run-together tags stay unread: most are names or slogans. (A one-word tag is
/// read as its word, "#love" as "love", unless it repeats one of the text's @handles, "@united ... #United".)
enum Hashtags {
    /// Shortest part read on either side of a split: "#redfail" reads "fail", "#alfail" does not.
    static let minimumPart = 3
    /// (Each starts with "n": `split` relies on it.)
    static let negatorPrefixes = ["not", "no", "never"]
    /// Longer tags are not split: no run of words is that long, and trying every cut of a 100 KB tag (one
    /// lookup of the tail per cut) took a second, so a 10 MB line of one tag would have taken hours.
    static let longestSplit = 256

    /// The parts of `body` (a hashtag without its #, in `bytes`) to score, in order, or none. `lookup` gives a
    /// part's valence (NaN when it has none) and whether it is a negator, or nil when no lexicon lists it.
    static func split(_ body: Token, in bytes: UnsafeBufferPointer<UInt8>, _ lookup: (Token) -> (valence: Double, negator: Bool)?) -> [Token] {
        guard body.byteCount >= 2 * minimumPart, body.byteCount <= longestSplit else { return [] }
        func part(_ start: Int, _ end: Int) -> Token { Token(start: start, end: end, kind: .word, flags: body.flags) }
        // "not" + a sentiment word: the negation rule then reads it like "not impressed". Every prefix starts
        // with "n", so most tags are past this in one comparison, not three lookups.
        if bytes[body.start] | 0x20 == UInt8(ascii: "n") {
            for prefix in negatorPrefixes {
                let cut = body.start + prefix.utf8.count
                guard body.end - cut >= minimumPart, let head = lookup(part(body.start, cut)), head.negator,
                    let rest = lookup(part(cut, body.end)), !rest.valence.isNaN
                else { continue }
                return [part(body.start, cut), part(cut, body.end)]
            }
        }
        // The longest negative word that ends the tag, after at least `minimumPart` bytes of something else.
        for cut in (body.start + minimumPart)...(body.end - minimumPart) {
            if let tail = lookup(part(cut, body.end)), tail.valence < 0 { return [part(cut, body.end)] }
        }
        return []
    }
}
