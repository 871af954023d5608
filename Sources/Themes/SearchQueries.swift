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
        let searches = normalized(queries, synonyms: synonyms)
        let documents = searches.map { vectorizer.document(tokenizer.tokenize($0)) }
        var finder = LexicalThemeFinder(vectorizer: vectorizer, taxonomy: .empty, k: nil, seed: seed)
        finder.clustersDistinctDocuments = true
        finder.mergeThreshold = 0.35
        finder.splitsUnconnected = true
        finder.mergesVariants = false  // two products searched for are two demands
        finder.attachesSmallClusters = 0.25  // one word of a two-word query in common with the demand (docs/themes.md)
        var set = finder.findThemes(documents)
        var members = set.themes.map { _ in [String]() }
        for (d, t) in set.assignments.enumerated() { if let t { members[t].append(searches[d]) } }
        var labels = Set(set.themes.map(\.label))
        for t in set.themes.indices where t != set.other && !set.themes[t].curated {
            let label = set.themes[t].label
            // Kept among the keyphrases, so a label a week chose stays while its words stay common
            // (`ThemeIdentity.steadyLabels`): widened at two searches in three, held down to one in two, and the
            // plain phrase held as well; the label does not flip with a share that hovers near the line.
            let shared = labelsNamingMost(label, of: members[t], shares: [labelShare, heldShare], stopwords: vectorizer.stopwords)
            let (widened, held) = (shared[0], shared[1])
            for phrase in [held, widened] where phrase != label && !set.themes[t].keyphrases.contains(phrase) {
                set.themes[t].keyphrases.insert(phrase, at: 0)
            }
            guard widened != label, !labels.contains(widened) else { continue }
            labels.insert(widened)
            set.themes[t].label = widened
            set.themes[t].id = "d-" + ThemeLabeler.slug(widened)
        }
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

    /// Share of a demand's searches a word must be in to belong in its label, and the fewest searches a
    /// label is widened for.
    static let labelShare = 2.0 / 3.0, heldShare = 0.5, fewestSearchesToWiden = 6

    /// `label` widened to the words at least `share` of the demand's `searches` (normalized, one per search)
    /// carry, as the most searched form that holds them all writes them (one that writes the label as it
    /// is first: "vegan leather boots" before "vegan leather boot women"); `label` when none is missing or
    /// no form holds them all. The labeler names the phrase the queries share, and a modifier only two searches
    /// in three carry fell out of it, which can turn a demand round: "leather boots" for searches asking
    /// for vegan boots ("vegan leather boots", "vegan boots", "non leather boots"). Labels of two phrases
    /// ("ps5 / controller") are left as they are: no single search form writes them.
    public static func labelNamingMost(_ label: String, of searches: [String], share: Double, stopwords: Set<String>) -> String {
        labelsNamingMost(label, of: searches, shares: [share], stopwords: stopwords)[0]
    }

    /// `labelNamingMost` at each of `shares`, the searches counted once.
    static func labelsNamingMost(_ label: String, of searches: [String], shares: [Double], stopwords: Set<String>) -> [String] {
        // labelParts differs from [label] for "a / b", "a, c" and "a (2)".
        guard searches.count >= fewestSearchesToWiden, !label.isEmpty, ThemeIdentity.labelParts(label) == [label] else {
            return shares.map { _ in label }
        }
        var forms: [String: Int] = [:]
        for search in searches { forms[search, default: 0] += 1 }
        var carriers: [String: Int] = [:]  // stem: how many searches hold it
        for (form, count) in forms {
            let words = form.split(separator: " ").map(String.init).filter { !stopwords.contains($0) }
            for stem in Set(words.map(Stemmer.stem)) { carriers[stem, default: 0] += count }
        }
        let named = Set(Stemmer.stems(of: label))
        // The forms in the order they are tried, each with its words and their stems.
        let ordered = forms.keys.map { form in (form, form.split(separator: " ").map(String.init), " \(form) ".contains(" \(label) ") ? 1 : 0) }
            .sorted { ($0.2, forms[$0.0]!, $1.0) > ($1.2, forms[$1.0]!, $0.0) }
            .map { ($0.1, $0.1.map(Stemmer.stem)) }
        return shares.map { share in
            let missing = carriers.filter { !named.contains($0.key) && Double($0.value) >= share * Double(searches.count) }
            guard !missing.isEmpty else { return label }
            let wanted = named.union(missing.keys)
            for (words, stems) in ordered {
                guard wanted.isSubset(of: stems), let first = stems.firstIndex(where: wanted.contains),
                    let last = stems.lastIndex(where: wanted.contains)
                else { continue }
                return words[first...last].joined(separator: " ")
            }
            return label
        }
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
