import Foundation
public import Text

/// The boundary between documents and clustering: anything that yields one unit vector per document
/// (sparse TF-IDF today, dense sentence embeddings later) can be clustered.
public protocol DocumentVectors: Sendable {
    var count: Int { get }
    var dimensions: Int { get }
    /// Cosine of document `index` with every centroid, written to `scores` (lane c / 8, element c % 8).
    func similarities(_ index: Int, to centroids: Centroids, into scores: inout [Centroids.Lane])
    /// Cosine of document `index` with each document in `documents`, in order (k-means++ seeds a centroid
    /// with one document's vector, then needs every document's similarity to it, a slice per core).
    func similarities(toDocument index: Int, in documents: Range<Int>) -> [Float]
    /// Adds document `index` to centroid `cluster` (a sum, normalised by the caller).
    func add(_ index: Int, to centroids: inout Centroids, cluster: Int)
    /// Adds every document to the centroid of its cluster (`clusters[i]` for document i), in document order.
    func addAll(_ clusters: [Int], to centroids: inout Centroids)
}

/// TF-IDF vectors (sublinear tf, smoothed idf, L2 norm) with their vocabulary, stored as compressed sparse
/// rows: document i's term ids and weights are `terms[rows[i]..<rows[i + 1]]` and `weights[...]`.
public struct TermVectors: DocumentVectors {
    public var vocabulary: [String]
    public var documentFrequency: [Int]
    var rows: [Int]
    var terms: [Int32]
    var weights: [Float]
    /// Each document's unigram features with their counts (phrases left out), for count-based models:
    /// `countTerms[countRows[i]..<countRows[i + 1]]`, ascending, and `countValues[...]`.
    var countRows: [Int]
    var countTerms: [Int32]
    var countValues: [Int32]

    public var count: Int { rows.count - 1 }
    public var dimensions: Int { vocabulary.count }

    /// Document `index`'s unigram features and how often each occurs (phrases left out), ascending.
    public func counts(of index: Int) -> [(term: Int32, count: Int)] {
        (countRows[index]..<countRows[index + 1]).map { (countTerms[$0], Int(countValues[$0])) }
    }

    /// True when no term of document `index` survived pruning.
    public func isEmpty(_ index: Int) -> Bool { rows[index] == rows[index + 1] }

    /// Documents `indices` as vectors of their own, in order, in the same feature space (vocabulary,
    /// weights and counts as they are here).
    func selecting(_ indices: [Int]) -> TermVectors {
        var selected = TermVectors(
            vocabulary: vocabulary, documentFrequency: documentFrequency, rows: [0], terms: [], weights: [], countRows: [0], countTerms: [],
            countValues: [])
        selected.rows.reserveCapacity(indices.count + 1)
        selected.countRows.reserveCapacity(indices.count + 1)
        for i in indices {
            selected.terms += terms[rows[i]..<rows[i + 1]]
            selected.weights += weights[rows[i]..<rows[i + 1]]
            selected.rows.append(selected.terms.count)
            selected.countTerms += countTerms[countRows[i]..<countRows[i + 1]]
            selected.countValues += countValues[countRows[i]..<countRows[i + 1]]
            selected.countRows.append(selected.countTerms.count)
        }
        return selected
    }

    public func similarities(_ index: Int, to centroids: Centroids, into scores: inout [Centroids.Lane]) {
        let lanes = centroids.lanes
        let (start, end) = (rows[index], rows[index + 1])
        scores.withUnsafeMutableBufferPointer { out in
            centroids.values.withUnsafeBufferPointer { matrix in
                terms.withUnsafeBufferPointer { terms in
                    weights.withUnsafeBufferPointer { weights in
                        // Four lanes at a time, each summed over the document's terms in a register: term by
                        // term, every lane's running sum went to memory and back once per term (the sums are
                        // the same, added in the same order). 104,664 short documents: CPU 1.78 -> 1.59 s.
                        var l = 0
                        while l + 3 < lanes {
                            var (a, b, c, d) = (Centroids.Lane(), Centroids.Lane(), Centroids.Lane(), Centroids.Lane())
                            for p in start..<end {
                                let (row, w) = (Int(terms[p]) &* lanes &+ l, weights[p])
                                a += w * matrix[row]
                                b += w * matrix[row &+ 1]
                                c += w * matrix[row &+ 2]
                                d += w * matrix[row &+ 3]
                            }
                            (out[l], out[l + 1], out[l + 2], out[l + 3]) = (a, b, c, d)
                            l += 4
                        }
                        for tail in l..<lanes {
                            var a = Centroids.Lane()
                            for p in start..<end { a += weights[p] * matrix[Int(terms[p]) &* lanes &+ tail] }
                            out[tail] = a
                        }
                    }
                }
            }
        }
    }

