/// A negator among the three words before a hit flips and damps it ("not good" is mildly negative).
enum Negation {
    /// Hutto and Gilbert (2014): negation multiplies valence by about -0.74, from their human-rated pairs.
    static let scalar = -0.74
    /// How many words back a negator still reaches.
    static let window = 3

    /// True when a negator sits in the window before word `position`. A clause boundary (comma, contrast word)
    /// ends the scope, and a negator that belongs to a matched phrase ("no problem") negates nothing else.
    static func applies(at position: Int, in words: [WordSlot]) -> Bool {
        if words[position].startsClause { return false }
        var k = position - 1
        while k >= 0, position - k <= window {
            switch words[k].role {
            case .negator where !words[k].consumed: return true
            case .contrast: return false
            default:
                if words[k].startsClause { return false }
                k -= 1
            }
        }
        return false
    }
}
