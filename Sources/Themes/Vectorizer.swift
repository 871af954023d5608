public import Text

/// A sparse, L2-normalised document vector over interned term ids.
public struct SparseVector: Sendable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }
}

/// The boundary between documents and clustering: anything that yields one unit vector per document
/// (sparse TF-IDF today, dense sentence embeddings later) can be clustered.
public protocol DocumentVectors: Sendable {
    var count: Int { get }
    var dimensions: Int { get }
    /// Dot product of document `index` with a dense vector.
    func dot(_ index: Int, _ dense: [Float]) -> Float
    /// Adds `weight` times document `index` into a dense vector.
    func add(_ index: Int, into dense: inout [Float], weight: Float)
}

/// TF-IDF vectors (sublinear tf, smoothed idf, L2 norm) with their vocabulary.
public struct TermVectors: DocumentVectors {
    public var vectors: [SparseVector]
    public var vocabulary: [String]
    public var documentFrequency: [Int]

    public var count: Int { vectors.count }
    public var dimensions: Int { vocabulary.count }

    public func dot(_ index: Int, _ dense: [Float]) -> Float {
        let v = vectors[index]
        var sum: Float = 0
        for k in 0..<v.indices.count { sum += v.values[k] * dense[Int(v.indices[k])] }
        return sum
    }