    public func similarities(toDocument index: Int, in documents: Range<Int>) -> [Float] {
        // The document spread over a dense vector once, then every document read against it: looking each
        // term up in the centroid matrix instead touched one cache line per term (a column of a row-major
        // matrix), and k-means++ does this once for every centroid GSDMM leaves empty (about 40 of 77 on
        // BANKING77). Same products, summed in the same order.
        var dense = [Float](repeating: 0, count: dimensions)
        for p in rows[index]..<rows[index + 1] { dense[Int(terms[p])] = weights[p] }
        return dense.withUnsafeBufferPointer { dense in
            terms.withUnsafeBufferPointer { terms in
                weights.withUnsafeBufferPointer { weights in
                    documents.map { i in
                        var sum: Float = 0
                        for p in rows[i]..<rows[i + 1] { sum += weights[p] * dense[Int(terms[p])] }
                        return sum
                    }
                }
            }
        }
    }

    public func addAll(_ clusters: [Int], to centroids: inout Centroids) {
        // One pass with the matrix open: a call of `add` per document checked the matrix's uniqueness each time.
        let lanes = centroids.lanes
        centroids.values.withUnsafeMutableBufferPointer { matrix in
            for (index, cluster) in clusters.enumerated() {
                let (lane, element) = (cluster / 8, cluster % 8)
                for p in rows[index]..<rows[index + 1] { matrix[Int(terms[p]) &* lanes &+ lane][element] += weights[p] }
            }
        }
    }

    public func add(_ index: Int, to centroids: inout Centroids, cluster: Int) {
        let (lanes, lane, element) = (centroids.lanes, cluster / 8, cluster % 8)
        centroids.values.withUnsafeMutableBufferPointer { matrix in
            for p in rows[index]..<rows[index + 1] { matrix[Int(terms[p]) &* lanes &+ lane][element] += weights[p] }
        }
    }
}

/// Turns tokenized documents into theme terms: lowercase, stopwords out, light stemming, frequent
/// collocations joined into phrases ("credit card", "on hold"), rare and ubiquitous terms pruned.
public struct Vectorizer: Sendable {
    public var stopwords: Set<String>
    /// A term must occur in at least this many documents...
    public var minDocumentFrequency = 2
    /// ...and in at most this share of them.
    public var maxDocumentShare = 0.5
    /// A bigram becomes a phrase when seen at least this often and its PMI is at least `minPMI`.
    public var minPhraseCount = 3
    public var minPMI = 3.0

    /// Keep every word of each sentence (`ThemeDocument.words`) for curated seed phrases; pure discovery
    /// (`voc cluster`) has no curated themes and turns it off.
    public var keepsWords = true

    /// Letters with digits ("ps5", "usb3", "a4") are terms too. Off for messages, where they are mostly order
    /// and ticket numbers; on for site searches, where they are the models people look for.
    public var keepsIdentifiers = false

    /// Misspelt words read as the word meant ("tracikng" as "tracking"), lowercased (`Misspellings.swaps`).
    public var corrections: [String: String] = [:]

    public init(stopwords: Set<String>) { self.stopwords = stopwords }

    /// The content terms (stemmed words) of one text, in order; `nil` marks a break (stopword or punctuation),
    /// so phrases never bridge them.
    public func terms(_ text: TokenizedText) -> [String?] {
        var (terms, written, words, cache) = ([String?](), [String](), [String](), WordCache())
        appendTerms(text, text.tokens.indices, to: &terms, written: &written, words: &words, keepsWords: false, cache: &cache)
        return terms
    }

    /// A whole theme document: terms, the words as written, sentence ranges and (when kept) every word.
    public func document(_ text: TokenizedText) -> ThemeDocument {
        var cache = WordCache()
        return document(text, words: &cache)
    }

    /// What the vectorizer found out about a word (its stem, whether it is a stopword), kept by one caller
    /// (a chunk of documents): a week's messages repeat a few thousand words hundreds of thousands of times,
    /// and stemming every occurrence was a tenth of `voc cluster`; one lookup here replaces the stopword
    /// lookup too.
    public struct WordCache {
        /// ASCII words, found from the token's bytes (lowercased while hashing): no String is built and no
        /// String hashed for a word seen before (those were a third of tokenizing and vectorizing a message).
        var ascii = TermTable()
        var asciiWords: [(word: String, stem: String, isStopword: Bool)] = []
        /// Words with other scripts, by their lowercased text.
        var known: [String: (stem: String, isStopword: Bool)] = [:]

