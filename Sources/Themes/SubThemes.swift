/// A theme's second level: messages of the theme that share terms the rest of the theme does not
/// ("refund" → "refund not received yet", "refund to the wrong card").
public struct SubTheme: Sendable, Equatable {
    public var label: String
    public var keyphrases: [String]
    /// Documents in this sub-theme (indices into the finder's input), in input order.
    public var members: [Int]
    /// Up to three documents that represent it best, best first.
    public var representatives: [Int]
}

/// Splits a theme into sub-themes where its messages support it.
///
/// The theme's messages are vectorised on their own, so the terms every member shares (the theme's own
/// words, above half of its documents) are pruned and only what tells members apart remains; spherical
/// k-means then tries 2...`maxSubThemes` groups. Criterion: the mean simplified silhouette (each document's
/// (b - a) / max(a, b) with a, b its cosine distances to its own and the nearest other centroid; Hruschka
/// et al. 2004), highest wins; a split is kept only when that mean is at least `minSilhouette` (0.25, the
/// lower edge of "weak structure" in Kaufman and Rousseeuw 1990) and every sub-theme holds at least
/// `minShare` of the theme and `minSize` messages. Members whose terms were all pruned stay in the theme
/// without a sub-theme.
public struct SubThemeFinder: Sendable {
    public var vectorizer: Vectorizer
    public var seed: UInt64
    /// Themes smaller than this are not split.
    public var minThemeSize = 30
    public var maxSubThemes = 4
    public var minShare = 0.1
    public var minSize = 5
    public var minSilhouette: Float = 0.25
    /// A theme with more usable members than this fits its sub-themes on a seeded sample of that many, and
    /// then assigns every member to the nearest sub-theme (sampling plus assignment, as the first level's
    /// mixture; its cost in agreement is in docs/themes.md). Themes of a million-message week hold 10,000 to
    /// 36,000 messages, and fitting each split on all of them was a sixth of that analysis.
    public var fitSample = 5_000

    public init(vectorizer: Vectorizer, seed: UInt64) {
        self.vectorizer = vectorizer
        self.seed = seed
    }

    /// Sub-themes of `theme`, made of `members` (indices into `documents`); empty when it does not split.
    /// Sub-theme labels leave out the theme's two strongest terms, which every sub-theme shares.
    /// `interned`: the documents' terms already interned (`InternedTerms(documents.map(\.terms))`), if at hand.
    public func split(_ documents: [ThemeDocument], members: [Int], of theme: Theme, interned all: InternedTerms? = nil) -> [SubTheme] {
        guard members.count >= minThemeSize else { return [] }
        let interned = all?.selecting(members) ?? InternedTerms(members.map { documents[$0].terms })
        let vectors = vectorizer.vectors(interned)
        let usable = (0..<vectors.count).filter { !vectors.isEmpty($0) }
        guard usable.count >= minThemeSize / 2, vectors.dimensions >= 2 else { return [] }
        var best: (silhouette: Float, assignments: [Int], k: Int)?
        let sample = usable.count > fitSample ? Self.sample(usable, count: fitSample, seed: seed) : nil
        let fitted = sample.map { vectors.selecting($0) }
        for k in 2...maxSubThemes {
            let kmeans = SphericalKMeans(k: k, seed: seed, restarts: 2)
            let result = fitted.map { SphericalKMeans.assign(vectors, to: kmeans.fit($0).centroids) } ?? kmeans.fit(vectors)
            var sizes = [Int](repeating: 0, count: k)
            for i in usable { sizes[result.assignments[i]] += 1 }
            let smallest = max(minSize, Int((minShare * Double(members.count)).rounded(.up)))
            guard sizes.allSatisfy({ $0 >= smallest }) else { continue }
            let silhouette = Self.simplifiedSilhouette(vectors, result, usable)
            if silhouette >= minSilhouette, silhouette > (best?.silhouette ?? -1) { best = (silhouette, result.assignments, k) }
        }
        guard let best else { return [] }
        let subset = members.map { documents[$0] }
        let assignments: [Int?] = (0..<members.count).map { vectors.isEmpty($0) ? nil : best.assignments[$0] }
        let placeholders = (0..<best.k).map { _ in
            Theme(id: "", label: "", keyphrases: [], department: "", severity: .average, curated: false, signature: [:])
        }
        let parentTerms = theme.signature.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(2)
            .flatMap { $0.key.split(separator: " ").map(String.init) }
        let labeled = ThemeLabeler.label(
            documents: subset, interned: interned, assignments: assignments, themes: placeholders, keepLabels: [],
            excluding: Set(parentTerms))
        let subthemes = (0..<best.k).map { s in
            SubTheme(
                label: labeled.themes[s].label, keyphrases: labeled.themes[s].keyphrases,
                members: members.indices.filter { assignments[$0] == s }.map { members[$0] },
                representatives: labeled.representatives[s].prefix(3).map { members[$0] })
        }
        return subthemes.sorted { ($0.members.count, $1.label) > ($1.members.count, $0.label) }
    }

    /// `count` of `indices`, drawn with a generator seeded by `seed` (a partial Fisher-Yates shuffle), in
    /// their original order.
    static func sample(_ indices: [Int], count: Int, seed: UInt64) -> [Int] {
        var rng = Xorshift(seed: seed &+ 0x5AB7_4E3E)
        return rng.sample(indices, count: count).sorted()
    }

    static func simplifiedSilhouette<Vectors: DocumentVectors>(_ data: Vectors, _ result: SphericalKMeans.Result, _ usable: [Int]) -> Float {
        var scores = [Centroids.Lane](repeating: .init(), count: result.centroids.lanes)
        var total: Float = 0
        for i in usable {
            data.similarities(i, to: result.centroids, into: &scores)
            let own = result.assignments[i]
            var nearest: Float = -1
            for c in 0..<result.centroids.k where c != own { nearest = max(nearest, scores[c / 8][c % 8]) }
            let a = 1 - scores[own / 8][own % 8], b = 1 - nearest
            let larger = max(a, b)
            total += larger > 0 ? (b - a) / larger : 0
        }
        return usable.isEmpty ? 0 : total / Float(usable.count)
    }
}
