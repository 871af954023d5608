import Dispatch
import Foundation
public import Text

/// Finds themes from words alone: curated taxonomy terms first, then spherical k-means on TF-IDF for the rest.
///
/// The number of themes is chosen automatically unless `k` is set: over-cluster (k = sqrt(n/2), 4...60),
/// merge clusters whose centroids are more similar than `mergeThreshold`, and fold clusters smaller than
/// `minThemeSize` into an explicit "other" theme whose size is reported.
public struct LexicalThemeFinder: ThemeFinder {
    public var vectorizer: Vectorizer
    public var taxonomy: Taxonomy
    public var k: Int?
    public var seed: UInt64
    public var mergeThreshold: Float = 0.55
    /// A discovered cluster at least this similar (signature cosine) to a curated theme is merged into it.
    public var mergeIntoCurated: Float = 0.4
    public var minThemeSize = 3
    /// Seeded GSDMM + k-means runs; the one with the best objective wins. `nil`: two when k is chosen
    /// automatically, one when k is given. With automatic k the second run halves the spread of NMI over
    /// seeds; with k given it changed no mean NMI on three labelled sets (docs/themes.md), and one run
    /// leaves the second core to k-means. Never the core count: the themes must not depend on the machine.
    public var restarts: Int?
    /// GSDMM's cluster prior. The paper's 0.1 lets clusters empty out, which is how GSDMM infers their
    /// number; here GSDMM only seeds k-means at a k already chosen, so a uniform prior over cluster shares
    /// (1) keeps the k clusters populated. Measured in docs/themes.md.
    public var mixtureAlpha = 1.0
    /// Most documents GSDMM samples from before k-means takes over.
    public var mixtureSample = 4_000
    /// GSDMM's sweeps. It only gives k-means its starting clusters, and a few sweeps from the random start
    /// do that as well as fifteen: mean NMI over 27 seeds at 2, 3, 4, 6, 8 and 15 sweeps was flat on
    /// BANKING77 and higher, not lower, with fewer on its train + test set; 4 had the highest mean on both
    /// (docs/themes.md).
    public var mixtureSweeps = 4
    /// Split themes into sub-themes (`SubThemeFinder`); off where only the first level is wanted.
    public var findsSubThemes = true
    /// Place mentions of discovered themes at sentence level (`sentenceMentions`); off where only each
    /// document's theme is wanted. Sub-themes are found from mentions, so they turn this on.
    public var findsSentenceMentions = true
    /// A document needs at least this many content terms to carry a theme.
    public var minTerms = 1
    /// Split each discovered theme into the groups of its documents that share words (`connectedParts`).
    /// For failed searches: a query of two or three words that shares none with its theme's other queries
    /// is there only because k-means had to put it somewhere, and a demand theme must not count it.
    public var splitsUnconnected = false
    /// When set, a document of a cluster too small to keep joins the kept theme whose centroid it is at least
    /// this similar to (cosine), and only the rest go to "other". For failed searches: "toddler raincoat",
    /// searched twice, is the "kids raincoat" demand, not a small theme of its own. Off for messages, whose
    /// "other" count says how much the themes leave out.
    public var attachesSmallClusters: Float?
    /// Discovery clusters each distinct document once (identical terms in the same order), and a cluster's
    /// size counts the copies. For failed searches: a log repeats a few query spellings thousands of times,
    /// and clustered copy by copy the grouping depended on the volume (k grows with the documents, and
    /// document frequencies, phrases and merges with it): the sample week's five demands came back as
    /// eleven at ten times the searches. Clustered as distinct queries, the same queries group the same way
    /// at any volume; only whether a group is big enough to keep depends on how often it was searched.
    public var clustersDistinctDocuments = false
    /// Merge clusters that are one theme about different things (`mergingVariants`): "really happy with my
    /// blender" and "… my kettle". For messages: with more documents k-means has clusters to spare, and the
    /// week's millionth message split the praise of products into one theme per product. Off for failed
    /// searches, where the thing searched for is the demand.
    public var mergesVariants = true
    /// Curated seed terms and exclusions, already turned into term sequences, each owned by its entry.
    private let seeds: TermSequences
    private let exclusions: TermSequences

    /// `seeds` and `exclusions` are term sequences owned by taxonomy entries (`TermSequences`), made from
    /// the entries' terms by the initialiser that takes a tokenizer.
    init(vectorizer: Vectorizer, taxonomy: Taxonomy, k: Int?, seed: UInt64, seeds: TermSequences, exclusions: TermSequences) {
        self.vectorizer = vectorizer
        self.taxonomy = taxonomy
        self.k = k
        self.seed = seed
        self.seeds = seeds
        self.exclusions = exclusions
    }

    /// A finder that matches no curated terms: discovery only (the taxonomy still names the departments).
    public init(vectorizer: Vectorizer, taxonomy: Taxonomy, k: Int? = nil, seed: UInt64 = 1) {
        self.init(vectorizer: vectorizer, taxonomy: taxonomy, k: k, seed: seed, seeds: TermSequences(), exclusions: TermSequences())
    }