        public init() {}
    }

    /// `document` with what earlier documents taught about their words (one cache per chunk of messages).
    public func document(_ text: TokenizedText, words cache: inout WordCache) -> ThemeDocument {
        var document = ThemeDocument(terms: [])
        document.terms.reserveCapacity(text.tokens.count + text.sentences.count)
        document.written.reserveCapacity(text.tokens.count + text.sentences.count)
        document.sentenceRanges.reserveCapacity(text.sentences.count)
        if keepsWords {
            document.words.reserveCapacity(text.tokens.count)
            document.wordEnds.reserveCapacity(text.sentences.count)
        }
        for range in text.sentences {
            // A break before every sentence but the first (even after a break: documents have always been
            // built this way, and the canonical order of documents depends on it).
            if !document.terms.isEmpty {
                document.terms.append(nil)
                document.written.append("")
            }
            let start = document.terms.count
            appendTerms(
                text, range, to: &document.terms, written: &document.written, words: &document.words, keepsWords: keepsWords, cache: &cache)
            document.sentenceRanges.append(start..<document.terms.count)
            if keepsWords { document.wordEnds.append(document.words.count) }
        }
        return document
    }

    /// Appends the content terms of the tokens in `range` and the words they were written as; `words` gets
    /// every word's stem, stopwords included (curated seed phrases match on those). One pass: each word is
    /// lowercased and stemmed once for all three.
    func appendTerms(
        _ text: TokenizedText, _ range: Range<Int>, to out: inout [String?], written: inout [String], words: inout [String], keepsWords: Bool,
        cache: inout WordCache
    ) {
        let start = out.count
        for token in text.tokens[range] {
            guard token.kind == .word || token.kind == .hashtag || (keepsIdentifiers && token.kind == .identifier) else {
                if out.count > start {
                    out.append(nil)
                    written.append("")
                }
                continue
            }
            let (word, stem, isStopword) = lookUp(text, token, in: &cache)
            if keepsWords, token.kind == .word { words.append(stem) }
            if isStopword {
                if out.count > start {
                    out.append(nil)
                    written.append("")
                }
                continue
            }
            out.append(stem)
            written.append(word)
        }
    }

    /// The token's word (lowercased), its stem and whether it is a stopword, from the cache when seen before.
    @inline(__always)
    func lookUp(_ text: TokenizedText, _ token: Token, in cache: inout WordCache) -> (word: String, stem: String, isStopword: Bool) {
        let start = token.start + (token.kind == .hashtag ? 1 : 0)
        if !token.flags.contains(.nonASCII), start < token.end {
            let found = text.bytes.withUnsafeBufferPointer { cache.ascii.find(asciiLowercasing: UnsafeBufferPointer(rebasing: $0[start..<token.end])) }
            if let found { return cache.asciiWords[Int(found)] }
            let written = Vectorizer.lowercased(text, token, dropFirst: token.kind == .hashtag)
            let id = Int(cache.ascii.intern(written))
            if id == cache.asciiWords.count {
                let word = corrections[written] ?? written
                cache.asciiWords.append((word, Stemmer.stem(word), isStopword(word)))
            }
            return cache.asciiWords[id]
        }
        let word = Vectorizer.lowercased(text, token, dropFirst: token.kind == .hashtag)
        if let known = cache.known[word] { return (word, known.stem, known.isStopword) }
        let entry = (stem: Stemmer.stem(word), isStopword: isStopword(word))
        cache.known[word] = entry
        return (word, entry.stem, entry.isStopword)
    }

    private func isStopword(_ word: String) -> Bool {
        stopwords.contains(word) || word.utf8.count < 2 || (word.utf8.count <= 4 && word.count < 2)
    }

    /// The token's text, lowercased, with the curly apostrophe as `'`; ASCII without going through Unicode.
    static func lowercased(_ text: TokenizedText, _ token: Token, dropFirst: Bool) -> String {
        let start = token.start + (dropFirst ? 1 : 0)
        guard token.flags.contains(.nonASCII) else {
            return String(unsafeUninitializedCapacity: token.end - start) { buffer in
                for k in start..<token.end {
                    let b = text.bytes[k]
                    buffer[k - start] = b >= 0x41 && b <= 0x5A ? b + 32 : b
                }
                return token.end - start
            }
        }
        return String(decoding: text.bytes[start..<token.end], as: UTF8.self).lowercased().replacingApostrophes()
    }