    public func add(_ index: Int, into dense: inout [Float], weight: Float) {
        let v = vectors[index]
        for k in 0..<v.indices.count { dense[Int(v.indices[k])] += weight * v.values[k] }
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

    public init(stopwords: Set<String>) { self.stopwords = stopwords }

    /// The content terms (stemmed words) of one text, in order; `nil` marks a break (stopword or punctuation),
    /// so phrases never bridge them.
    public func terms(_ text: TokenizedText) -> [String?] {
        var surfaces: [String: String]?
        return terms(text, text.tokens.indices, surfaces: &surfaces)
    }

    /// A whole theme document: terms, terms per sentence, and the surface word of each stem.
    public func document(_ text: TokenizedText) -> ThemeDocument {
        var surfaces: [String: String]? = [:]
        let sentences = text.sentences.map { terms(text, $0, surfaces: &surfaces) }
        var all: [String?] = []
        for sentence in sentences {
            if !all.isEmpty, all.last != nil { all.append(nil) }
            all += sentence
        }
        let words = text.sentences.map { range in
            text.tokens[range].filter { $0.kind == .word }.map { Stemmer.stem(text.text(of: $0).lowercased().replacingApostrophes()) }
        }
        return ThemeDocument(terms: all, sentences: sentences, surfaces: surfaces ?? [:], words: words)
    }

    func terms(_ text: TokenizedText, _ range: Range<Int>, surfaces: inout [String: String]?) -> [String?] {
        var out: [String?] = []
        for token in text.tokens[range] {
            guard token.kind == .word || token.kind == .hashtag else {
                if out.last != nil { out.append(nil) }
                continue
            }
            var word = text.text(of: token).lowercased().replacingApostrophes()
            if token.kind == .hashtag { word.removeFirst() }
            if stopwords.contains(word) || word.count < 2 {
                if out.last != nil { out.append(nil) }
                continue
            }
            let stem = Stemmer.stem(word)
            if surfaces != nil, surfaces![stem] == nil { surfaces![stem] = word }
            out.append(stem)
        }
        return out
    }

    /// Term counts per document over the pruned vocabulary (unigrams only), for count-based models (GSDMM).
    public func counts(_ documents: [[String?]], vocabulary: [String]) -> [[(term: Int32, count: Int)]] {
        var index: [String: Int32] = [:]
        for (i, term) in vocabulary.enumerated() { index[term] = Int32(i) }
        return documents.map { doc in
            var counts: [Int32: Int] = [:]
            for term in doc { if let term, let id = index[term] { counts[id, default: 0] += 1 } }
            return counts.keys.sorted().map { ($0, counts[$0]!) }
        }
    }

    /// Builds TF-IDF vectors for `documents` (each a list of terms with breaks).
    public func vectors(_ documents: [[String?]]) -> TermVectors {
        // 1. Unigram and bigram counts for phrase detection.
        var unigram: [String: Int] = [:]
        var bigram: [String: Int] = [:]
        var totalTokens = 0
        for doc in documents {
            for (i, term) in doc.enumerated() {
                guard let term else { continue }
                unigram[term, default: 0] += 1
                totalTokens += 1
                if i + 1 < doc.count, let next = doc[i + 1] { bigram[term + " " + next, default: 0] += 1 }
            }
        }
        var phrases = Set<String>()
        let n = Double(max(totalTokens, 1))
        for (pair, count) in bigram where count >= minPhraseCount {
            let parts = pair.split(separator: " ")
            let pmi = log2(Double(count) * n / (Double(unigram[String(parts[0])]!) * Double(unigram[String(parts[1])]!)))
            if pmi >= minPMI { phrases.insert(pair) }
        }
        // 2. Document terms: unigrams plus phrases.
        let docTerms: [[String]] = documents.map { doc in
            var terms: [String] = []
            for (i, term) in doc.enumerated() {
                guard let term else { continue }
                terms.append(term)
                if i + 1 < doc.count, let next = doc[i + 1], phrases.contains(term + " " + next) { terms.append(term + " " + next) }
            }
            return terms
        }
        // 3. Document frequency and pruning; vocabulary ids in sorted order so ids never depend on input order.
        var df: [String: Int] = [:]
        for terms in docTerms { for term in Set(terms) { df[term, default: 0] += 1 } }
        let maxDF = max(Double(minDocumentFrequency), maxDocumentShare * Double(documents.count))
        let vocabulary = df.filter { $0.value >= minDocumentFrequency && Double($0.value) <= maxDF }.keys.sorted()
        var index: [String: Int32] = [:]
        for (i, term) in vocabulary.enumerated() { index[term] = Int32(i) }
        let frequencies = vocabulary.map { df[$0]! }
        let idf = frequencies.map { Float(log((1 + Double(documents.count)) / (1 + Double($0))) + 1) }
        // 4. Sublinear tf x idf, L2-normalised.
        let vectors: [SparseVector] = docTerms.map { terms in
            var counts: [Int32: Int] = [:]
            for term in terms { if let id = index[term] { counts[id, default: 0] += 1 } }
            let ids = counts.keys.sorted()
            var values = ids.map { Float(1 + log(Double(counts[$0]!))) * idf[Int($0)] }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { values = values.map { $0 / norm } }
            return SparseVector(indices: ids, values: values)
        }
        return TermVectors(vectors: vectors, vocabulary: vocabulary, documentFrequency: frequencies)
    }
}

/// Light English stemming: plurals, -ing, -ed and a few common suffixes, conservative enough that
/// a stem still reads as the word ("charged" → "charg" would not; "deliveries" → "delivery" does).
public enum Stemmer {
    public static func stem(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy({ $0.isASCII }) else { return word }
        var w = word
        if w.hasSuffix("'s") { w.removeLast(2) }
        if w.hasSuffix("ies"), w.count > 4 { return String(w.dropLast(3)) + "y" }
        if w.hasSuffix("sses") { return String(w.dropLast(2)) }
        // "boxes", "crashes", "watches", "fixes": -es after a sibilant is the plural ending.
        if w.hasSuffix("ches") || w.hasSuffix("shes") || w.hasSuffix("xes") || w.hasSuffix("zzes") { return String(w.dropLast(2)) }
        if w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is"), w.count > 3 { w.removeLast() }
        if w.hasSuffix("ing"), w.count > 5 { return undouble(String(w.dropLast(3))) }
        if w.hasSuffix("ed"), w.count > 4, !w.hasSuffix("eed") {
            let base = String(w.dropLast(2))
            if base.hasSuffix("i") { return String(base.dropLast()) + "y" }
            return undouble(base.hasSuffix("e") ? base : base + (needsE(base) ? "e" : ""))
        }
        return w
    }

    static func undouble(_ w: String) -> String {
        let chars = Array(w)
        if chars.count > 3, chars[chars.count - 1] == chars[chars.count - 2], !"lsz".contains(chars[chars.count - 1]) {
            return String(chars.dropLast())
        }
        return w
    }

    /// "charg" → "charge", "arriv" → "arrive": consonant + (v|g|c|s|z) endings usually took an e.
    static func needsE(_ base: String) -> Bool {
        guard let last = base.last else { return false }
        return "vgcz".contains(last) || base.hasSuffix("us") || base.hasSuffix("ur") && !base.hasSuffix("our")
    }
}

import Foundation
