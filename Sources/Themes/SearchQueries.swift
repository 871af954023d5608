public import Text

/// Failed site searches, spelled the one way the week's other searches suggest, before they are grouped
/// into demand themes. A query is a few words typed in a hurry, and one demand comes in many spellings:
/// "gluten-free pasta" and "gluten free pasta", "usb-c hub", "usb c hub" and "usbc hub", "kids raincoat" and
/// "kids rain coat". Between texts this short a single spelling apart is the whole difference, so the
/// clustering saw "gluten-free pasta" as its own demand and "usb c dock" as unrelated to "usbc hub".
///
/// The rules are the ones a person tidying a search log would apply (the key-collision "fingerprint" idea of
/// data-cleaning tools, made to use the log itself as its dictionary): lowercase; break words at hyphens,
/// slashes and other punctuation; and join two neighbouring pieces when the week's searches hold the joined
/// form as a word of its own ("rain coat" → "raincoat" only because someone typed "raincoat"). Nothing is
/// joined on a guess, so words that are never written together stay apart.
public enum SearchQueries {
    /// The week's failed searches grouped into demand themes, owned by `department`. The queries are
    /// `normalized` first; model names ("ps5") count as words; a word in every query still counts (a week may
    /// hold one demand); and a theme is split where its queries share no word (`splitsUnconnected`).
    /// `synonyms`: the groups of words read as one (`SearchSynonyms`), applied after the spelling rules.
    public static func themes(
        _ queries: [String], vectorizer: Vectorizer, tokenizer: some TextTokenizer, department: String, synonyms: SearchSynonyms = .none,
        seed: UInt64
    ) -> ThemeSet {
        var vectorizer = vectorizer
        vectorizer.keepsIdentifiers = true
        vectorizer.maxDocumentShare = 1
        // Discovery sees each distinct query once (`clustersDistinctDocuments`), so a word typed in one of
        // them ("dualsense", "toddler") still counts.
        vectorizer.minDocumentFrequency = 1
        let documents = normalized(queries, synonyms: synonyms).map { vectorizer.document(tokenizer.tokenize($0)) }
        var finder = LexicalThemeFinder(vectorizer: vectorizer, taxonomy: .empty, k: nil, seed: seed)
        finder.clustersDistinctDocuments = true
        finder.mergeThreshold = 0.35
        finder.splitsUnconnected = true
        finder.mergesVariants = false  // two products searched for are two demands
        finder.attachesSmallClusters = 0.25  // one word of a two-word query in common with the demand (docs/themes.md)
        var set = finder.findThemes(documents)
        for t in set.themes.indices {
            set.themes[t].department = department
            set.themes[t].severity = .minor
            // Discovered ids are "d-" and the label's slug: only that prefix goes ("d-cold-brew" was
            // "search-colbrew" when every "d-" went), and "other" becomes "search-other" (`Theme.isOther`).
            let id = set.themes[t].id
            set.themes[t].id = "search-" + (id.hasPrefix("d-") ? String(id.dropFirst(2)) : id)
        }
        return set
    }

    /// `queries`, each rewritten with the rules above, in order, then with `synonyms` read as their group's
    /// first member.
    public static func normalized(_ queries: [String], synonyms: SearchSynonyms = .none) -> [String] {
        // A log repeats a few spellings thousands of times: each distinct one is rewritten once.
        var position: [String: Int] = [:]
        var distinct: [String] = []
        let index = queries.map { query in
            if let known = position[query] { return known }
            position[query] = distinct.count
            distinct.append(query)
            return distinct.count - 1
        }
        let pieces = distinct.map(Self.pieces)
        var vocabulary = Set<String>()
        for query in pieces { vocabulary.formUnion(query) }
        let rewritten = pieces.map { synonyms.applied(to: joined($0, vocabulary: vocabulary)).joined(separator: " ") }
        return index.map { rewritten[$0] }
    }

    /// The query's runs of letters and digits (any script; a run ends at anything else), lowercased. Stored
    /// queries already come lowercased with their punctuation spaced out (`SiteSearchLogReader.normalize`),
    /// but keep their hyphens and apostrophes, which split pieces here.
    /// ASCII queries (most) are split and lowercased on their bytes: through Unicode scalars and Strings it
    /// took four times as long, and a week of a large site holds hundreds of thousands of failed searches.
    static func pieces(_ query: String) -> [String] {
        guard query.utf8.allSatisfy({ $0 < 0x80 }) else {
            return query.unicodeScalars.split { !isLetterOrDigit($0) }.map { String(String.UnicodeScalarView($0)).lowercased() }
        }
        return query.utf8.split { !isLetterOrDigit(Unicode.Scalar($0)) }.map { piece in
            String(unsafeUninitializedCapacity: piece.count) { buffer in
                for (k, b) in piece.enumerated() { buffer[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
                return piece.count
            }
        }
    }

    /// ASCII told by value, without a property lookup.
    @inline(__always) static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return scalar.properties.isAlphabetic || scalar.properties.numericType != nil }
        let v = scalar.value
        return (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A) || (v >= 0x30 && v <= 0x39)
    }

    /// Neighbouring pieces joined where the joined form is itself a piece of some query. Left to right and
    /// pairwise: "usb c hub" is "usbc hub" when "usbc" was searched, whatever "usbchub" would be.
    static func joined(_ pieces: [String], vocabulary: Set<String>) -> [String] {
        var out: [String] = []
        var i = 0
        while i < pieces.count {
            if i + 1 < pieces.count, vocabulary.contains(pieces[i] + pieces[i + 1]) {
                out.append(pieces[i] + pieces[i + 1])
                i += 2
            } else {
                out.append(pieces[i])
                i += 1
            }
        }
        return out
    }
}