    public func findThemes(_ documents: [ThemeDocument]) -> ThemeSet {
        var assignments = [Int?](repeating: nil, count: documents.count)
        var themes: [Theme] = []
        var representatives: [[Int]] = []
        var tooShort = 0
        // 1. Curated themes: a document matches when it holds one of the theme's seed term sequences.
        var curatedIndex: [Int: Int] = [:]
        var open: [Int] = []
        var mentions: [ThemeMention] = []
        // How many documents each seed (by its index among the seed sequences) brought in: a curated theme's
        // keyphrases are the seeds its customers used most, not the first ones the taxonomy lists.
        var seedUse = [Int](repeating: 0, count: seeds.count)
        for (d, found) in curatedMatches(documents).enumerated() {
            guard let matched = found else {
                tooShort += 1
                continue
            }
            guard !matched.isEmpty else {
                open.append(d)
                continue
            }
            for (s, entry, seed) in matched {
                if curatedIndex[entry] == nil {
                    let e = taxonomy.entries[entry]
                    curatedIndex[entry] = themes.count
                    themes.append(Theme(id: e.id, label: e.name, keyphrases: [], department: e.department,
                                        severity: e.severity, curated: true, signature: [:]))
                    representatives.append([])
                }
                mentions.append(ThemeMention(document: d, sentence: s, theme: curatedIndex[entry]!))
                seedUse[seed] += 1
            }
            assignments[d] = curatedIndex[matched[0].entry]
        }
        // Sequences are made in taxonomy order, so among equal counts the lower index is the term listed first.
        let usedSeeds = seedUse.indices.filter { seedUse[$0] > 0 }.sorted { (seedUse[$0], -$0) > (seedUse[$1], -$1) }
        for s in usedSeeds {
            guard let t = curatedIndex[seeds.owner(of: s)], themes[t].keyphrases.count < 4 else { continue }
            themes[t].keyphrases.append(seeds.written[s])
        }
        // 2. Discovery on the rest, in a canonical order so shuffled input gives the same themes.
        // Every document's terms interned once: discovery reads the open ones, labelling all of them. (Ids
        // are ranks in the sorted vocabulary, so the terms of curated documents change no order among the
        // open ones.)
        let all = InternedTerms(documents.map(\.terms))
        let interned = InternedTerms(vocabulary: all.vocabulary, documents: open.map { all.documents[$0] })
        let ordered = open.indices.sorted {
            let (a, b) = (interned.documents[$0], interned.documents[$1])
            return a == b ? open[$0] < open[$1] : a.lexicographicallyPrecedes(b)
        }
        let discovered = discover(InternedTerms(vocabulary: interned.vocabulary, documents: ordered.map { interned.documents[$0] }))
        let orderedDocuments = ordered.map { open[$0] }
        let offset = themes.count
        for (i, d) in orderedDocuments.enumerated() { assignments[d] = discovered.assignments[i].map { $0 + offset } }
        themes += discovered.themes
        // 3. Signatures, labels and representatives for every theme from its documents.
        let labeled = ThemeLabeler.label(
            documents: documents, interned: all, assignments: assignments, themes: themes, keepLabels: Set(0..<offset))
        themes = labeled.themes
        representatives = labeled.representatives
        // A discovered cluster that is a near-duplicate of a curated theme is merged into it.
        var absorbed: [Int: Int] = [:]
        for t in offset..<themes.count where themes[t].id != "other" {
            let best = (0..<offset).map { (Theme.similarity(themes[t].signature, themes[$0].signature), $0) }.max { $0 < $1 }
            if let best, best.0 >= mergeIntoCurated { absorbed[t] = best.1 }
        }
        if !absorbed.isEmpty {
            for d in assignments.indices { if let t = assignments[d], let target = absorbed[t] { assignments[d] = target } }
            for m in mentions.indices { if let target = absorbed[mentions[m].theme] { mentions[m].theme = target } }
            let relabeled = ThemeLabeler.label(
                documents: documents, interned: all, assignments: assignments, themes: themes, keepLabels: Set(0..<offset))
            themes = relabeled.themes
            representatives = relabeled.representatives
        }
        let curated = themes.filter(\.curated)
        for t in themes.indices where !themes[t].curated && themes[t].id != "other" { themes[t].department = department(for: themes[t], curated: curated) }
        let other = discovered.other.map { $0 + offset }
        for d in orderedDocuments { if let t = assignments[d] { mentions.append(ThemeMention(document: d, sentence: -1, theme: t)) } }
        mentions = mentions.map { m in var m = m; if let target = absorbed[m.theme] { m.theme = target }; return m }
        // Drop themes left without documents (absorbed ones), renumbering everything that points at themes.
        let used = Set(assignments.compactMap { $0 }).union(mentions.map(\.theme))
        var renumber: [Int: Int] = [:]
        var kept: [Theme] = [], keptReps: [[Int]] = []
        for t in themes.indices where used.contains(t) {
            renumber[t] = kept.count
            kept.append(themes[t])
            keptReps.append(representatives[t])
        }
        themes = kept
        representatives = keptReps
        assignments = assignments.map { $0.flatMap { renumber[$0] } }
        mentions = mentions.compactMap { m in renumber[m.theme].map { ThemeMention(document: m.document, sentence: m.sentence, theme: $0) } }
        if findsSentenceMentions || findsSubThemes { mentions = sentenceMentions(mentions, documents: documents, themes: themes) }
        var set = ThemeSet(
            themes: themes, assignments: assignments, representatives: representatives, other: other.flatMap { renumber[$0] },
            tooShort: tooShort, mentions: mentions)
        // Second level: every theme but "other", from the documents that mention it.
        if findsSubThemes {
            var members = [Set<Int>](repeating: [], count: themes.count)
            for m in mentions { members[m.theme].insert(m.document) }
            // Themes split independently of each other: on every core.
            let splitter = SubThemeFinder(vectorizer: vectorizer, seed: seed)
            let slots = Slots<[SubTheme]>(count: themes.count)
            let memberLists = members.map { $0.sorted() }
            let (split, other) = (themes, set.other)
            DispatchQueue.concurrentPerform(iterations: split.count) { t in
                guard t != other else { return }
                slots.set(t, splitter.split(documents, members: memberLists[t], of: split[t], interned: all))
            }
            set.subthemes = slots.values.map { $0 ?? [] }
        }
        return set
    }

    /// Cosine between a sentence's terms and a discovered theme's signature from which the sentence raises
    /// that theme too (a second issue in the same message). Between the department threshold (0.3) and the
    /// identity threshold (0.5): a sentence is short, so its cosine with a 30-term signature runs low.
    public static let sentenceThemeThreshold: Float = 0.35
    /// Content terms a sentence needs to raise a theme of its own: closers such as "I want this fixed" or
    /// "highly recommend" (two terms) match generic clusters exactly and say nothing new.
    public static let sentenceThemeTerms = 3

