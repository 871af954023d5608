/// k unit vectors stored dimension-major (the k weights of dimension 0, then of dimension 1, ...) in lanes
/// of eight: scoring a sparse document against every centroid is then one vector multiply-add per eight
/// centroids per document term.
public struct Centroids: Sendable {
    public typealias Lane = SIMD8<Float>
    public let k: Int
    public let dimensions: Int
    /// Lanes per dimension: cluster c is element c % 8 of lane c / 8.
    public let lanes: Int
    public var values: [Lane]

    public init(k: Int, dimensions: Int) {
        self.k = k
        self.dimensions = dimensions
        lanes = (k + 7) / 8
        values = [Lane](repeating: Lane(), count: lanes * dimensions)
    }

    public subscript(dimension: Int, cluster: Int) -> Float {
        get { values[dimension * lanes + cluster / 8][cluster % 8] }
        set { values[dimension * lanes + cluster / 8][cluster % 8] = newValue }
    }

    /// Sets every weight to zero, keeping the storage.
    mutating func clear() { values.withUnsafeMutableBufferPointer { $0.update(repeating: Lane()) } }

    /// Scales every centroid to unit length (zero centroids stay zero).
    public mutating func normalize() {
        var norms = [Lane](repeating: Lane(), count: lanes)
        let lanes = lanes
        values.withUnsafeMutableBufferPointer { v in
            for t in 0..<dimensions {
                for l in 0..<lanes { norms[l] += v[t * lanes + l] * v[t * lanes + l] }
            }
            for l in 0..<lanes {
                for e in 0..<8 { norms[l][e] = norms[l][e] > 0 ? 1 / norms[l][e].squareRoot() : 0 }
            }
            for t in 0..<dimensions {
                for l in 0..<lanes { v[t * lanes + l] *= norms[l] }
            }
        }
    }

    /// The cluster with the highest score (the first of equals) and its score. The maximum is taken eight
    /// lanes at a time (a compare per cluster was a third of k-means), then its first lane is looked up.
    static func best(_ scores: [Lane], k: Int) -> (Int, Float) {
        scores.withUnsafeBufferPointer { best($0, k: k, padding: padding(k: k)) }
    }

    /// Added to the last lane of scores: 0 for clusters below `k`, -infinity for the rest (padding, or not
    /// seeded yet), which must never win.
    static func padding(k: Int) -> Lane {
        var lane = Lane()
        for e in 0..<8 where (k + 7) / 8 * 8 - 8 + e >= k { lane[e] = -.infinity }
        return lane
    }

    /// `best` for a k-means iteration: no array, padding made once. Standard-library vector max and
    /// reductions are generic calls, so the maximum is compare-and-blend, halving the lane twice.
    @inline(__always)
    static func best(_ scores: UnsafeBufferPointer<Lane>, k: Int, padding: Lane) -> (Int, Float) {
        let used = (k + 7) / 8
        let last = scores[used - 1] + padding
        var top = last
        for l in 0..<(used - 1) { top.replace(with: scores[l], where: scores[l] .> top) }
        let half = top.lowHalf.replacing(with: top.highHalf, where: top.highHalf .> top.lowHalf)
        let quarter = half.lowHalf.replacing(with: half.highHalf, where: half.highHalf .> half.lowHalf)
        let highest = quarter[1] > quarter[0] ? quarter[1] : quarter[0]
        for l in 0..<used {
            let lane = l == used - 1 ? last : scores[l]
            guard any(lane .== highest) else { continue }
            for e in 0..<8 where lane[e] == highest { return (l * 8 + e, highest) }
        }
        return (0, scores[0][0])  // not reached: some lane holds the maximum
    }

    /// Cosine of two unit centroids.
    public func cosine(_ a: Int, _ b: Int) -> Float {
        var dot: Float = 0
        for t in 0..<dimensions { dot += self[t, a] * self[t, b] }
        return dot
    }

    public func isZero(_ cluster: Int) -> Bool { !(0..<dimensions).contains { self[$0, cluster] != 0 } }