    /// Builds TF-IDF vectors for `documents` (each a list of terms with breaks).
    public func vectors(_ documents: [[String?]]) -> TermVectors { vectors(InternedTerms(documents)) }

    /// Builds TF-IDF vectors for interned documents; integer keys throughout, strings only for the vocabulary.
    public func vectors(_ interned: InternedTerms) -> TermVectors {
        vectors(interned, parts: slicesPerCore(interned.documents.count, minimumSlice: 2_048))
    }

    /// `vectors` with the per-document weighting done in `parts` slices at once (the same result for any number).
    func vectors(_ interned: InternedTerms, parts: Int) -> TermVectors {
        let documents = interned.documents
        let v = interned.vocabulary.count
        // 1. Unigram and bigram counts for phrase detection.
        var unigram = [Int](repeating: 0, count: v)
        var bigram: [Int64: Int] = [:]
        var totalTokens = 0
        for doc in documents {
            for i in doc.indices where doc[i] >= 0 {
                unigram[Int(doc[i])] += 1
                totalTokens += 1
                if i + 1 < doc.count, doc[i + 1] >= 0 { bigram[InternedTerms.pair(doc[i], doc[i + 1]), default: 0] += 1 }
            }
        }
        // Phrases are numbered after the unigrams: feature v + p.
        var phraseIndex: [Int64: Int32] = [:]
        var phrasePairs: [Int64] = []
        let n = Double(max(totalTokens, 1))
        for (pair, count) in bigram where count >= minPhraseCount {
            let (a, b) = InternedTerms.split(pair)
            let pmi = log2(Double(count) * n / (Double(unigram[Int(a)]) * Double(unigram[Int(b)])))
            if pmi >= minPMI { phrasePairs.append(pair) }
        }
        phrasePairs.sort()
        for (p, pair) in phrasePairs.enumerated() { phraseIndex[pair] = Int32(v + p) }
        // 2. Document features: unigrams plus phrases; document frequency with a last-seen marker per feature.
        let features = v + phrasePairs.count
        var df = [Int](repeating: 0, count: features)
        var lastSeen = [Int](repeating: -1, count: features)
        var docFeatures: [[Int32]] = []
        docFeatures.reserveCapacity(documents.count)
        for (d, doc) in documents.enumerated() {
            var out: [Int32] = []
            out.reserveCapacity(doc.count)
            for i in doc.indices where doc[i] >= 0 {
                out.append(doc[i])
                if !phraseIndex.isEmpty, i + 1 < doc.count, doc[i + 1] >= 0, let p = phraseIndex[InternedTerms.pair(doc[i], doc[i + 1])] {
                    out.append(p)
                }
            }
            for f in out where lastSeen[Int(f)] != d {
                lastSeen[Int(f)] = d
                df[Int(f)] += 1
            }
            docFeatures.append(out)
        }
        // 3. Pruning; vocabulary ids in sorted order of the terms, so ids never depend on input order.
        func name(_ f: Int) -> String {
            if f < v { return interned.vocabulary[f] }
            let (a, b) = InternedTerms.split(phrasePairs[f - v])
            return interned.vocabulary[Int(a)] + " " + interned.vocabulary[Int(b)]
        }
        let maxDF = max(Double(minDocumentFrequency), maxDocumentShare * Double(documents.count))
        let kept = (0..<features).filter { df[$0] >= minDocumentFrequency && Double(df[$0]) <= maxDF }.map { ($0, name($0)) }
            .sorted { $0.1 < $1.1 }
        var finalIndex = [Int32](repeating: -1, count: features)
        var isUnigram = [Bool](repeating: false, count: kept.count)
        for (i, (f, _)) in kept.enumerated() {
            finalIndex[f] = Int32(i)
            isUnigram[i] = f < v
        }
        let frequencies = kept.map { df[$0.0] }
        let idf = frequencies.map { Float(log((1 + Double(documents.count)) / (1 + Double($0))) + 1) }
        // 4. Sublinear tf x idf, L2-normalised; the unigram counts on the way (GSDMM's input). Each document
        // on its own, so in slices on every core, joined in order.
        let (perDocument, finalIDs, unigrams) = (docFeatures, finalIndex, isUnigram)
        let slices = inSlices(count: perDocument.count, parts: parts) { range in
            var rows: [Int] = [], terms: [Int32] = [], weights: [Float] = []
            var countRows: [Int] = [], countTerms: [Int32] = [], countValues: [Int32] = []
            var ids: [Int32] = []  // one buffer for every document
            for document in perDocument[range] {
                ids.removeAll(keepingCapacity: true)
                for f in document where finalIDs[Int(f)] >= 0 { ids.append(finalIDs[Int(f)]) }
                ids.sort()
                var k = 0
                let first = terms.count
                while k < ids.count {
                    var run = 1
                    while k + run < ids.count, ids[k + run] == ids[k] { run += 1 }
                    terms.append(ids[k])
                    weights.append(Float(1 + log(Double(run))) * idf[Int(ids[k])])
                    if unigrams[Int(ids[k])] {
                        countTerms.append(ids[k])
                        countValues.append(Int32(run))
                    }
                    k += run
                }
                let norm = weights[first...].reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { for w in first..<weights.count { weights[w] /= norm } }
                rows.append(terms.count)
                countRows.append(countTerms.count)
            }
            return (rows: rows, terms: terms, weights: weights, countRows: countRows, countTerms: countTerms, countValues: countValues)
        }
        var rows = [0], terms: [Int32] = [], weights: [Float] = []
        var countRows = [0], countTerms: [Int32] = [], countValues: [Int32] = []
        for slice in slices {
            let (base, countBase) = (terms.count, countTerms.count)
            rows += slice.rows.map { $0 + base }
            countRows += slice.countRows.map { $0 + countBase }
            terms += slice.terms
            weights += slice.weights
            countTerms += slice.countTerms
            countValues += slice.countValues
        }
        return TermVectors(
            vocabulary: kept.map(\.1), documentFrequency: frequencies, rows: rows, terms: terms, weights: weights,
            countRows: countRows, countTerms: countTerms, countValues: countValues)
    }
}