    /// Discovered themes at sentence level. A multi-sentence message's mention of its own theme moves to the
    /// sentence that matches the theme best (so the theme gets that sentence's sentiment, not the message's),
    /// and any other sentence of at least `sentenceThemeTerms` content terms that matches another discovered
    /// theme at `sentenceThemeThreshold` mentions that theme too. One-sentence messages and curated mentions (already per sentence) are left as they are.
    func sentenceMentions(_ mentions: [ThemeMention], documents: [ThemeDocument], themes: [Theme]) -> [ThemeMention] {
        var index: [String: [(theme: Int, weight: Float)]] = [:]
        var norms = [Float](repeating: 0, count: themes.count)
        for t in themes.indices where !themes[t].curated && themes[t].id != "other" {
            for (term, weight) in themes[t].signature.sorted(by: { $0.key < $1.key }) {
                index[term, default: []].append((t, weight))
                norms[t] += weight * weight
            }
            norms[t] = norms[t].squareRoot()
        }
        guard !index.isEmpty else { return mentions }
        var out: [ThemeMention] = []
        out.reserveCapacity(mentions.count)
        for m in mentions {
            let sentences = documents[m.document].sentences
            guard m.sentence < 0, norms[m.theme] > 0, sentences.count >= 2 else {
                out.append(m)
                continue
            }
            var own: (cosine: Float, sentence: Int) = (0, -1)
            var others: [Int: (cosine: Float, sentence: Int)] = [:]
            for (s, sentence) in sentences.enumerated() {
                let words = sentence.count { $0 != nil }
                let terms = Theme.features(sentence)
                guard !terms.isEmpty else { continue }
                var dots: [Int: Float] = [:]
                for term in terms { for entry in index[term] ?? [] { dots[entry.theme, default: 0] += entry.weight } }
                let sentenceNorm = Float(terms.count).squareRoot()
                for (t, dot) in dots {
                    let cosine = dot / (sentenceNorm * norms[t])
                    if t == m.theme {
                        if cosine > own.cosine { own = (cosine, s) }
                    } else if words >= Self.sentenceThemeTerms, cosine >= Self.sentenceThemeThreshold,
                        cosine > (others[t]?.cosine ?? 0)
                    {
                        others[t] = (cosine, s)
                    }
                }
            }
            out.append(ThemeMention(document: m.document, sentence: own.sentence, theme: m.theme))
            for (t, best) in others.sorted(by: { $0.key < $1.key }) where best.sentence != own.sentence || own.sentence < 0 {
                out.append(ThemeMention(document: m.document, sentence: best.sentence, theme: t))
            }
        }
        return out
    }

    /// Each document's curated matches as (sentence, taxonomy entry, seed), first match per entry, or nil when
    /// the document is too short to carry a theme. Documents match independently of each other: on every core.
    private func curatedMatches(_ documents: [ThemeDocument]) -> [[(sentence: Int, entry: Int, seed: Int)]?] {
        inSlices(count: documents.count, parts: slicesPerCore(documents.count, minimumSlice: 2_048)) { range in
            documents[range].map(curatedMatches)
        }.flatMap { $0 }
    }

    /// Each curated entry the document raises, with the first sentence that raises it and the seed sequence
    /// that matched there; nil when the document has too few content terms.
    private func curatedMatches(_ document: ThemeDocument) -> [(sentence: Int, entry: Int, seed: Int)]? {
        let contentTerms = document.terms.count { $0 != nil }
        if contentTerms == 0 || contentTerms < minTerms { return nil }
        var matched: [(sentence: Int, entry: Int, seed: Int)] = []
        guard !seeds.isEmpty else { return matched }
        for s in document.wordEnds.indices {
            let sentence = document.words(ofSentence: s)
            for (entry, seed) in matchCurated(count: sentence.count, { sentence[sentence.startIndex + $0] }) where !matched.contains(where: { $0.entry == entry }) {
                matched.append((s, entry, seed))
            }
        }
        return matched
    }

    /// Curated entries whose seed terms occur in `terms` and none of whose exclusions do, in taxonomy order.
    public func matchCurated(_ terms: [String?]) -> [Int] { matchCurated(count: terms.count) { terms[$0] }.map(\.entry) }

    /// How many words in all may stand between the words of a seed term of several words: "my package is 4
    /// days late" says "package is late", "charged me twice" says "charged twice". Two, so that a seed stays
    /// within one phrase of the sentence.
    public static let seedGap = 2

    /// `matchCurated` over any list of terms (a sentence's words need no copy as optionals), each entry with
    /// the seed sequence that matched first.
    private func matchCurated(count: Int, _ term: (Int) -> String?) -> [(entry: Int, seed: Int)] {
        var found = seeds.owners(count: count, gap: Self.seedGap, term)
        if !found.isEmpty, !exclusions.isEmpty {
            for excluded in exclusions.owners(count: count, gap: Self.seedGap, term).keys { found[excluded] = nil }
        }
        return found.keys.sorted().map { ($0, found[$0]!) }
    }

    struct Discovered {
        var themes: [Theme]
        var assignments: [Int?]
        var other: Int?
    }

    private func discover(_ documents: InternedTerms) -> Discovered {
        guard clustersDistinctDocuments else { return discover(documents, copies: nil) }
        var distinct: [[Int32]] = [], copies: [Int] = [], index: [[Int32]: Int] = [:]
        let of = documents.documents.map { terms in
            if let i = index[terms] {
                copies[i] += 1
                return i
            }
            index[terms] = distinct.count
            distinct.append(terms)
            copies.append(1)
            return distinct.count - 1
        }
        let found = discover(InternedTerms(vocabulary: documents.vocabulary, documents: distinct), copies: copies)
        return Discovered(themes: found.themes, assignments: of.map { found.assignments[$0] }, other: found.other)
    }

