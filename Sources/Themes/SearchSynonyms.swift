/// Words shoppers use for one thing ("kids" and "children", "raincoat" and "rain jacket"), each group read
/// as its first member before failed searches are grouped into demands. Word overlap cannot tie "children
/// rain jacket" to "kids raincoat": they share no word. A search team keeps such a list for its engine
/// anyway (synonyms are the usual fix for a zero-result query); here the same list decides which queries
/// are one demand. Groups come from the taxonomy (`search_synonyms`), so the business edits them.
public struct SearchSynonyms: Sendable, Equatable {
    /// Each member's pieces (as `SearchQueries.pieces` splits a query), with what they are read as.
    private var replacements: [[String]: [String]] = [:]
    /// The most pieces any member has: how far a match is looked for.
    private var longest = 0

    public static let none = SearchSynonyms()

    private init() {}

    /// `groups`, each with at least two members, the first the form the others are read as. Members are
    /// split and lowercased as queries are; one written in two groups, or twice in one, is refused with the
    /// group it is in (a query cannot be read two ways).
    public init(groups: [[String]]) throws(SearchSynonymsError) {
        var group: [[String]: Int] = [:]
        for (g, members) in groups.enumerated() {
            let named = "group \(g + 1) (\(members.joined(separator: ", ")))"
            guard members.count >= 2 else { throw SearchSynonymsError(reason: "\(named): a group needs at least two members") }
            let pieces = members.map(SearchQueries.pieces)
            let canonical = pieces[0]
            for (member, written) in zip(pieces, members) {
                guard !member.isEmpty else { throw SearchSynonymsError(reason: "\(named): \"\(written)\" has no letter or digit") }
                if let other = group[member] {
                    throw SearchSynonymsError(
                        reason: "\(named): \"\(written)\" is already in " + (other == g ? "this group" : "group \(other + 1)"))
                }
                group[member] = g
                // The first member too, as itself: matched whole, its words are not read by another group
                // ("rain jacket" stays one, with "jacket" a coat elsewhere).
                replacements[member] = canonical
                longest = max(longest, member.count)
            }
        }
    }

    /// `pieces` with every member of a group replaced by the group's first, the longest match first, left
    /// to right: with "rain jacket" and "jacket" both members, "rain jacket" is read as one.
    func applied(to pieces: [String]) -> [String] {
        guard !replacements.isEmpty else { return pieces }
        var out: [String] = []
        out.reserveCapacity(pieces.count)
        var i = 0
        next: while i < pieces.count {
            for length in stride(from: min(longest, pieces.count - i), through: 1, by: -1) {
                if let canonical = replacements[Array(pieces[i..<(i + length)])] {
                    out += canonical
                    i += length
                    continue next
                }
            }
            out.append(pieces[i])
            i += 1
        }
        return out
    }
}

public struct SearchSynonymsError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
