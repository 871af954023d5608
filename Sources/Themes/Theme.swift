/// How badly an issue hurts, which sets how many affected customers ever complain (see the Impact stage).
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case moneyLoss = "money_loss", serious, average, qualityOrTreatment = "quality_or_treatment", minor

    public static func < (a: Severity, b: Severity) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// An issue theme: what customers raise, who owns it, and how to recognise it next week.
public struct Theme: Sendable, Codable, Hashable {
    public var id: String
    public var label: String
    public var keyphrases: [String]
    public var department: String
    public var severity: Severity
    /// True for themes from the curated taxonomy (they keep their names).
    public var curated: Bool
    /// Top terms with weights; compared by cosine to keep a theme's identity from week to week.
    public var signature: [String: Float]

    public init(
        id: String, label: String, keyphrases: [String], department: String, severity: Severity, curated: Bool,
        signature: [String: Float]
    ) {
        self.id = id
        self.label = label
        self.keyphrases = keyphrases
        self.department = department
        self.severity = severity
        self.curated = curated
        self.signature = signature
    }

    /// Whether a keyphrase of this theme and one of `other`'s are the same words, or one's words run inside
    /// the other's ("boots" in "leather boots"), compared stemmed. Whole words only: compared as strings,
    /// the failed search "usbc hub" (keyphrase "port") was related to every theme saying "support".
    public func sharesKeyphrase(with other: Theme) -> Bool {
        func runs(_ part: [String], inside whole: [String]) -> Bool {
            guard !part.isEmpty, part.count <= whole.count else { return false }
            return (0...(whole.count - part.count)).contains { whole[$0..<($0 + part.count)].elementsEqual(part) }
        }
        let mine = keyphrases.map { Stemmer.stems(of: $0) }, theirs = other.keyphrases.map { Stemmer.stems(of: $0) }
        return mine.contains { a in theirs.contains { b in runs(a, inside: b) || runs(b, inside: a) } }
    }

    /// The bucket of folded small clusters ("other", and its failed-search twin "search-other"): never the same
    /// theme as another week's anything, since what falls in it changes from week to week.
    public var isOther: Bool { id == "other" || id == "search-other" }

    /// Cosine similarity of two signatures.
    public static func similarity(_ a: [String: Float], _ b: [String: Float]) -> Float {
        // Summed in term order: a dictionary's order changes from process to process, and so did the last
        // bits of the sums (stored merge and split similarities differed between two runs of the same input).
        let sortedA = a.sorted { $0.key < $1.key }
        var dot: Float = 0
        for (term, weight) in sortedA { if let other = b[term] { dot += weight * other } }
        let na = sortedA.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
        let nb = norm(b)
        return na > 0 && nb > 0 ? dot / (na * nb) : 0
    }

    /// The length of a signature, summed in term order (for the same reason as in `similarity`).
    public static func norm(_ signature: [String: Float]) -> Float {
        signature.sorted { $0.key < $1.key }.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
    }

    /// How well a document fits this theme, 0...1: the cosine of its distinct terms, and of its adjacent term
    /// pairs (signatures hold phrases as "a b"), with the signature. `voc cluster --format jsonl` reports it
    /// as `score`; the theme's most representative messages score highest. 0 for themes without a signature.
    public func fit(_ document: ThemeDocument) -> Float { fit(document, signatureNorm: Theme.norm(signature)) }

    /// `fit` with `Theme.norm(signature)` computed once by a caller that scores many documents (sorting the
    /// signature for every line was half of `fit` in `voc cluster --format jsonl`).
    public func fit(_ document: ThemeDocument, signatureNorm norm: Float) -> Float {
        let features = Theme.features(document.terms)
        guard !features.isEmpty else { return 0 }
        let dot = features.reduce(Float(0)) { $0 + (signature[$1] ?? 0) }
        return norm > 0 ? min(1, dot / (Float(features.count).squareRoot() * norm)) : 0
    }