    /// Discovery on `documents`, each standing for `copies[i]` identical ones (one each when nil).
    private func discover(_ documents: InternedTerms, copies: [Int]?) -> Discovered {
        let volume = copies?.reduce(0, +) ?? documents.documents.count
        let fixedK = k != nil
        let minSize = fixedK ? 1 : max(minThemeSize, volume / 200)
        if documents.documents.count == 1, let copies, documents.documents[0].contains(where: { $0 >= 0 }) {
            // One distinct document (a week whose failed searches are all one query) is one theme, or "other".
            return copies[0] >= minSize
                ? Discovered(themes: [discoveredTheme()], assignments: [0], other: nil)
                : Discovered(themes: [otherTheme()], assignments: [0], other: 0)
        }
        guard documents.documents.count >= 2 else {
            return Discovered(themes: [], assignments: documents.documents.map { _ in nil }, other: nil)
        }
        let vectors = vectorizer.vectors(documents)
        let clusterCount = k ?? max(4, min(60, Int((Double(documents.documents.count) / 2).squareRoot())))
        let result = cluster(vectors, k: clusterCount)
        var assignment = result.assignments.enumerated().map { i, c -> Int? in vectors.isEmpty(i) ? nil : c }
        if !fixedK {
            // Merge near-duplicates, most alike first, each merged cluster compared on its own centroid.
            assignment = Self.mergingByCentroid(assignment, vectors, threshold: mergeThreshold)
            if mergesVariants {
                let variants = Self.mergingVariants(assignment, vectors, threshold: Self.variantThreshold)
                // A group of variants is one cluster now, and compared as one: "is the jacket available in blue",
                // "… the mixer …" and "… the speaker …" join the cluster that asks it of every other product.
                if variants != assignment { assignment = Self.mergingByCentroid(variants, vectors, threshold: mergeThreshold) }
            }
        }
        if splitsUnconnected {
            assignment = Self.connectedParts(assignment, vectors)
            // The parts split off clusters k-means had to mix ("toddler raincoat" with the controllers) were
            // only ever compared as part of them: merged now where their own centroids are alike.
            if !fixedK { assignment = Self.mergingSimilar(assignment, vectors, threshold: mergeThreshold) }
        }
        // Renumber by size (then by first document) so ids are stable and the biggest theme comes first.
        var (sizes, first) = Self.sizesAndFirstDocuments(assignment, copies: copies)
        if !fixedK, let threshold = attachesSmallClusters {
            assignment = Self.attachingSmallClusters(assignment, kept: Set(sizes.keys.filter { sizes[$0]! >= minSize }), vectors, threshold: threshold)
            (sizes, first) = Self.sizesAndFirstDocuments(assignment, copies: copies)
        }
        let kept = sizes.keys.filter { sizes[$0]! >= minSize }.sorted { (-sizes[$0]!, first[$0]!) < (-sizes[$1]!, first[$1]!) }
        var renumber: [Int: Int] = [:]
        for (i, c) in kept.enumerated() { renumber[c] = i }
        var themes = kept.indices.map { _ in discoveredTheme() }
        var other: Int?
        let folded = sizes.keys.filter { renumber[$0] == nil }
        if !folded.isEmpty {
            other = themes.count
            themes.append(otherTheme())
        }
        let final = assignment.map { c -> Int? in
            guard let c else { return nil }
            return renumber[c] ?? other
        }
        return Discovered(themes: themes, assignments: final, other: other)
    }

    /// A discovered theme before the labeller names it.
    private func discoveredTheme() -> Theme {
        Theme(id: "", label: "", keyphrases: [], department: taxonomy.triageDepartment, severity: .average, curated: false, signature: [:])
    }

    /// The theme the clusters too small to keep are folded into.
    private func otherTheme() -> Theme {
        Theme(id: "other", label: "other (small themes)", keyphrases: [], department: taxonomy.triageDepartment, severity: .minor,
              curated: false, signature: [:])
    }

    /// Each cluster's number of documents (with their copies) and its first document.
    private static func sizesAndFirstDocuments(_ assignment: [Int?], copies: [Int]?) -> (sizes: [Int: Int], first: [Int: Int]) {
        var sizes: [Int: Int] = [:]
        var first: [Int: Int] = [:]
        for (i, c) in assignment.enumerated() {
            guard let c else { continue }
            sizes[c, default: 0] += copies?[i] ?? 1
            if first[c] == nil { first[c] = i }
        }
        return (sizes, first)
    }

    /// `assignment` with each document of a cluster not in `kept` moved to the kept cluster whose centroid
    /// (the normalised sum of its documents) is most similar to it, when at least `threshold`; ties go to
    /// the lower cluster number, so the result does not depend on the order of a dictionary.
    static func attachingSmallClusters(_ assignment: [Int?], kept: Set<Int>, _ vectors: TermVectors, threshold: Float) -> [Int?] {
        let keptClusters = kept.sorted()
        let small = assignment.indices.filter { assignment[$0].map { !kept.contains($0) } ?? false }
        guard !keptClusters.isEmpty, !small.isEmpty else { return assignment }
        let column = Dictionary(uniqueKeysWithValues: keptClusters.enumerated().map { ($1, $0) })
        var centroids = Centroids(k: keptClusters.count, dimensions: vectors.dimensions)
        for (i, c) in assignment.enumerated() { if let c, let k = column[c] { vectors.add(i, to: &centroids, cluster: k) } }
        centroids.normalize()
        var result = assignment
        var scores = [Centroids.Lane](repeating: Centroids.Lane(), count: centroids.lanes)
        for i in small {
            vectors.similarities(i, to: centroids, into: &scores)
            var best: (cluster: Int, score: Float)?
            for k in keptClusters.indices {
                let score = scores[k / 8][k % 8]
                if score >= threshold, score > best?.score ?? -1 { best = (keptClusters[k], score) }
            }
            if let best { result[i] = best.cluster }
        }
        return result
    }

