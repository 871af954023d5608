import Foundation

/// GSDMM: the Gibbs-sampling Dirichlet multinomial mixture for short texts (Yin and Wang 2014, "A
/// Dirichlet Multinomial Mixture Model-based Approach for Short Text Clustering", KDD). Each document
/// belongs to exactly one cluster; clusters empty out as the sampler runs, so the number of themes is
/// inferred below the upper bound `k`. Implemented from the paper's collapsed conditional (its equation 4).
public struct ShortTextMixture: Sendable {
    public var k: Int
    /// Prior weight of a cluster (the paper's alpha) and of a word in a cluster (beta).
    public var alpha = 0.1
    public var beta = 0.1
    /// Gibbs sweeps; the sampler stops early when no document moves.
    public var iterations = 15
    public var seed: UInt64

    public init(k: Int, seed: UInt64) {
        self.k = k
        self.seed = seed
    }

    /// `documents[d]` lists (term id, count) pairs; returns a cluster per document (-1 for empty ones).
    public func fit(_ documents: [[(term: Int32, count: Int)]], vocabularySize: Int) -> [Int] {
        var rng = Xorshift(seed: seed &+ 0x5DEE_CE66)
        let d = documents.count
        let v = max(1, vocabularySize)
        var clusterOf = [Int](repeating: -1, count: d)
        var docsIn = [Int](repeating: 0, count: k)  // m_z
        var wordsIn = [Int](repeating: 0, count: k)  // n_z
        // n_z^w, term-major: the k counts of one term are contiguous, so the conditional for every cluster
        // reads one run of memory per document term.
        var wordCount = [Int32](repeating: 0, count: k * v)
        let lengths = documents.map { $0.reduce(0) { $0 + $1.count } }
        let totalWords = lengths.reduce(0, +)
        let longest = lengths.max() ?? 0
        // Every log the conditional needs is log(integer + constant): precomputed once, looked up in the loop.
        // The denominator's product over a document's words is a difference of running sums.
        let logWordTable = (0...(totalWords + longest + 1)).map { log(Double($0) + beta) }
        let vBeta = Double(v) * beta
        var runningLogTotal = [0.0]
        for n in 0...(totalWords + longest + 1) { runningLogTotal.append(runningLogTotal[n] + log(Double(n) + vBeta)) }
        let logDocTable = (0...(d + 1)).map { log(Double($0) + alpha) }
        func add(_ doc: Int, _ z: Int, _ sign: Int) {
            docsIn[z] += sign
            wordsIn[z] += sign * lengths[doc]
            for (term, count) in documents[doc] { wordCount[Int(term) * k + z] += Int32(sign * count) }
        }
        for doc in 0..<d where lengths[doc] > 0 {
            let z = Int(rng.next() % UInt64(k))
            clusterOf[doc] = z
            add(doc, z, 1)
        }
        var weights = [Double](repeating: 0, count: k)
        for _ in 0..<iterations {
            var moved = 0
            for doc in 0..<d where lengths[doc] > 0 {
                let old = clusterOf[doc]
                add(doc, old, -1)
                let length = lengths[doc]
                var best = -Double.infinity
                weights.withUnsafeMutableBufferPointer { w in
                    wordCount.withUnsafeBufferPointer { counts in
                        logWordTable.withUnsafeBufferPointer { logWord in
                            runningLogTotal.withUnsafeBufferPointer { running in
                                for z in 0..<k {
                                    w[z] = logDocTable[docsIn[z]] - (running[wordsIn[z] &+ length] - running[wordsIn[z]])
                                }
                                for (term, count) in documents[doc] {
                                    let row = counts.baseAddress! + Int(term) &* k
                                    if count == 1 {
                                        for z in 0..<k { w[z] += logWord[Int(row[z])] }
                                    } else {
                                        for z in 0..<k {
                                            for j in 0..<count { w[z] += logWord[Int(row[z]) &+ j] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    for z in 0..<k where w[z] > best { best = w[z] }
                }
                var total = 0.0
                for z in 0..<k {
                    // exp(-30) is below 1e-13: such clusters cannot be drawn, so skip the exp. Single precision
                    // is plenty for a sampling weight and was half the cost of the double one.
                    let delta = weights[z] - best
                    weights[z] = delta < -30 ? 0 : Double(exp(Float(delta)))
                    total += weights[z]
                }
                var target = rng.nextDouble() * total
                var chosen = k - 1
                for z in 0..<k {
                    target -= weights[z]
                    if target <= 0 {
                        chosen = z
                        break
                    }
                }
                if chosen != old { moved += 1 }
                clusterOf[doc] = chosen
                add(doc, chosen, 1)
            }
            if moved == 0 { break }
        }
        return clusterOf
    }
}