    /// The given clusters, in that order, as a new matrix of `k` centroids (the rest zero).
    func selecting(_ clusters: [Int], k newK: Int) -> Centroids {
        var out = Centroids(k: newK, dimensions: dimensions)
        for t in 0..<dimensions {
            for (slot, c) in clusters.enumerated() { out[t, slot] = self[t, c] }
        }
        return out
    }
}

/// Spherical k-means (cosine similarity on unit vectors) with k-means++ seeding and several restarts;
/// the run with the highest total similarity wins. Deterministic for a seed.
public struct SphericalKMeans: Sendable {
    public var k: Int
    public var seed: UInt64
    public var restarts: Int
    public var maxIterations: Int

    /// Documents per slice of per-document work (seeding, sweeps): large enough that a slice outweighs
    /// handing it to a core.
    var sweepSlice = 1_024

    public init(k: Int, seed: UInt64, restarts: Int = 8, maxIterations: Int = 30) {
        self.k = k
        self.seed = seed
        self.restarts = restarts
        self.maxIterations = maxIterations
    }

    public struct Result: Sendable {
        /// Cluster of each document, -1 for empty documents.
        public var assignments: [Int]
        public var centroids: Centroids
        public var similarity: [Float]
        public var objective: Double
    }

    /// Every document of `data` assigned to its most similar centroid (one sweep, no iteration): the model
    /// fitted on a sample, applied to all.
    static func assign<Vectors: DocumentVectors>(_ data: Vectors, to centroids: Centroids) -> Result {
        let padding = Centroids.padding(k: centroids.k)
        var scores = [Centroids.Lane](repeating: .init(), count: centroids.lanes)
        var assignments = [Int](repeating: 0, count: data.count), similarity = [Float](repeating: 0, count: data.count)
        var objective = 0.0
        for i in 0..<data.count {
            data.similarities(i, to: centroids, into: &scores)
            (assignments[i], similarity[i]) = scores.withUnsafeBufferPointer { Centroids.best($0, k: centroids.k, padding: padding) }
            objective += Double(similarity[i])
        }
        return Result(assignments: assignments, centroids: centroids, similarity: similarity, objective: objective)
    }

    /// Lloyd iterations from given starting centroids (for example another model's clusters).
    public func refine<Vectors: DocumentVectors>(_ data: Vectors, from centroids: Centroids) -> Result {
        var rng = Xorshift(seed: seed)
        return run(data, rng: &rng, initial: centroids)
    }

    public func fit<Vectors: DocumentVectors>(_ data: Vectors) -> Result {
        var best: Result?
        for restart in 0..<max(1, restarts) {
            var rng = Xorshift(seed: seed &* 0x9E37_79B9 &+ UInt64(restart) &+ 1)
            let result = run(data, rng: &rng)
            if best == nil || result.objective > best!.objective { best = result }
        }
        return best!
    }