    /// `assignment` with clusters whose centroids have a cosine above `threshold` joined (transitively); a
    /// joined cluster is numbered by its lowest member cluster, so the result does not depend on hashing.
    /// Centroids are kept sparse and compared only where they share a term: after the unconnected split a
    /// log of many distinct queries has parts by the thousand, and dense centroids compared pairwise would
    /// cost parts² × vocabulary.
    static func mergingSimilar(_ assignment: [Int?], _ vectors: TermVectors, threshold: Float) -> [Int?] {
        let (clusters, centroids) = sparseCentroids(assignment, vectors)
        guard clusters.count > 1 else { return assignment }
        let column = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        // Each term's clusters with their normalised weight, in term order, so sums run in a fixed order.
        var holders = [[(cluster: Int, weight: Float)]](repeating: [], count: vectors.dimensions)
        for (k, centroid) in centroids.enumerated() { for (term, weight) in centroid { holders[Int(term)].append((k, weight)) } }
        var dots: [Int: Float] = [:]  // a * clusters.count + b, for a < b
        for list in holders where list.count > 1 {
            for x in list.indices {
                for y in (x + 1)..<list.count { dots[list[x].cluster * clusters.count + list[y].cluster, default: 0] += list[x].weight * list[y].weight }
            }
        }
        // The joined sets do not depend on the order of the joins, and each is numbered by its lowest member.
        var merged = DisjointSets(count: clusters.count)
        for (pair, dot) in dots where dot > threshold { merged.join(pair / clusters.count, pair % clusters.count) }
        var lowest = [Int: Int]()
        for k in clusters.indices { lowest[merged.root(k)] = min(lowest[merged.root(k)] ?? k, k) }
        return assignment.map { $0.map { clusters[lowest[merged.root(column[$0]!)]!] } }
    }

    /// Cosine two clusters' centroids must reach, each without the term it holds most over the other, to be
    /// variants of one theme (`mergingVariants`).
    static let variantThreshold: Float = 0.8
    /// Variants are merged only in groups of at least this many, each with a term of its own: three
    /// products in the same words are a pattern, where two clusters alike but for one word ("refund
    /// late", "delivery late") are as often two themes.
    static let minimumVariants = 3

    /// `assignment` with the clusters that are variants of one theme joined: two clusters are variants when
    /// their centroids, each without the word it holds most over the other (its product, "blender" against
    /// "kettle", with the phrases holding it), have a cosine above `threshold`; a group of at least
    /// `minimumVariants` clusters linked this way is one cluster, numbered by its lowest member. Sparse
    /// centroids, compared only where they share a term.
    static func mergingVariants(_ assignment: [Int?], _ vectors: TermVectors, threshold: Float) -> [Int?] {
        let (clusters, centroids) = sparseCentroids(assignment, vectors)
        guard clusters.count >= minimumVariants else { return assignment }
        let column = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        let words = FeatureWords(vectors.vocabulary)
        var holders = [[Int]](repeating: [], count: vectors.dimensions)
        for (k, centroid) in centroids.enumerated() { for (term, _) in centroid { holders[Int(term)].append(k) } }
        var pairs = Set<Int>()
        for list in holders where list.count > 1 {
            for x in list.indices { for y in (x + 1)..<list.count { pairs.insert(list[x] * clusters.count + list[y]) } }
        }
        var linked = DisjointSets(count: clusters.count)
        for pair in pairs.sorted() {
            let (a, b) = (pair / clusters.count, pair % clusters.count)
            if variantSimilarity(centroids[a], centroids[b], words: words) > threshold { linked.join(a, b) }
        }
        var members = [Int: [Int]]()
        for k in clusters.indices { members[linked.root(k), default: []].append(k) }
        var target = Array(clusters.indices)
        for group in members.values where group.count >= minimumVariants { for k in group { target[k] = group.min()! } }
        return assignment.map { $0.map { clusters[target[column[$0]!]] } }
    }

    /// `assignment` with clusters merged pair by pair, the most similar pair of (merged) clusters first, each
    /// merged cluster compared on its own centroid, until no pair is above `threshold`.
    static func mergingByCentroid(_ assignment: [Int?], _ vectors: TermVectors, threshold: Float) -> [Int?] {
        let (clusters, clusterSum) = clusterSums(assignment, vectors)
        guard clusters.count > 1 else { return assignment }
        var sums = clusterSum
        let column = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        var centroids = sums.map(normalized)
        var alive = Array(repeating: true, count: clusters.count)
        var target = Array(clusters.indices)
        var similarity = [[Float]](repeating: [Float](repeating: 0, count: clusters.count), count: clusters.count)
        for a in clusters.indices { for b in (a + 1)..<clusters.count { similarity[a][b] = dot(centroids[a], centroids[b]) } }
        while true {
            var best: (a: Int, b: Int, score: Float)?
            for a in clusters.indices where alive[a] {
                for b in (a + 1)..<clusters.count where alive[b] && similarity[a][b] > threshold && similarity[a][b] > best?.score ?? -1 { best = (a, b, similarity[a][b]) }
            }
            guard let (a, b, _) = best else { break }
            for (term, weight) in sums[b] { sums[a][term, default: 0] += weight }
            centroids[a] = normalized(sums[a])
            alive[b] = false
            for k in target.indices where target[k] == b { target[k] = a }
            for c in clusters.indices where alive[c] && c != a { similarity[min(a, c)][max(a, c)] = dot(centroids[a], centroids[c]) }
        }
        return assignment.map { $0.map { clusters[target[column[$0]!]] } }
    }

    /// A normalised sparse centroid, in ascending term order.
    typealias Centroid = [(term: Int32, weight: Float)]

    /// The clusters of `assignment`, ascending, and each one's centroid (the normalised sum of its documents),
    /// built in term order so that every sum over it runs in a fixed order.
    static func sparseCentroids(_ assignment: [Int?], _ vectors: TermVectors) -> (clusters: [Int], centroids: [Centroid]) {
        let (clusters, sums) = clusterSums(assignment, vectors)
        return (clusters, sums.map(normalized))
    }

    /// The clusters of `assignment`, ascending, and the sum of each one's document vectors.
    private static func clusterSums(_ assignment: [Int?], _ vectors: TermVectors) -> (clusters: [Int], sums: [[Int32: Float]]) {
        let clusters = Set(assignment.compactMap { $0 }).sorted()
        let column = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        var sums = [[Int32: Float]](repeating: [:], count: clusters.count)
        for (i, c) in assignment.enumerated() {
            guard let c else { continue }
            let k = column[c]!
            for p in vectors.rows[i]..<vectors.rows[i + 1] { sums[k][vectors.terms[p], default: 0] += vectors.weights[p] }
        }
        return (clusters, sums)
    }