    /// The distinct terms of a run of terms and each adjacent pair as "a b" (signatures hold phrases so), in
    /// term order: a Set's order changes from process to process, and so would the last bits of any sum
    /// over them.
    static func features(_ terms: some Collection<String?>) -> [String] {
        var unique = Set(terms.compactMap { $0 })
        for (a, b) in zip(terms, terms.dropFirst()) {
            if let a, let b { unique.insert(a + " " + b) }
        }
        return unique.sorted()
    }
}

/// Examples that say different things: a theme's quotes in the report and its matches in `voc drill` were
/// one complaint several times over, with another greeting or emoji.
public enum Examples {
    /// The first `count` of `ranked` whose key no earlier one has, then, if too few differ, the others in
    /// their order.
    public static func distinctFirst<Item, Key: Hashable>(_ ranked: some Sequence<Item>, _ count: Int, key: (Item) -> Key) -> [Item] {
        var seen = Set<Key>(), chosen: [Item] = [], repeats: [Item] = []
        for item in ranked {
            guard chosen.count < count else { break }
            if seen.insert(key(item)).inserted {
                chosen.append(item)
            } else if repeats.count < count {
                repeats.append(item)
            }
        }
        return chosen + repeats.prefix(count - chosen.count)
    }

    /// What an example says of its theme is which of the theme's strongest terms it holds: its first
    /// `strongTerms` terms by weight of at least `strongShare` of the top weight. A greeting ("ugh", "hello")
    /// can rank among the first eight and made copies of one complaint read as different.
    public static let strongTerms = 8
    public static let strongShare = 0.5

    /// The strongest of a theme's signature terms (`strongTerms`, `strongShare`), each as its words.
    public static func strongestTerms(of theme: Theme) -> [[String]] {
        let weights = theme.signature.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(strongTerms)
        let top = Double(weights.first?.value ?? 0)
        return weights.filter { Double($0.value) >= strongShare * top }.map { $0.key.split(separator: " ").map(String.init) }
    }

    /// A theme's examples for the report and feeds: the best of each sub-theme first (`subThemeBest`, in
    /// sub-theme order), as each tells another part of the theme, then the theme's own `representatives`,
    /// each once; those `demoted` (praise in a complaint theme: "quick refund, very impressed" in "Refund
    /// not received") after all the others.
    public static func ofTheme(subThemeBest: [Int], representatives: [Int], count: Int = 5, demoted: (Int) -> Bool) -> [Int] {
        var seen = Set<Int>()
        let ordered = (subThemeBest + representatives).filter { seen.insert($0).inserted }
        return Array((ordered.filter { !demoted($0) } + ordered.filter(demoted)).prefix(count))
    }
}

/// One document handed to a theme finder: its content terms (with breaks) from `Vectorizer.document`.
///
/// Flat arrays, not per-sentence arrays and a dictionary: a week holds hundreds of thousands of these, and
/// building and freeing their parts was a third of the time of `voc cluster` outside clustering.
public struct ThemeDocument: Sendable {
    /// All content terms of the document, `nil` at breaks (stopwords, punctuation, sentence ends).
    public var terms: [String?]
    /// The word as written at each position of `terms` (empty at breaks), so labels read "refunds", not
    /// "refund" stems or "deliveri". Empty when the document was made from terms alone.
    public var written: [String]
    /// Each sentence's run of `terms`, so curated themes and mentions can be placed sentence by sentence.
    public var sentenceRanges: [Range<Int>]
    /// Every word of every sentence, stemmed, stopwords kept: curated seed phrases such as "on hold" or
    /// "my points" must match as written, not as their content words alone. Empty when not kept
    /// (`Vectorizer.keepsWords`). One array for the document, cut by `wordEnds`: an array per sentence,
    /// grown word by word, was the analysis's most frequent allocation (five million at a million messages).
    public var words: [String]
    /// Where each sentence's words end in `words` (one per sentence when words are kept).
    public var wordEnds: [Int]

