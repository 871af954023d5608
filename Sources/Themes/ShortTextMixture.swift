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
    /// Parts of the documents swept at once, one per core: each part is drawn against the counts as they
    /// stood at the sweep's start plus its own moves, and the parts' moves are then applied to each
    /// other's counts (approximate distributed Gibbs sampling, Newman, Asuncion, Smyth and Welling 2009,
    /// "Distributed Algorithms for Topic Models", JMLR). 1: the exact sequential sampler.
    public var parts = 1
    public var seed: UInt64

    public init(k: Int, seed: UInt64) {
        self.k = k
        self.seed = seed
    }

    /// `documents[d]` lists (term id, count) pairs; returns a cluster per document (-1 for empty ones).
    public func fit(_ documents: [[(term: Int32, count: Int)]], vocabularySize: Int) -> [Int] {
        let rng = Xorshift(seed: seed &+ 0x5DEE_CE66)
        let corpus = Corpus(documents, vocabularySize: vocabularySize, k: k, alpha: alpha, beta: beta)
        let d = documents.count
        let clusterOf = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, d))
        clusterOf.initialize(repeating: -1)
        defer { clusterOf.deallocate() }
        let first = Sampler(corpus, rng: rng)
        for doc in 0..<d where corpus.lengths[doc] > 0 {
            let z = Int(first.rng.next() % UInt64(k))
            clusterOf[doc] = z
            first.add(doc, z, 1)
        }
        let parts = max(1, min(self.parts, d / 2))
        if parts == 1 {
            for _ in 0..<iterations {
                first.sweep(0..<d, clusterOf)
                if first.moves.isEmpty { break }
            }
            return Array(clusterOf.prefix(d))
        }
        // Parts of the documents fixed by their count alone, each with a sampler of its own (the same counts
        // to start with) and a generator of its own, so the result does not depend on the machine's cores.
        let samplers = [first] + (1..<parts).map { _ in first.copy() }
        let seeds = samplers.map { _ in first.rng.next() }
        for (sampler, seed) in zip(samplers, seeds) { sampler.rng = Xorshift(seed: seed) }
        let ranges = (0..<parts).map { (d * $0 / parts)..<(d * ($0 + 1) / parts) }
        let shared = SharedClusters(value: clusterOf)
        for _ in 0..<iterations {
            DispatchQueue.concurrentPerform(iterations: parts) { p in samplers[p].sweep(ranges[p], shared.value) }
            // Each part's moves into every other part's counts: all samplers hold the same counts again.
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                for q in 0..<parts where q != p { samplers[p].replay(samplers[q].moves) }
            }
            if samplers.allSatisfy({ $0.moves.isEmpty }) { break }
        }
        return Array(clusterOf.prefix(d))
    }

    /// What the sampler reads and never changes: the documents' terms in flat arrays and every log the
    /// conditional needs, which is always log(integer + constant), precomputed once.
    final class Corpus: @unchecked Sendable {
        let k: Int, lanes: Int, vocabulary: Int
        let start: UnsafeBufferPointer<Int>, terms: UnsafeBufferPointer<Int32>, termCounts: UnsafeBufferPointer<Int>
        let lengths: UnsafeBufferPointer<Int>, logWord: UnsafeBufferPointer<Float>
        let runningLog: UnsafeBufferPointer<Double>, logDoc: UnsafeBufferPointer<Double>

        init(_ documents: [[(term: Int32, count: Int)]], vocabularySize: Int, k: Int, alpha: Double, beta: Double) {
            func buffer<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
                let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
                _ = b.initialize(from: array)
                return UnsafeBufferPointer(b)
            }
            self.k = k
            lanes = (k + 7) / 8  // clusters in lanes of eight; the padding clusters beyond k are never drawn
            vocabulary = max(1, vocabularySize)
            // Each document's (term, count) pairs in one flat array: one array per document was a pointer to
            // chase, and a cache miss, on every visit.
            var start = [0], terms: [Int32] = [], termCounts: [Int] = []
            for document in documents {
                for (term, count) in document {
                    terms.append(term)
                    termCounts.append(count)
                }
                start.append(terms.count)
            }
            let lengths = documents.map { $0.reduce(0) { $0 + $1.count } }
            (self.start, self.terms, self.termCounts, self.lengths) = (buffer(start), buffer(terms), buffer(termCounts), buffer(lengths))
            let totalWords = lengths.reduce(0, +), longest = lengths.max() ?? 0
            logWord = buffer((0...(totalWords + longest + 1)).map { Float(log(Double($0) + beta)) })
            // The denominator's product over a document's words is a difference of running sums (in double:
            // the sums grow large and only their differences matter).
            let vBeta = Double(vocabulary) * beta
            var running = [0.0]
            for n in 0...(totalWords + longest + 1) { running.append(running[n] + log(Double(n) + vBeta)) }
            runningLog = buffer(running)
            logDoc = buffer((0...(documents.count + 1)).map { log(Double($0) + alpha) })
        }

        deinit {
            for b in [UnsafeRawBufferPointer(start), .init(terms), .init(termCounts), .init(lengths), .init(logWord), .init(runningLog),
                      .init(logDoc)] { b.deallocate() }
        }
    }

    /// The counts of one sampler and the logs kept from them, in raw buffers: as arrays, every access in the
    /// loops below paid a bounds check (four per cluster per document in the conditional alone). All element
    /// types are trivial, so the buffers are freed without deinitialising.
    final class Sampler: @unchecked Sendable {
        typealias Lane = SIMD8<Float>
        let corpus: Corpus
        /// The per-cluster logs of the conditional, kept as the counts change (two clusters per move), not
        /// looked up for every cluster of every document.
        let logDocOf: UnsafeMutableBufferPointer<Double>, runningOf: UnsafeMutableBufferPointer<Double>
        /// n_z^w and log(n_z^w + beta), term-major in lanes: the numerator of every cluster for a word that
        /// occurs once in the document is then one contiguous run of vector adds, no table lookups.
        let wordCount: UnsafeMutableBufferPointer<Int32>, logCount: UnsafeMutableBufferPointer<Lane>
        let docsIn: UnsafeMutableBufferPointer<Int>, wordsIn: UnsafeMutableBufferPointer<Int>  // m_z, n_z
        let w: UnsafeMutableBufferPointer<Lane>
        /// The corpus's tables (the corpus, held above, owns them).
        let start: UnsafeBufferPointer<Int>, terms: UnsafeBufferPointer<Int32>, termCounts: UnsafeBufferPointer<Int>
        let lengths: UnsafeBufferPointer<Int>, logWord: UnsafeBufferPointer<Float>
        let runningLog: UnsafeBufferPointer<Double>, logDoc: UnsafeBufferPointer<Double>
        /// The last sweep's moves (document, from, to).
        private(set) var moves: [(doc: Int, from: Int, to: Int)] = []
        /// The sampler's own generator: each part of the documents draws from its own.
        var rng: Xorshift

        init(_ corpus: Corpus, rng: Xorshift) {
            self.corpus = corpus
            self.rng = rng
            func buffer<T>(_ value: T, _ count: Int) -> UnsafeMutableBufferPointer<T> {
                let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, count))
                b.initialize(repeating: value)
                return b
            }
            let (k, lanes) = (corpus.k, corpus.lanes)
            logDocOf = buffer(corpus.logDoc[0], k)
            runningOf = buffer(0, k)
            wordCount = buffer(0, lanes * 8 * corpus.vocabulary)
            logCount = buffer(Lane(repeating: corpus.logWord[0]), lanes * corpus.vocabulary)
            docsIn = buffer(0, k)
            wordsIn = buffer(0, k)
            w = buffer(Lane(), lanes)
            (start, terms, termCounts, lengths) = (corpus.start, corpus.terms, corpus.termCounts, corpus.lengths)
            (logWord, runningLog, logDoc) = (corpus.logWord, corpus.runningLog, corpus.logDoc)
        }

        /// A sampler with the same counts.
        func copy() -> Sampler {
            let other = Sampler(corpus, rng: rng)
            for (to, from) in [(other.logDocOf, logDocOf), (other.runningOf, runningOf)] { _ = to.update(fromContentsOf: from) }
            _ = other.wordCount.update(fromContentsOf: wordCount)
            _ = other.logCount.update(fromContentsOf: logCount)
            _ = other.docsIn.update(fromContentsOf: docsIn)
            _ = other.wordsIn.update(fromContentsOf: wordsIn)
            return other
        }

        deinit {
            for b in [UnsafeMutableRawBufferPointer(logDocOf), .init(runningOf), .init(wordCount), .init(logCount), .init(docsIn),
                      .init(wordsIn), .init(w)] { b.deallocate() }
        }

        @inline(__always)
        func add(_ doc: Int, _ z: Int, _ sign: Int) {
            let lanes = corpus.lanes
            docsIn[z] += sign
            wordsIn[z] += sign * lengths[doc]
            logDocOf[z] = logDoc[docsIn[z]]
            runningOf[z] = runningLog[wordsIn[z]]
            for p in start[doc]..<start[doc + 1] {
                let (term, count) = (terms[p], termCounts[p])
                let cell = Int(term) * lanes * 8 + z
                wordCount[cell] += Int32(sign * count)
                logCount[Int(term) * lanes + z / 8][z % 8] = logWord[Int(wordCount[cell])]
            }
        }

        /// Another sampler's moves, applied to these counts.
        func replay(_ others: [(doc: Int, from: Int, to: Int)]) {
            for move in others {
                add(move.doc, move.from, -1)
                add(move.doc, move.to, 1)
            }
        }

        /// One Gibbs sweep over `documents`: each one taken out of its cluster and drawn again from the
        /// paper's conditional given every other document; `moves` then lists the documents that moved.
        func sweep(_ documents: Range<Int>, _ clusterOf: UnsafeMutableBufferPointer<Int>) {
            let (k, lanes) = (corpus.k, corpus.lanes)
            moves.removeAll(keepingCapacity: true)
            for doc in documents where lengths[doc] > 0 {
                let old = clusterOf[doc]
                add(doc, old, -1)
                let length = lengths[doc]
                w.withMemoryRebound(to: Float.self) { flat in
                    for z in 0..<k {
                        flat[z] = Float(logDocOf[z] - (runningLog[wordsIn[z] &+ length] - runningOf[z]))
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
                                for j in 0..<count { flat[z] += logWord[Int(wordCount[row &+ z]) &+ j] }
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
                    w[l] = ShortTextMixture.samplingWeight(w[l] - best)
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
                if chosen != old { moves.append((doc, old, chosen)) }
                clusterOf[doc] = chosen
                add(doc, chosen, 1)
            }
        }
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

/// The documents' clusters, written by every part's sweep at once: each part writes its own documents' only.
private struct SharedClusters: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<Int>
}