    /// A cluster's sum as a centroid: unit length, in term order.
    private static func normalized(_ sum: [Int32: Float]) -> Centroid {
        let terms = sum.keys.sorted()
        let norm = terms.reduce(Float(0)) { $0 + sum[$1]! * sum[$1]! }.squareRoot()
        return terms.map { ($0, sum[$0]! / norm) }
    }

    /// The dot product of two sparse vectors in term order (of two centroids, their cosine).
    static func dot(_ a: Centroid, _ b: Centroid) -> Float {
        var i = 0, j = 0, dot: Float = 0
        while i < a.count, j < b.count {
            if a[i].term == b[j].term {
                dot += a[i].weight * b[j].weight
                i += 1
                j += 1
            } else if a[i].term < b[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        return dot
    }

    /// The words of each feature (a phrase's words, a word itself), as ids, so a word can be set aside with
    /// the phrases that hold it.
    struct FeatureWords {
        let words: [[Int32]]

        init(_ vocabulary: [String]) {
            var ids: [Substring: Int32] = [:]
            for (id, feature) in vocabulary.enumerated() where !feature.contains(" ") { ids[Substring(feature)] = Int32(id) }
            var next = Int32(vocabulary.count)
            var words: [[Int32]] = []
            words.reserveCapacity(vocabulary.count)
            for (id, feature) in vocabulary.enumerated() {
                guard feature.contains(" ") else {
                    words.append([Int32(id)])
                    continue
                }
                words.append(feature.split(separator: " ").map { word in
                    if let id = ids[word] { return id }
                    ids[word] = next
                    next += 1
                    return next - 1
                })
            }
            self.words = words
        }

        func share(_ a: Int32, _ b: Int32) -> Bool { words[Int(a)].contains { words[Int(b)].contains($0) } }

        /// Whether a feature is one word (not a phrase).
        func isWord(_ feature: Int32) -> Bool { words[Int(feature)] == [feature] }
    }

    /// The cosine of two centroids, each without the word it holds most over the other and the phrases
    /// holding that word (a word, not a phrase: "jacket available" sets "jacket" aside, not "available");
    /// 0 when the two words are one, as then the centroids differ in more than it.
    static func variantSimilarity(_ a: Centroid, _ b: Centroid, words: FeatureWords) -> Float {
        var ownA: (term: Int32, excess: Float) = (-1, -1), ownB = ownA
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let ta = i < a.count ? a[i].term : Int32.max, tb = j < b.count ? b[j].term : Int32.max
            let wa = ta <= tb ? a[i].weight : 0, wb = tb <= ta ? b[j].weight : 0
            if words.isWord(min(ta, tb)) {
                if wa - wb > ownA.excess { ownA = (min(ta, tb), wa - wb) }
                if wb - wa > ownB.excess { ownB = (min(ta, tb), wb - wa) }
            }
            if ta <= tb { i += 1 }
            if tb <= ta { j += 1 }
        }
        guard ownA.term >= 0, ownB.term >= 0, !words.share(ownA.term, ownB.term) else { return 0 }
        let restA = a.filter { !words.share($0.term, ownA.term) }, restB = b.filter { !words.share($0.term, ownB.term) }
        let normA = dot(restA, restA).squareRoot(), normB = dot(restB, restB).squareRoot()
        guard normA > 0, normB > 0 else { return 0 }
        return dot(restA, restB) / (normA * normB)
    }

    /// Each cluster of `assignment` split into its connected parts, two documents being connected when they
    /// share a term: the cluster of a part is the index of one of its documents. Linear in the terms.
    static func connectedParts(_ assignment: [Int?], _ vectors: TermVectors) -> [Int?] {
        var parts = DisjointSets(count: assignment.count)
        var firstWith: [Int: Int] = [:]  // (cluster, term) → the first document of the cluster holding the term
        for (i, cluster) in assignment.enumerated() {
            guard let cluster else { continue }
            for (term, _) in vectors.counts(of: i) {
                let key = cluster &* vectors.dimensions &+ Int(term)
                if let j = firstWith[key] { parts.join(j, i) } else { firstWith[key] = i }
            }
        }
        return assignment.indices.map { assignment[$0] == nil ? nil : parts.root($0) }
    }

    /// GSDMM (Yin and Wang 2014) gives each short document one cluster from word co-occurrence; its clusters
    /// then seed spherical k-means on TF-IDF, which refines them. Of `restarts` seeded runs, the one with the
    /// best k-means objective (total cosine to centroids) wins. Measured on BANKING77 against k-means++
    /// alone and GSDMM alone in docs/themes.md.
    private func cluster(_ vectors: TermVectors, k: Int) -> SphericalKMeans.Result {
        let runs = max(1, restarts ?? (self.k == nil ? 2 : 1))
        let results = Slots<SphericalKMeans.Result>(count: runs)
        // Restarts are independent: one per core.
        DispatchQueue.concurrentPerform(iterations: runs) { restart in
            let runSeed = seed &+ UInt64(restart) &* 0x9E37_79B9
            // GSDMM sees a seeded sample of at most `mixtureSample` documents; k-means then assigns every
            // document and refines (sampling plus assignment; quality cost measured in docs/themes.md).
            var sample = Array(0..<vectors.count)
            if sample.count > mixtureSample {
                var rng = Xorshift(seed: runSeed)
                sample = rng.sample(sample, count: mixtureSample)
            }
            var mixture = ShortTextMixture(k: k, seed: runSeed)
            mixture.alpha = mixtureAlpha
            mixture.iterations = mixtureSweeps
            // One run leaves a core idle: its sampler then sweeps two parts of the documents at once.
            mixture.parts = runs == 1 ? 2 : 1
            let z = mixture.fit(sample.map { vectors.counts(of: $0) }, vocabularySize: vectors.vocabulary.count)
            var centroids = Centroids(k: k, dimensions: vectors.dimensions)
            for (i, c) in z.enumerated() where c >= 0 { vectors.add(sample[i], to: &centroids, cluster: c) }
            centroids.normalize()
            results.set(restart, SphericalKMeans(k: k, seed: runSeed).refine(vectors, from: centroids))
        }
        // Best objective wins; ties go to the lowest restart, so the outcome does not depend on scheduling.
        return results.values.compactMap { $0 }.enumerated().max { ($0.element.objective, -$0.offset) < ($1.element.objective, -$1.offset) }!.element
    }

    /// Cosine between signatures above which a discovered theme goes to a curated theme's department.
    public static let departmentThreshold: Float = 0.3

    /// A discovered theme goes to the department of the most similar curated theme (by this week's
    /// signatures), else to triage.
    private func department(for theme: Theme, curated: [Theme]) -> String {
        var best: (Float, String) = (Self.departmentThreshold, taxonomy.triageDepartment)
        for other in curated {
            let similarity = Theme.similarity(theme.signature, other.signature)
            if similarity > best.0 { best = (similarity, other.department) }
        }
        return best.1
    }
}

extension LexicalThemeFinder {
    /// A finder whose curated seed terms are tokenized and stemmed exactly like the documents.
    public init(vectorizer: Vectorizer, taxonomy: Taxonomy, tokenizer: Tokenizer, k: Int? = nil, seed: UInt64 = 1) {
        func sequences(_ terms: (Taxonomy.Entry) -> [String]) -> TermSequences {
            var sequences: [[String]] = [], owners: [Int] = [], written: [String] = []
            for (e, entry) in taxonomy.entries.enumerated() {
                for term in terms(entry) {
                    let sequence = vectorizer.document(tokenizer.tokenize(term)).words
                    if !sequence.isEmpty {
                        sequences.append(sequence)
                        owners.append(e)
                        written.append(term)
                    }
                }
            }
            return TermSequences(sequences, owners: owners, written: written)
        }
        self.init(vectorizer: vectorizer, taxonomy: taxonomy, k: k, seed: seed, seeds: sequences(\.terms), exclusions: sequences(\.exclude))
    }
}

/// Disjoint sets over `0..<count` (union-find, paths halved as they are walked): the discovered clusters
/// merged for being alike, and the documents of a theme joined by the words they share.
struct DisjointSets {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func root(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Puts the set of `b` under the root of the set of `a`.
    mutating func join(_ a: Int, _ b: Int) {
        let (ra, rb) = (root(a), root(b))
        parent[rb] = ra
    }
}

/// Term sequences (stemmed seed terms or exclusions), each owned by a taxonomy entry, indexed by their
/// first term: one lookup per word instead of a scan per sequence.
struct TermSequences: Sendable {
    private let sequences: [[String]]
    private let owners: [Int]
    /// Each sequence's term as the taxonomy writes it.
    let written: [String]
    private let byFirstTerm: [String: [Int]]

