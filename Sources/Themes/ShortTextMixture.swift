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
        typealias Lane = SIMD8<Float>
        var rng = Xorshift(seed: seed &+ 0x5DEE_CE66)
        let d = documents.count
        let v = max(1, vocabularySize)
        // Clusters in lanes of eight; the padding clusters beyond k are never drawn.
        let lanes = (k + 7) / 8
        let lengthList = documents.map { $0.reduce(0) { $0 + $1.count } }
        // Each document's (term, count) pairs in one flat array: one array per document was a pointer to chase,
        // and a cache miss, on every visit.
        var startList = [0], termList: [Int32] = [], countList: [Int] = []
        for document in documents {
            for (term, count) in document {
                termList.append(term)
                countList.append(count)
            }
            startList.append(termList.count)
        }
        let totalWords = lengthList.reduce(0, +)
        let longest = lengthList.max() ?? 0
        // Every log the conditional needs is log(integer + constant): precomputed once, looked up in the loop.
        // The denominator's product over a document's words is a difference of running sums (in double:
        // the sums grow large and only their differences matter).
        let logWordList = (0...(totalWords + longest + 1)).map { Float(log(Double($0) + beta)) }
        let vBeta = Double(v) * beta
        var runningLogList = [0.0]
        for n in 0...(totalWords + longest + 1) { runningLogList.append(runningLogList[n] + log(Double(n) + vBeta)) }
        let logDocList = (0...(d + 1)).map { log(Double($0) + alpha) }
        // The sampler's state and tables in raw buffers: as arrays, every access in the loops below paid a
        // bounds check (four per cluster per document in the conditional alone). All element types are
        // trivial, so the buffers are freed without deinitialising.
        func buffer<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
            _ = b.initialize(from: array)
            return b
        }
        // The per-cluster logs of the conditional, kept as the counts change (two clusters per move), not
        // looked up for every cluster of every document.
        let logDocOf = buffer([Double](repeating: logDocList[0], count: k))
        let runningOf = buffer([Double](repeating: 0, count: k))
        // n_z^w and log(n_z^w + beta), term-major in lanes: the numerator of every cluster for a word that
        // occurs once in the document is then one contiguous run of vector adds, no table lookups.
        let wordCount = buffer([Int32](repeating: 0, count: lanes * 8 * v))
        let logCount = buffer([Lane](repeating: Lane(repeating: logWordList[0]), count: lanes * v))
        let docsIn = buffer([Int](repeating: 0, count: k))  // m_z
        let wordsIn = buffer([Int](repeating: 0, count: k))  // n_z
        let clusterOf = buffer([Int](repeating: -1, count: d))
        let start = buffer(startList), terms = buffer(termList), termCounts = buffer(countList), lengths = buffer(lengthList)
        let logWordTable = buffer(logWordList), runningLogTotal = buffer(runningLogList), logDocTable = buffer(logDocList)
        let w = buffer([Lane](repeating: Lane(), count: lanes))
        defer {
            for b in [UnsafeMutableRawBufferPointer(logDocOf), .init(runningOf), .init(wordCount), .init(logCount), .init(docsIn),
                      .init(wordsIn), .init(clusterOf), .init(start), .init(terms), .init(termCounts), .init(lengths),
                      .init(logWordTable), .init(runningLogTotal), .init(logDocTable), .init(w)] { b.deallocate() }
        }
        func add(_ doc: Int, _ z: Int, _ sign: Int) {
            docsIn[z] += sign
            wordsIn[z] += sign * lengths[doc]
            logDocOf[z] = logDocTable[docsIn[z]]
            runningOf[z] = runningLogTotal[wordsIn[z]]
            for p in start[doc]..<start[doc + 1] {
                let (term, count) = (terms[p], termCounts[p])
                let cell = Int(term) * lanes * 8 + z
                wordCount[cell] += Int32(sign * count)
                logCount[Int(term) * lanes + z / 8][z % 8] = logWordTable[Int(wordCount[cell])]
            }
        }
        for doc in 0..<d where lengths[doc] > 0 {
            let z = Int(rng.next() % UInt64(k))
            clusterOf[doc] = z
            add(doc, z, 1)
        }
        for _ in 0..<iterations {
            var moved = 0
            for doc in 0..<d where lengths[doc] > 0 {
                let old = clusterOf[doc]
                add(doc, old, -1)
                let length = lengths[doc]
                w.withMemoryRebound(to: Float.self) { flat in
                    for z in 0..<k {
                        flat[z] = Float(logDocOf[z] - (runningLogTotal[wordsIn[z] &+ length] - runningOf[z]))
                    }
                    for z in k..<(lanes * 8) { flat[z] = -.infinity }
                    for p in start[doc]..<start[doc + 1] {
                        let (term, count) = (terms[p], termCounts[p])
                        if count == 1 {
                            let row = Int(term) &* lanes
                            for l in 0..<lanes { w[l] += logCount[row &+ l] }
                        } else {
                            let row = Int(term) &* lanes &* 8
                            for z in 0..<k {
                                for j in 0..<count { flat[z] += logWordTable[Int(wordCount[row &+ z]) &+ j] }
                            }
                        }
                    }
                }
                var top = w[0]
                for l in 1..<lanes { top.replace(with: w[l], where: w[l] .> top) }  // pointwiseMax is a call
                var highest = top[0]
                for e in 1..<8 where top[e] > highest { highest = top[e] }
                let best = Lane(repeating: highest)
                var sum = Lane()
                for l in 0..<lanes {
                    w[l] = Self.samplingWeight(w[l] - best)
                    sum += w[l]
                }
                var target = Float(rng.nextDouble()) * sum.sum()
                let chosen = w.withMemoryRebound(to: Float.self) { flat in
                    for z in 0..<k {
                        target -= flat[z]
                        if target <= 0 { return z }
                    }
                    return k - 1
                }
                if chosen != old { moved += 1 }
                clusterOf[doc] = chosen
                add(doc, chosen, 1)
            }
            if moved == 0 { break }
        }
        return Array(clusterOf.prefix(d))
    }

    /// exp(delta) for delta <= 0, eight at a time, 0 below -30 (exp(-30) < 1e-13: such a cluster cannot be
    /// drawn). exp(x) = 2^n * e^f with n = round(x / ln 2) and |f| <= ln 2 / 2, e^f by its Taylor series to
    /// the seventh term. Relative error below 2e-6 (from rounding x / ln 2 in single precision; the series
    /// alone is below 2e-7), nothing for a sampling weight; libm's exp, one call per cluster, was a fifth of
    /// the sampler's time. Plain IEEE arithmetic, so the draws are the same on every machine.
    static func samplingWeight(_ delta: SIMD8<Float>) -> SIMD8<Float> {
        let x = delta.replacing(with: -30, where: delta .< -30)
        let t = x * 1.442_695_04  // log2(e)
        // Adding 1.5 * 2^23 rounds t to the nearest integer and leaves it in the low mantissa bits (Swift's
        // generic float-to-integer vector conversion goes element by element, slower than libm's exp).
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = t + magic
        let n = shifted - magic
        let f = (t - n) * 0.693_147_18  // ln 2: f is now the exponent of e, |f| <= ln2 / 2
        var p = SIMD8<Float>(repeating: 1.0 / 5040)
        p = p * f + 1.0 / 720
        p = p * f + 1.0 / 120
        p = p * f + 1.0 / 24
        p = p * f + 1.0 / 6
        p = p * f + 0.5
        p = p * f + 1
        p = p * f + 1
        let whole = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((whole &+ 127) &<< 23, to: SIMD8<Float>.self)  // 2^n, built in the exponent bits
        return (p * scale).replacing(with: 0, where: delta .< -30)
    }
}
