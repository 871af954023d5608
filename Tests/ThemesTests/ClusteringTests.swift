import Foundation
import Testing
@testable import Themes

/// The numeric core of discovery: interned terms, TF-IDF rows, centroids, k-means and GSDMM.
@Suite struct ClusteringTests {
    static let groups: [[String?]] = [
        ["refund", "late", nil, "refund"], ["refund", "late"], ["late", "refund", "money"],
        ["login", "password"], ["password", "reset", "login"], ["login", nil, "password", "locked"],
        ["refund", "money"], ["password", "locked"],
    ]

    @Test func internedIdsAreSortedRanksWhateverTheOrderOfTheInput() {
        let forward = InternedTerms(Self.groups)
        let backward = InternedTerms(Self.groups.reversed())
        // Interned in slices at once (as a large week is), the same ids.
        for parts in 2...5 {
            let sliced = InternedTerms(Self.groups, parts: parts)
            #expect(sliced.vocabulary == forward.vocabulary && sliced.documents == forward.documents, "\(parts) parts")
        }
        #expect(forward.vocabulary == forward.vocabulary.sorted())
        #expect(forward.vocabulary == backward.vocabulary)
        #expect(forward.documents == Array(backward.documents.reversed()))
        #expect(forward.documents[0] == [forward.vocabulary.firstIndex(of: "refund"), forward.vocabulary.firstIndex(of: "late"), -1,
                                         forward.vocabulary.firstIndex(of: "refund")].map { Int32($0 ?? -1) })
    }

    /// Some documents taken from interned terms are what interning their terms anew gives: vocabulary and ids.
    @Test func selectedDocumentsAreInternedAsIfAnew() {
        let all = InternedTerms(Self.groups)
        for members in [[3, 4, 5, 7], [7, 0], [2], [6, 1, 6], []] {
            let selected = all.selecting(members), anew = InternedTerms(members.map { Self.groups[$0] })
            #expect(selected.vocabulary == anew.vocabulary && selected.documents == anew.documents, "\(members)")
        }
        #expect(all.selecting([3, 4, 5, 7]).vocabulary == ["locked", "login", "password", "reset"])
    }

    @Test func termVectorsAreUnitRowsAndScoreEveryCentroidAlike() {
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.maxDocumentShare = 1
        let vectors = vectorizer.vectors(Self.groups)
        var centroids = Centroids(k: 11, dimensions: vectors.dimensions)  // more than one lane of eight
        for d in 0..<vectors.count { vectors.add(d, to: &centroids, cluster: d) }
        centroids.normalize()
        var scores = [Centroids.Lane](repeating: .init(), count: centroids.lanes)
        for d in 0..<vectors.count {
            let documentScores = vectors.similarities(toDocument: d, in: 0..<vectors.count)
            #expect(documentScores.count == vectors.count)
            #expect(abs(documentScores[d] - 1) < 1e-5, "a unit row against itself")
            vectors.similarities(d, to: centroids, into: &scores)
            for c in 0..<vectors.count {  // centroid c is document c's unit vector
                #expect(abs(scores[c / 8][c % 8] - documentScores[c]) < 1e-5)
            }
            for c in vectors.count..<centroids.k { #expect(scores[c / 8][c % 8] == 0) }
            // Best is the document's own centroid, or an earlier document with the same terms after pruning.
            let (best, score) = Centroids.best(scores, k: centroids.k)
            #expect(best <= d && abs(score - 1) < 1e-5)
        }
        #expect(centroids.isZero(10))
        #expect(abs(centroids.cosine(0, 1) - vectors.similarities(toDocument: 0, in: 1..<2)[0]) < 1e-5)
    }

    @Test func termVectorsWeighedInSlicesAreTheSameRows() {
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.maxDocumentShare = 1
        (vectorizer.minPhraseCount, vectorizer.minPMI) = (2, 1)  // "refund late" and "password locked" become phrases
        let interned = InternedTerms(Self.groups)
        let whole = vectorizer.vectors(interned, parts: 1)
        #expect(whole.vocabulary.contains { $0.contains(" ") })
        for parts in 2...5 {
            let sliced = vectorizer.vectors(interned, parts: parts)
            #expect(sliced.rows == whole.rows && sliced.terms == whole.terms && sliced.weights == whole.weights, "\(parts) parts")
            #expect(sliced.countRows == whole.countRows && sliced.countTerms == whole.countTerms && sliced.countValues == whole.countValues)
        }
    }

    @Test func bestTakesTheFirstOfEqualScores() {
        var lane = Centroids.Lane()
        lane[2] = 0.5
        lane[5] = 0.5
        #expect(Centroids.best([lane], k: 8) == (2, 0.5))
    }

    /// The lane-wise maximum must agree with a plain scan: across lanes, first of equals, and never a
    /// cluster past k (padding, or one k-means++ has not seeded yet), whatever those hold.
    @Test func bestAgreesWithAScanAndIgnoresClustersPastK() {
        var rng = Xorshift(seed: 11)
        for k in [1, 7, 8, 9, 20, 77] {
            for _ in 0..<200 {
                var lanes = [Centroids.Lane](repeating: .init(), count: 10)
                // Few distinct values, so ties are common; past k the highest of all.
                for c in 0..<80 { lanes[c / 8][c % 8] = c < k ? Float(rng.next() % 5) / 4 : 2 }
                var expected = 0
                for c in 1..<k where lanes[c / 8][c % 8] > lanes[expected / 8][expected % 8] { expected = c }
                let (cluster, score) = Centroids.best(lanes, k: k)
                #expect(cluster == expected && score == lanes[expected / 8][expected % 8], "k \(k)")
            }
        }
    }

    @Test func samplingWeightIsExpWithinTwoMillionthsAndZeroFarBelowTheBest() {
        var worst: Double = 0
        for step in 0...30_000 {
            let delta = -Float(step) / 1000
            let weight = ShortTextMixture.samplingWeight(SIMD8(repeating: delta))
            let exact = exp(Double(delta))
            worst = max(worst, abs(Double(weight[3]) - exact) / exact)
        }
        #expect(worst < 2e-6)  // rounding x / ln 2 in single precision; the series alone is below 2e-7
        #expect(ShortTextMixture.samplingWeight(SIMD8(repeating: -30.5)) == SIMD8(repeating: 0))
        #expect(ShortTextMixture.samplingWeight(SIMD8(repeating: -.infinity)) == SIMD8(repeating: 0))
        #expect(ShortTextMixture.samplingWeight(SIMD8(repeating: 0)) == SIMD8(repeating: 1))
    }

    /// A sweep scores its documents in slices on every core; stitched back together they must be what one
    /// pass over all documents gives, and the same on every run.
    @Test func aSweepInSlicesIsOnePassOverAllDocuments() {
        var rng = Xorshift(seed: 5)
        let topics = (0..<6).map { t in (0..<12).map { "t\(t)w\($0)" } }
        let documents: [[String?]] = (0..<5_000).map { _ in
            let topic = topics[Int(rng.next() % 6)], other = topics[Int(rng.next() % 6)]
            return (0..<6).map { i in i == 5 ? other[Int(rng.next() % 12)] : topic[Int(rng.next() % 12)] }
        }
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.maxDocumentShare = 1
        let vectors = vectorizer.vectors(documents)
        var whole = SphericalKMeans(k: 6, seed: 2, restarts: 1)
        whole.sweepSlice = .max
        let reference = whole.fit(vectors)
        // Refining from two given centroids seeds the other four from every document's closest given one.
        var given = Centroids(k: 6, dimensions: vectors.dimensions)
        for (i, c) in reference.assignments.enumerated() where c < 2 { vectors.add(i, to: &given, cluster: c) }
        given.normalize()
        let refined = whole.refine(vectors, from: given)
        for slice in [1_000, 4_096, 4_999] {
            var sliced = whole
            sliced.sweepSlice = slice
            let result = sliced.fit(vectors)
            #expect(result.assignments == reference.assignments && result.similarity == reference.similarity, "slices of \(slice)")
            #expect(abs(result.objective - reference.objective) < 1e-9 * reference.objective)
            let sameRefinement = sliced.refine(vectors, from: given).assignments == refined.assignments
            #expect(sameRefinement, "slices of \(slice)")
        }
        #expect(Set(reference.assignments).count == 6)
        #expect(Set(refined.assignments).count == 6)
    }

    /// The sampler in parts (one per core) draws differently from the sequential one, but must find the same
    /// planted topics, give the same clusters on every run, and leave no document unassigned.
    @Test func theMixtureInPartsFindsThePlantedTopicsAndRepeatsItself() {
        var rng = Xorshift(seed: 9)
        let topics = (0..<5).map { t in (0..<10).map { Int32(t * 10 + $0) } }
        var planted: [Int] = []
        let documents: [[(term: Int32, count: Int)]] = (0..<1_500).map { _ in
            let t = Int(rng.next() % 5)
            planted.append(t)
            var words: [Int32: Int] = [:]
            for _ in 0..<5 { words[topics[t][Int(rng.next() % 10)], default: 0] += 1 }
            return words.sorted { $0.key < $1.key }.map { (term: $0.key, count: $0.value) }
        }
        var mixture = ShortTextMixture(k: 5, seed: 4)
        mixture.alpha = 1
        mixture.parts = 2
        let clusters = mixture.fit(documents, vocabularySize: 50)
        #expect(mixture.fit(documents, vocabularySize: 50) == clusters)
        #expect(!clusters.contains(-1))
        // Purity: the documents of each planted topic mostly share one cluster.
        var agreeing = 0
        for t in 0..<5 {
            let members = planted.indices.filter { planted[$0] == t }
            var counts: [Int: Int] = [:]
            for d in members { counts[clusters[d], default: 0] += 1 }
            agreeing += counts.values.max() ?? 0
        }
        #expect(Double(agreeing) / Double(documents.count) > 0.9, "purity \(Double(agreeing) / Double(documents.count))")
        var sequential = mixture
        sequential.parts = 1
        #expect(sequential.fit(documents, vocabularySize: 50) != clusters, "two parts draw differently from one")
    }

    @Test func kMeansAndTheMixtureSeparateTwoVocabularies() {
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.maxDocumentShare = 1
        let interned = InternedTerms(Self.groups)
        let vectors = vectorizer.vectors(interned)
        let refunds = [0, 1, 2, 6], logins = [3, 4, 5, 7]
        func separates(_ clusters: [Int]) -> Bool {
            Set(refunds.map { clusters[$0] }).count == 1 && Set(logins.map { clusters[$0] }).count == 1
                && clusters[refunds[0]] != clusters[logins[0]]
        }
        for seed: UInt64 in 1...5 {
            #expect(separates(SphericalKMeans(k: 2, seed: seed).fit(vectors).assignments), "k-means, seed \(seed)")
        }
        let counts = (0..<vectors.count).map { vectors.counts(of: $0) }
        var mixture = ShortTextMixture(k: 4, seed: 3)
        mixture.iterations = 30
        #expect(separates(mixture.fit(counts, vocabularySize: vectors.dimensions)))
    }

    /// A cluster too small to keep: each of its documents joins the kept cluster it is similar enough to, or
    /// stays where it was (to be folded into "other"); ties and order do not matter.
    @Test func smallClustersJoinTheKeptClusterTheyShareWordsWith() {
        let documents: [[String?]] = Array(repeating: ["kids", "raincoat"], count: 6) + Array(repeating: ["red", "dress"], count: 6)
            + [["toddler", "raincoat"], ["toddler", "raincoat"], ["garden", "hose"], ["red", "raincoat"]]
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.maxDocumentShare = 1
        let vectors = vectorizer.vectors(documents)
        let assignment: [Int?] = Array(repeating: 4, count: 6) + Array(repeating: 7, count: 6) + [2, 2, 9, 2]
        let attached = LexicalThemeFinder.attachingSmallClusters(assignment, kept: [4, 7], vectors, threshold: 0.25)
        #expect(Array(attached[..<12]) == Array(assignment[..<12]))
        #expect(attached[12] == 4 && attached[13] == 4)  // "toddler raincoat": the raincoat demand
        #expect(attached[14] == 9)  // "garden hose" shares no word: left to "other"
        #expect(attached[15] == 4 || attached[15] == 7)  // "red raincoat" goes to one of the two it shares a word with
        // A threshold above every similarity leaves every small cluster as it was.
        #expect(LexicalThemeFinder.attachingSmallClusters(assignment, kept: [4, 7], vectors, threshold: 0.99) == assignment)
    }

    /// Clusters whose centroids are alike above the threshold are joined, transitively, under the lowest
    /// cluster number; the others and unassigned documents stay as they were.
    @Test func similarClustersAreJoinedUnderTheirLowestNumber() {
        let documents: [[String?]] = [["kids", "raincoat"], ["kids", "raincoat"], ["toddler", "raincoat"], ["toddler", "raincoat"],
                                      ["red", "dress"], ["red", "dress"], ["garden", "hose"], ["garden", "hose"]]
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.minDocumentFrequency = 1
        vectorizer.maxDocumentShare = 1
        let vectors = vectorizer.vectors(documents)
        let assignment: [Int?] = [5, 5, 2, 2, 8, 8, 3, nil]
        #expect(LexicalThemeFinder.mergingSimilar(assignment, vectors, threshold: 0.35) == [2, 2, 2, 2, 8, 8, 3, nil])
        #expect(LexicalThemeFinder.mergingSimilar(assignment, vectors, threshold: 0.99) == assignment)
    }

    /// Clusters that say the same of different things ("really happy with my blender", "… my kettle") are
    /// joined under their lowest number once three or more are alike but for one word each; two alike but
    /// for one word ("refund late", "delivery late") and clusters in other words stay as they were.
    @Test func variantsOfOneThemeAreJoinedInGroupsOfThreeOrMore() {
        var documents: [[String?]] = []
        var assignment: [Int?] = []
        for (cluster, words) in [
            (10, ["really", "happy", "blender"]), (11, ["really", "happy", "kettle"]), (12, ["really", "happy", "toaster"]),
            (13, ["happy", "really", "lamp"]), (20, ["refund", "late", "again"]), (21, ["delivery", "late", "again"]),
            (30, ["opening", "hours"]), (31, ["happy", "holidays"]),
        ] {
            for _ in 0..<3 {
                documents.append(words)
                assignment.append(cluster)
            }
        }
        documents.append(["really"])
        assignment.append(nil)
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.minDocumentFrequency = 1
        vectorizer.maxDocumentShare = 1
        let vectors = vectorizer.vectors(documents)
        let merged = LexicalThemeFinder.mergingVariants(assignment, vectors, threshold: LexicalThemeFinder.variantThreshold)
        #expect(Array(merged[..<12]) == Array(repeating: 10, count: 12))
        #expect(Array(merged[12...]) == Array(assignment[12...]))
        #expect(LexicalThemeFinder.mergingVariants(assignment, vectors, threshold: 1.01) == assignment)
        // Two products alone are two clusters: the pattern needs a third.
        let two = assignment.enumerated().map { i, c in (6..<12).contains(i) ? nil : c }
        #expect(LexicalThemeFinder.mergingVariants(two, vectors, threshold: LexicalThemeFinder.variantThreshold) == two)
    }

    /// Clusters are merged most alike first, each merged cluster compared on its own centroid: a cluster of
    /// closers ("highly recommend", "no complaints") that is like two themes joins one of them, and no longer
    /// chains the two together as joining every pair above the threshold did ("great service" and "quick
    /// refund" were one theme in some weeks of the 1M bench).
    @Test func mergingMostAlikeFirstDoesNotChainThroughAHub() {
        var documents: [[String?]] = []
        var assignment: [Int?] = []
        func add(_ words: [String], _ cluster: Int, _ copies: Int) {
            for _ in 0..<copies {
                documents.append(words)
                assignment.append(cluster)
            }
        }
        add(["great", "service", "highly", "recommend", "no", "complaints"], 1, 5)
        add(["quick", "refund", "highly", "recommend", "no", "complaints"], 2, 5)
        add(["highly", "recommend", "no", "complaints"], 3, 3)
        add(["opening", "hours"], 4, 3)
        var vectorizer = Vectorizer(stopwords: [])
        vectorizer.minDocumentFrequency = 1
        vectorizer.maxDocumentShare = 1
        let vectors = vectorizer.vectors(documents)
        let (clusters, centroids) = LexicalThemeFinder.sparseCentroids(assignment, vectors)
        func cosine(_ a: Int, _ b: Int) -> Float {
            let x = centroids[clusters.firstIndex(of: a)!], y = centroids[clusters.firstIndex(of: b)!]
            return x.reduce(Float(0)) { sum, term in sum + term.weight * (y.first { $0.term == term.term }?.weight ?? 0) }
        }
        let threshold: Float = 0.55
        // The hub is like both themes, which are not like each other: joining every pair above the threshold
        // would make the three one.
        #expect(cosine(3, 1) > threshold && cosine(3, 2) > threshold && cosine(1, 2) < threshold, "\(cosine(3, 1)) \(cosine(3, 2)) \(cosine(1, 2))")
        let merged = LexicalThemeFinder.mergingByCentroid(assignment, vectors, threshold: threshold)
        let themeOf = Dictionary(zip(assignment.map { $0! }, merged.map { $0! }), uniquingKeysWith: { first, _ in first })
        #expect(themeOf[1] != themeOf[2])
        #expect(themeOf[3] == themeOf[1] || themeOf[3] == themeOf[2])
        #expect(themeOf[4] == 4)
        #expect(LexicalThemeFinder.mergingByCentroid(assignment, vectors, threshold: 0.99) == assignment)
    }
}