    init(_ sequences: [[String]] = [], owners: [Int] = [], written: [String]? = nil) {
        self.sequences = sequences
        self.owners = owners
        self.written = written ?? sequences.map { $0.joined(separator: " ") }
        var index: [String: [Int]] = [:]
        for (s, sequence) in sequences.enumerated() { if let first = sequence.first { index[first, default: []].append(s) } }
        byFirstTerm = index
    }

    var isEmpty: Bool { byFirstTerm.isEmpty }
    var count: Int { sequences.count }
    func owner(of sequence: Int) -> Int { owners[sequence] }

    /// The owners of the sequences that occur in the `count` words `term` gives, a sequence's words in
    /// order with at most `gap` words in all between them, each with the first of its sequences found.
    func owners(count: Int, gap: Int, _ term: (Int) -> String?) -> [Int: Int] {
        var found: [Int: Int] = [:]
        for i in 0..<count {
            guard let first = term(i), let candidates = byFirstTerm[first] else { continue }
            for s in candidates where found[owners[s]] == nil {
                // Each next word at its earliest place within what is left of the gap: if any placement
                // fits, that one does.
                let sequence = sequences[s]
                var at = i, left = gap, same = true
                for k in 1..<sequence.count {
                    var next = at + 1
                    while next < count, next - at - 1 <= left, term(next) != sequence[k] { next += 1 }
                    guard next < count, next - at - 1 <= left else {
                        same = false
                        break
                    }
                    left -= next - at - 1
                    at = next
                }
                if same { found[owners[s]] = s }
            }
        }
        return found
    }
}

/// Keeps theme identity across weeks: this week's discovered themes take the id of the most similar known
/// theme when their signatures' cosine is at least `threshold` (one-to-one, most similar pairs first).
public enum ThemeIdentity {
    /// 0.35 let generic complaint words chain unrelated clusters into one theme over the weeks; 0.5 did not.
    public static let threshold: Float = 0.5

    /// Ids for a re-analysed week: first against the themes that week had before (so a rerun gives every
    /// theme back its id), then the rest against every known theme.
    public static func match(_ themes: [Theme], sameWeek: [Theme], known: [Theme]) -> [String] {
        var ids = match(themes, known: sameWeek)
        let kept = Set(sameWeek.map(\.id))
        let open = themes.indices.filter { !themes[$0].curated && !kept.contains(ids[$0]) }
        guard !open.isEmpty else { return ids }
        let rest = match(open.map { themes[$0] }, known: known.filter { !kept.contains($0.id) || !ids.contains($0.id) })
        for (i, t) in open.enumerated() { ids[t] = rest[i] }
        return ids
    }

