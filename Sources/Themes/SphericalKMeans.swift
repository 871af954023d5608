/// Spherical k-means (cosine similarity on unit vectors) with k-means++ seeding and several restarts;
/// the run with the highest total similarity wins. Deterministic for a seed.
public struct SphericalKMeans: Sendable {
    public var k: Int
    public var seed: UInt64
    public var restarts: Int
    public var maxIterations: Int

    public init(k: Int, seed: UInt64, restarts: Int = 8, maxIterations: Int = 30) {
        self.k = k
        self.seed = seed
        self.restarts = restarts
        self.maxIterations = maxIterations
    }

    public struct Result: Sendable {
        /// Cluster of each document, -1 for empty documents.
        public var assignments: [Int]
        public var centroids: [[Float]]
        public var similarity: [Float]
        public var objective: Double
    }

    /// Lloyd iterations from given starting centroids (for example another model's clusters).
    public func refine<Vectors: DocumentVectors>(_ data: Vectors, from centroids: [[Float]]) -> Result {
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

    private func run<Vectors: DocumentVectors>(_ data: Vectors, rng: inout Xorshift, initial: [[Float]]? = nil) -> Result {
        let n = data.count
        let d = data.dimensions
        let usable = Array(0..<n)
        let k = min(self.k, max(1, usable.count))
        // k-means++ seeding: the next centre is drawn with probability proportional to (1 - best cosine).
        // An empty starting centroid (a cluster the other model left empty) is reseeded by k-means++.
        var centroids: [[Float]] = (initial ?? []).filter { $0.contains { $0 != 0 } }
        var first = [Float](repeating: 0, count: d)
        var closest = [Float](repeating: 0, count: n)
        if centroids.isEmpty {
            data.add(usable[Int(rng.next() % UInt64(usable.count))], into: &first, weight: 1)
            centroids.append(first)
            for i in 0..<n { closest[i] = data.dot(i, first) }
        } else {
            for i in 0..<n { closest[i] = centroids.map { data.dot(i, $0) }.max()! }
        }
        while centroids.count < k {
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
            var centre = [Float](repeating: 0, count: d)
            data.add(chosen, into: &centre, weight: 1)
            centroids.append(centre)
            for i in 0..<n { closest[i] = max(closest[i], data.dot(i, centre)) }
        }
        var assignments = [Int](repeating: 0, count: n)
        var similarity = [Float](repeating: 0, count: n)
        var objective = 0.0
        for _ in 0..<maxIterations {
            var changed = 0
            objective = 0
            for i in 0..<n {
                var bestCluster = 0
                var bestSim: Float = -2
                for c in 0..<centroids.count {
                    let s = data.dot(i, centroids[c])
                    if s > bestSim {
                        bestSim = s
                        bestCluster = c
                    }
                }
                if assignments[i] != bestCluster { changed += 1 }
                assignments[i] = bestCluster
                similarity[i] = bestSim
                objective += Double(bestSim)
            }
            // Recompute centroids as normalised means; an emptied cluster takes the worst-fitting document.
            var sums = [[Float]](repeating: [Float](repeating: 0, count: d), count: centroids.count)
            var sizes = [Int](repeating: 0, count: centroids.count)
            for i in 0..<n {
                data.add(i, into: &sums[assignments[i]], weight: 1)
                sizes[assignments[i]] += 1
            }
            for c in 0..<centroids.count {
                if sizes[c] == 0 {
                    let worst = (0..<n).min { (similarity[$0], $0) < (similarity[$1], $1) }!
                    sums[c] = [Float](repeating: 0, count: d)
                    data.add(worst, into: &sums[c], weight: 1)
                    similarity[worst] = 1
                }
                let norm = sums[c].reduce(0) { $0 + $1 * $1 }.squareRoot()
                centroids[c] = norm > 0 ? sums[c].map { $0 / norm } : sums[c]
            }
            if changed == 0 { break }
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
}