    private func run<Vectors: DocumentVectors>(_ data: Vectors, rng: inout Xorshift, initial: Centroids? = nil) -> Result {
        let n = data.count
        let k = min(self.k, max(1, n))
        // Starting centroids: the given ones that are not empty (a cluster the other model left empty is
        // reseeded), then k-means++: the next centre is drawn with probability proportional to (1 - best cosine).
        var filled = 0
        var centroids: Centroids
        if let initial {
            let kept = (0..<initial.k).filter { !initial.isZero($0) }.prefix(k)
            centroids = initial.selecting(Array(kept), k: k)
            filled = kept.count
        } else {
            centroids = Centroids(k: k, dimensions: data.dimensions)
        }
        // Per-document work, seeding included, runs in slices of a fixed size at once on every core. The
        // slices depend only on n, and sums over them are taken in slice order, so the result does not
        // depend on the number of cores.
        let slices = max(0, n - 1) / max(1, sweepSlice) + 1
        func similarities(toDocument d: Int) -> [Float] {
            let parts = inSlices(count: n, parts: slices) { data.similarities(toDocument: d, in: $0) }
            return parts.count == 1 ? parts[0] : parts.flatMap { $0 }
        }
        var closest = [Float](repeating: 0, count: n)
        if filled == 0 {
            let first = Int(rng.next() % UInt64(n))
            data.add(first, to: &centroids, cluster: 0)
            filled = 1
            closest = similarities(toDocument: first)
        } else if filled < k {
            // Only k-means++ reads `closest`: given a full set of centroids there is nothing to seed.
            let (given, count) = (centroids, filled)
            closest = inSlices(count: n, parts: slices) { range in
                var scores = [Centroids.Lane](repeating: .init(), count: given.lanes)
                return range.map { i in
                    data.similarities(i, to: given, into: &scores)
                    return Centroids.best(scores, k: count).1
                }
            }.flatMap { $0 }
        }
        while filled < k {
            var total: Double = 0
            for i in 0..<n { total += Double(max(0, 1 - closest[i])) }
            var target = rng.nextDouble() * total
            var chosen = n - 1
            for i in 0..<n {
                target -= Double(max(0, 1 - closest[i]))
                if target <= 0 {
                    chosen = i
                    break
                }
            }
            data.add(chosen, to: &centroids, cluster: filled)  // a document vector is already of unit length
            let seedSimilarity = similarities(toDocument: chosen)
            for i in 0..<n { closest[i] = max(closest[i], seedSimilarity[i]) }
            filled += 1
        }
        var assignments = [Int](repeating: 0, count: n)
        var similarity = [Float](repeating: 0, count: n)
        var objective = 0.0
        // Two matrices swapped each iteration: a fresh one per iteration was mostly page faults at 200,000 documents.
        var sums = Centroids(k: k, dimensions: data.dimensions)
        let padding = Centroids.padding(k: k)
        for _ in 0..<maxIterations {
            let current = centroids
            let swept = inSlices(count: n, parts: slices) { range -> (assignments: [Int], similarity: [Float], objective: Double) in
                var scores = [Centroids.Lane](repeating: .init(), count: current.lanes)
                var (assignments, similarity, objective) = ([Int](), [Float](), 0.0)
                assignments.reserveCapacity(range.count)
                similarity.reserveCapacity(range.count)
                for i in range {
                    data.similarities(i, to: current, into: &scores)
                    let (bestCluster, bestSim) = scores.withUnsafeBufferPointer { Centroids.best($0, k: k, padding: padding) }
                    assignments.append(bestCluster)
                    similarity.append(bestSim)
                    objective += Double(bestSim)
                }
                return (assignments, similarity, objective)
            }
            var changed = 0
            objective = 0
            var start = 0
            for slice in swept {
                for (offset, cluster) in slice.assignments.enumerated() where assignments[start + offset] != cluster { changed += 1 }
                assignments.replaceSubrange(start..<(start + slice.assignments.count), with: slice.assignments)
                similarity.replaceSubrange(start..<(start + slice.similarity.count), with: slice.similarity)
                objective += slice.objective
                start += slice.assignments.count
            }
            // Recompute centroids as normalised means; an emptied cluster takes the worst-fitting document.
            sums.clear()
            data.addAll(assignments, to: &sums)
            var sizes = [Int](repeating: 0, count: k)
            for c in assignments { sizes[c] += 1 }
            for c in 0..<k where sizes[c] == 0 {
                let worst = (0..<n).min { (similarity[$0], $0) < (similarity[$1], $1) }!
                data.add(worst, to: &sums, cluster: c)
                similarity[worst] = 1
            }
            sums.normalize()
            swap(&centroids, &sums)
            if changed * 1000 <= n { break }  // fewer than 0.1% moved: later sweeps only shuffle the boundary
        }
        return Result(assignments: assignments, centroids: centroids, similarity: similarity, objective: objective)
    }
}

/// xorshift64*: a tiny seeded generator, identical on every platform.
struct Xorshift {
    var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x2545_F491_4F6C_DD1D : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// `count` of `elements` drawn without replacement (a partial Fisher-Yates shuffle), in the order drawn.
    mutating func sample(_ elements: [Int], count: Int) -> [Int] {
        var pool = elements
        for i in 0..<min(count, pool.count) { pool.swapAt(i, i + Int(next() % UInt64(pool.count - i))) }
        return Array(pool.prefix(count))
    }
}