    /// New id for each of `themes` (index-aligned); curated themes keep their ids.
    public static func match(_ themes: [Theme], known: [Theme]) -> [String] {
        var ids = themes.map(\.id)
        var pairs: [(Float, Int, Int)] = []
        for (t, theme) in themes.enumerated() where !theme.curated && !theme.isOther {
            for (k, old) in known.enumerated() where !old.curated && !old.isOther {
                let s = Theme.similarity(theme.signature, old.signature)
                // The same label (so the same id) as a known theme wins first: re-analysing a week gives it back.
                if old.id == theme.id { pairs.append((2, t, k)) } else if s >= threshold { pairs.append((s, t, k)) }
            }
        }
        pairs.sort { ($0.0, -$0.1, -$0.2) > ($1.0, -$1.1, -$1.2) }
        var usedT = Set<Int>(), usedK = Set<Int>()
        for (_, t, k) in pairs where !usedT.contains(t) && !usedK.contains(k) {
            ids[t] = known[k].id
            usedT.insert(t)
            usedK.insert(k)
        }
        // Unmatched discovered themes whose id collides with a known, different theme get a suffix.
        let knownIDs = Set(known.map(\.id))
        for t in themes.indices where !usedT.contains(t) && !themes[t].curated && !themes[t].isOther && knownIDs.contains(ids[t]) {
            var n = 2
            while knownIDs.contains(ids[t] + "-\(n)") || ids.contains(ids[t] + "-\(n)") { n += 1 }
            ids[t] += "-\(n)"
        }
        return ids
    }
}

extension ThemeIdentity {
    /// This week's labels, with a known theme's label kept where it still names the theme: every part of it
    /// ("norway / ship": "norway" and "ship") is among the theme's keyphrases this week, compared stemmed.
    /// A label is made from a week's strongest terms, and the strongest two of a steady theme trade places
    /// from week to week; renamed each time, one theme read as several in a run of reports. A label another
    /// theme of the week already has is not kept (labels are unique within a week).
    public static func steadyLabels(_ themes: [Theme], ids: [String], known: [Theme]) -> [String] {
        let knownLabel = Dictionary(known.filter { !$0.curated && !$0.isOther }.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        var labels = themes.map(\.label)
        for t in themes.indices where !themes[t].curated && !themes[t].isOther {
            guard let old = knownLabel[ids[t]], old != labels[t], !labels.contains(old) else { continue }
            let held = Set(themes[t].keyphrases.map { Stemmer.stems(of: $0) })
            if labelParts(old).allSatisfy({ held.contains(Stemmer.stems(of: $0)) }) { labels[t] = old }
        }
        return labels
    }

    /// The keyphrases a label was made of (`ThemeLabeler` writes them): "a / b", "a phrase", either with
    /// ", c" added to tell it apart, and " (2)" when the keyphrases ran out.
    public static func labelParts(_ label: String) -> [String] {
        var text = Substring(label)
        if text.hasSuffix(")"), let open = text.lastIndex(of: "("), text[text.index(after: open)..<text.index(before: text.endIndex)].allSatisfy(\.isNumber) {
            text = text[..<open].dropLast(text[..<open].hasSuffix(" ") ? 1 : 0)
        }
        return text.components(separatedBy: ", ").flatMap { $0.components(separatedBy: " / ") }.filter { !$0.isEmpty }
    }
}

/// A change in the theme map found while matching a week to the known themes.
public struct ThemeChange: Sendable, Equatable {
    public enum Kind: String, Sendable { case merge, split }
    public var kind: Kind
    /// The theme that continues.
    public var theme: String
    /// The theme merged into it (gone this week) or split off from it (new this week).
    public var other: String
    public var similarity: Float

    public init(kind: Kind, theme: String, other: String, similarity: Float) {
        self.kind = kind
        self.theme = theme
        self.other = other
        self.similarity = similarity
    }
}

extension ThemeIdentity {
    /// Merges and splits implied by one week's matching (`ids`, from `match`), at the identity threshold.
    /// Split: a new theme is as similar to a known theme as a match would need, but that theme continued
    /// through another cluster. Merge: a recently active known theme did not continue, but is that similar
    /// to a theme that continued another one. Curated themes keep their names and never merge or split.
    public static func changes(_ themes: [Theme], ids: [String], known: [Theme], recent: Set<String>) -> [ThemeChange] {
        let discovered = known.filter { !$0.curated && !$0.isOther }
        let knownIDs = Set(discovered.map(\.id))
        let continuing = Set(ids.indices.filter { !themes[$0].curated && knownIDs.contains(ids[$0]) }.map { ids[$0] })
        var out: [ThemeChange] = []
        for t in themes.indices where !themes[t].curated && !themes[t].isOther && !knownIDs.contains(ids[t]) {
            let best = discovered.filter { continuing.contains($0.id) }
                .map { (Theme.similarity(themes[t].signature, $0.signature), $0.id) }.max { ($0.0, $1.1) < ($1.0, $0.1) }
            if let best, best.0 >= threshold { out.append(ThemeChange(kind: .split, theme: best.1, other: ids[t], similarity: best.0)) }
        }
        for old in discovered where recent.contains(old.id) && !ids.contains(old.id) {
            let best = themes.indices.filter { continuing.contains(ids[$0]) }
                .map { (Theme.similarity(themes[$0].signature, old.signature), ids[$0]) }.max { ($0.0, $1.1) < ($1.0, $0.1) }
            if let best, best.0 >= threshold { out.append(ThemeChange(kind: .merge, theme: best.1, other: old.id, similarity: best.0)) }
        }
        return out
    }
}

/// One slice per core for `count` items, each slice at least `minimumSlice` long (small inputs stay on one).
func slicesPerCore(_ count: Int, minimumSlice: Int) -> Int {
    max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / minimumSlice))
}

/// `body` over `0..<count` cut into `parts` contiguous slices run at once, results in slice order: for
/// per-document work over a whole week that would otherwise keep one core busy and the other idle.
func inSlices<T: Sendable>(count: Int, parts: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
    let parts = max(1, min(parts, count))
    // One slice is a plain call: sub-themes run many small k-means at once, each seeding centroid by centroid.
    if parts == 1 { return [body(0..<count)] }
    let slices = Slots<T>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        slices.set(part, body((count * part / parts)..<(count * (part + 1) / parts)))
    }
    return slices.values.map { $0! }
}

/// Results of parallel work, written once per slot.
final class Slots<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Value?] { lock.withLock { slots } }
}