    /// A document of one sentence.
    public init(terms: [String?], written: [String] = []) {
        self.terms = terms
        self.written = written
        sentenceRanges = terms.isEmpty ? [] : [0..<terms.count]
        words = []
        wordEnds = []
    }

    /// A document of these sentences, their terms joined with a break between them.
    public init(sentences: [[String?]]) {
        var terms: [String?] = []
        var ranges: [Range<Int>] = []
        for sentence in sentences {
            if !terms.isEmpty { terms.append(nil) }
            ranges.append(terms.count..<(terms.count + sentence.count))
            terms += sentence
        }
        self.terms = terms
        written = []
        sentenceRanges = ranges
        words = []
        wordEnds = []
    }

    /// The words of sentence `s` (empty when words are not kept).
    public func words(ofSentence s: Int) -> ArraySlice<String> {
        guard s < wordEnds.count else { return [] }
        return words[(s == 0 ? 0 : wordEnds[s - 1])..<wordEnds[s]]
    }

    /// The terms of each sentence.
    public var sentences: [ArraySlice<String?>] { sentenceRanges.map { terms[$0] } }

    /// The word as written where `stem` first occurs, if the document keeps written words.
    public func surface(of stem: String) -> String? {
        guard !written.isEmpty, let i = terms.firstIndex(where: { $0 == stem }) else { return nil }
        return written[i]
    }
}

/// A document's sentence that raises a theme (`sentence` is -1 when the whole document does).
public struct ThemeMention: Sendable, Equatable {
    public var document: Int
    public var sentence: Int
    public var theme: Int

    public init(document: Int, sentence: Int, theme: Int) {
        self.document = document
        self.sentence = sentence
        self.theme = theme
    }
}

/// What a theme finder returns: the themes, and for each document the index of its theme (nil: no theme).
public struct ThemeSet: Sendable {
    public var themes: [Theme]
    public var assignments: [Int?]
    /// For each theme, up to five documents that represent it best, best first (indices into the input).
    public var representatives: [[Int]]
    /// Index of the explicit "other" theme collecting folded tiny clusters, if any.
    public var other: Int?
    /// Documents with too few content terms to carry a theme.
    public var tooShort: Int
    /// Every mention: one per matching sentence for curated themes, one per document for discovered ones.
    public var mentions: [ThemeMention]
    /// Per theme, its sub-themes (empty where the theme does not split).
    public var subthemes: [[SubTheme]]

    public init(themes: [Theme], assignments: [Int?], representatives: [[Int]], other: Int?, tooShort: Int, mentions: [ThemeMention]? = nil) {
        self.themes = themes
        self.assignments = assignments
        self.representatives = representatives
        self.other = other
        self.tooShort = tooShort
        self.mentions = mentions ?? assignments.enumerated().compactMap { d, t in t.map { ThemeMention(document: d, sentence: -1, theme: $0) } }
        subthemes = themes.map { _ in [] }
    }
}

/// The Themes stage's role: documents in, themes and assignments out.
public protocol ThemeFinder: Sendable {
    func findThemes(_ documents: [ThemeDocument]) -> ThemeSet
}

/// The given-answer finder: uses assignments it is handed (for tests of later stages, and for replaying
/// a stored week without re-clustering).
public struct GivenThemes: ThemeFinder {
    public var themes: [Theme]
    public var assignments: [Int?]

    public init(themes: [Theme], assignments: [Int?]) {
        self.themes = themes
        self.assignments = assignments
    }

    public func findThemes(_ documents: [ThemeDocument]) -> ThemeSet {
        let reps = themes.indices.map { t in Array(assignments.indices.filter { assignments[$0] == t }.prefix(5)) }
        return ThemeSet(themes: themes, assignments: assignments, representatives: reps, other: nil, tooShort: 0)
    }
}
