import Testing

@testable import Sentiment

@Suite struct PhraseTableTests {
    /// The hit finder skips a phrase start when `mayStart` says no: it must never say no to a key's first two
    /// words, and to be worth its load it must say no to most other pairs.
    @Test func firstWordPairsOfEveryKeyMayStartAndMostOthersDoNot() {
        var generator = SystemRandomNumberGenerator()
        var table = PhraseTable()
        var keys: [PhraseKey] = []
        for k in 0..<2_000 {
            let length = Int.random(in: 2...PhraseKey.maxWords, using: &generator)
            let ids = (0..<length).map { _ in Int32.random(in: 0..<20_000, using: &generator) }
            let key = PhraseKey(ids[...])
            if table[key] == nil { keys.append(key) }
            table[key] = Int32(k)
        }
        #expect(keys.allSatisfy { table.mayStart($0.a, $0.b) && table[$0] != nil })
        let starts = Set(keys.map { [$0.a, $0.b] })
        let others = (0..<100_000).map { _ in [Int32.random(in: 0..<20_000, using: &generator), Int32.random(in: 0..<20_000, using: &generator)] }
            .filter { !starts.contains($0) }
        let passed = others.filter { table.mayStart($0[0], $0[1]) }.count
        #expect(Double(passed) < 0.1 * Double(others.count), "\(passed) of \(others.count) pairs passed")
    }
}