/// Documents' terms interned once to integer ids. Ids are ranks in the sorted vocabulary, so they (and any
/// order derived from them) never depend on the order of the input.
public struct InternedTerms: Sendable {
    public var vocabulary: [String]
    /// Per document, term ids in order; -1 marks a break.
    public var documents: [[Int32]]

    public init(vocabulary: [String], documents: [[Int32]]) {
        self.vocabulary = vocabulary
        self.documents = documents
    }

    public init(_ documents: [[String?]]) {
        self.init(documents, parts: slicesPerCore(documents.count, minimumSlice: 1_024))
    }

    /// Interns in `parts` slices of the documents at once (a week's worth of string hashing is otherwise
    /// one core's), then merges their vocabularies. Ids are ranks in the merged sorted vocabulary, so the
    /// result is the same for any number of parts.
    init(_ documents: [[String?]], parts: Int) {
        let local = inSlices(count: documents.count, parts: parts) { range -> (keys: [String], documents: [[Int32]]) in
            var ids: [String: Int32] = [:]
            var keys: [String] = []
            let slice: [[Int32]] = documents[range].map { doc in
                doc.map { term in
                    guard let term else { return -1 }
                    if let id = ids[term] { return id }
                    let id = Int32(keys.count)
                    ids[term] = id
                    keys.append(term)
                    return id
                }
            }
            return (keys, slice)
        }
        vocabulary = Array(Set(local.lazy.flatMap(\.keys))).sorted()
        let rank = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0)) })
        self.documents = local.flatMap { slice in
            let ranks = slice.keys.map { rank[$0]! }
            return slice.documents.map { $0.map { $0 < 0 ? -1 : ranks[Int($0)] } }
        }
    }

    /// Documents `members`, in that order, interned on their own: the vocabulary of the terms they use,
    /// ids their ranks in it. The same as interning their terms anew (a rank in a sorted vocabulary keeps
    /// its order in any part of it), without hashing a string: a week's themes split from the week's
    /// interned terms, where interning every large theme's members again was a fortieth of a million-message
    /// analysis.
    func selecting(_ members: [Int]) -> InternedTerms {
        var local = [Int32](repeating: -1, count: vocabulary.count)
        for m in members { for id in documents[m] where id >= 0 { local[Int(id)] = 0 } }
        var used: [String] = []
        for id in local.indices where local[id] == 0 {
            local[id] = Int32(used.count)
            used.append(vocabulary[id])
        }
        return InternedTerms(vocabulary: used, documents: members.map { documents[$0].map { $0 < 0 ? -1 : local[Int($0)] } })
    }

    static func pair(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(b) }
    static func split(_ pair: Int64) -> (Int32, Int32) { (Int32(pair >> 32), Int32(truncatingIfNeeded: pair)) }
}
