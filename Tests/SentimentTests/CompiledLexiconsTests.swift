import Foundation
import Testing
import Text

@testable import Sentiment

/// The compiled image of the lexicons: a scorer read from it scores exactly as one read from the files, and
/// an image that does not match the files, the build or its own checksum is never used.
@Suite struct CompiledLexiconsTests {
    let build: [UInt8] = Array("build one".utf8)

    /// Texts that reach every table the image holds: phrases, boosters and their phrases, negators, contrast
    /// and politeness words, emoji, words over sixteen bytes, non-ASCII words, hashtags, spellings.
    static let texts: [String] =
        ConformanceTests.polarity.map(\.0) + ConformanceTests.pairs.flatMap { [$0.0, $0.1] } + [
            "I was on hold for two hours and nobody called back, thanks for nothing",
            "The agent was kind of helpful but the refund still hasn't arrived 😡",
            "Incomprehensibly disappointing; the überfreundliche staff made up for it 👍🏽",
            "My favourite colour, honestly: not bad at all #greatservice #fail",
            "NEVER AGAIN!!! Charged twice and they cancelled my flight???",
            "Couldn't be happier, the replacement arrived a day early 🙂",
        ]

    private func cacheDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("voc-image-\(UUID().uuidString)").path
    }

    private func explained(_ scorer: LexiconScorer) -> [SentimentScore] {
        let tokenizer = Tokenizer()
        return Self.texts.map { scorer.score(tokenizer.tokenize($0)) }
    }

    @Test func anImageScoresAsTheFilesDo() throws {
        let directory = cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = LexiconCache(directory: directory, buildKey: build)
        let fromFiles = try LexiconScorer.load(directory: SentimentFixture.lexiconDirectory, explains: true, cache: nil)
        let writing = try LexiconScorer.load(directory: SentimentFixture.lexiconDirectory, explains: true, cache: cache)
        let path = CompiledLexicons.path(in: cache, directory: SentimentFixture.lexiconDirectory, overrides: [])
        #expect(FileManager.default.fileExists(atPath: path))
        let fromImage = try LexiconScorer.load(directory: SentimentFixture.lexiconDirectory, explains: true, cache: cache)
        #expect(try CompiledLexicons.read(path, files: files(SentimentFixture.lexiconDirectory), buildKey: build) != nil)

        let expected = explained(fromFiles)
        #expect(expected.contains { $0.sentences.contains { !$0.hits.isEmpty } })
        #expect(explained(writing) == expected)
        #expect(explained(fromImage) == expected)
        // And the same lexicons: every term with the same entry and source file, and the same rows. (Ids
        // may differ: the rules' words come from sets, and each load of the files gives them in its own order.)
        let a = fromFiles.engine.lexicons, b = fromImage.engine.lexicons
        #expect(a.terms.count == b.terms.count)
        let differing = (0..<Int32(a.terms.count)).filter { id in
            let term = a.terms.term(id)
            guard let other = b.terms.find(term), b.terms.term(other) == term else { return true }
            let x = a.entries[Int(id)], y = b.entries[Int(other)]
            return x.valence.bitPattern != y.valence.bitPattern || x.role != y.role || x.markers != y.markers
                || x.longestPhrase != y.longestPhrase || x.longestRolePhrase != y.longestRolePhrase || a.source[Int(id)] != b.source[Int(other)]
        }
        #expect(differing.isEmpty, "\(differing.prefix(5).map { a.terms.term($0) })")
        #expect(a.files.map(\.name) == b.files.map(\.name))
        #expect(a.files.map { $0.rows.map(\.term) } == b.files.map { $0.rows.map(\.term) })
    }

    @Test func aChangedLexiconIsReadAgain() throws {
        let lexicons = try copyOfLexicons()
        let directory = cacheDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: lexicons)
        }
        let cache = LexiconCache(directory: directory, buildKey: build)
        let before = try LexiconScorer.load(directory: lexicons, cache: cache)
        let text = Tokenizer().tokenize("the parcel was zorbled")
        #expect(before.score(text).label == .neutral)
        let file = lexicons + "/customer_service.tsv"
        try (String(contentsOfFile: file, encoding: .utf8) + "zorbled\t-2.5\twritten by the test\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try LexiconScorer.load(directory: lexicons, cache: cache).score(text).label == .negative)
        // The image was written again for the new bytes, and serves the next start.
        let path = CompiledLexicons.path(in: cache, directory: lexicons, overrides: [])
        #expect(try CompiledLexicons.read(path, files: files(lexicons), buildKey: build) != nil)
        #expect(try LexiconScorer.load(directory: lexicons, cache: cache).score(text).label == .negative)
    }

    @Test func anotherBuildOrOverridesGetImagesOfTheirOwn() throws {
        let directory = cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (cache, lexicons, path) = try shippedImage(in: directory)
        #expect(try CompiledLexicons.read(path, files: files(lexicons), buildKey: Array("build two".utf8)) == nil)
        #expect(CompiledLexicons.path(in: LexiconCache(directory: directory, buildKey: Array("build two".utf8)), directory: lexicons, overrides: []) != path)

        let override = directory + "/mine.tsv"
        try "term\tvalence\tnotes\nzorbled\t3\t\n".write(toFile: override, atomically: true, encoding: .utf8)
        #expect(CompiledLexicons.path(in: cache, directory: lexicons, overrides: [override]) != path)
        let scorer = try LexiconScorer.load(directory: lexicons, overrides: [override], cache: cache)
        let again = try LexiconScorer.load(directory: lexicons, overrides: [override], cache: cache)
        for s in [scorer, again] { #expect(s.score(Tokenizer().tokenize("it zorbled")).label == .positive) }
        #expect(try CompiledLexicons.read(path, files: files(lexicons, overrides: [override]), buildKey: build) == nil)
    }

    /// A truncated image, a changed byte, and a well-formed image whose parts do not fit together are all
    /// refused; the scorer is then read from the files and the image written again.
    @Test func aDamagedImageIsRefused() throws {
        let directory = cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = LexiconCache(directory: directory, buildKey: build)
        let lexicons = SentimentFixture.lexiconDirectory
        let expected = explained(try LexiconScorer.load(directory: lexicons, explains: true, cache: cache))
        let path = CompiledLexicons.path(in: cache, directory: lexicons, overrides: [])
        let image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let sources = try files(lexicons)

        func refused(_ bytes: [UInt8]) throws -> Bool {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return CompiledLexicons.read(path, files: sources, buildKey: build) == nil
        }
        #expect(try refused(Array(image.dropLast(8))))
        var flipped = image
        flipped[image.count / 2] ^= 0x40
        #expect(try refused(flipped))
        // A short-term table entry pointing past the terms, with the checksum made to match.
        var payload = Array(image[24...])
        let idsOffset = try #require(offsetOfLastIDs(in: payload))
        payload.withUnsafeMutableBytes { $0.storeBytes(of: Int32.max, toByteOffset: idsOffset, as: Int32.self) }
        var forged = Array(image[..<16])
        withUnsafeBytes(of: payload.withUnsafeBytes { Checksum.of($0) }) { forged += $0 }
        #expect(try refused(forged + payload))

        #expect(explained(try LexiconScorer.load(directory: lexicons, explains: true, cache: cache)) == expected)
        #expect(CompiledLexicons.read(path, files: sources, buildKey: build) != nil)
    }

    /// Bytes changed anywhere past the lexicon files, with the checksum made to match each time, never make
    /// the reader trap or read out of bounds: the image is refused, or its engine scores (a changed valence
    /// is a valid image of other lexicons).
    @Test func changedBytesWithAMatchingChecksumAreRefusedOrScoreSafely() throws {
        let directory = cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (_, lexicons, path) = try shippedImage(in: directory)
        let image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let sources = try files(lexicons)
        let starts = try #require(sectionStarts(in: Array(image[24...])))
        let firstTable = starts[3 + 3 * sources.count] + 24  // past the key, the file count and each file's three sections
        // A linear congruential sequence (Knuth's MMIX constants): the same mutations on every run.
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var refused = 0
        for round in 0..<40 {
            var payload = Array(image[24...])
            for _ in 0..<(1 + round % 4) {
                let at = Int(next() % UInt64(image.count - firstTable)) + firstTable - 24
                payload[at] = UInt8(truncatingIfNeeded: next())
            }
            var forged = Array(image[..<16])
            withUnsafeBytes(of: payload.withUnsafeBytes { Checksum.of($0) }) { forged += $0 }
            try Data(forged + payload).write(to: URL(fileURLWithPath: path))
            guard let engine = CompiledLexicons.read(path, files: sources, buildKey: build) else {
                refused += 1
                continue
            }
            let scorer = LexiconScorer(engine: engine, explains: true)
            for text in Self.texts.suffix(6) { #expect((-1...1).contains(scorer.score(Tokenizer().tokenize(text)).compound)) }
        }
        #expect(refused > 0)
    }

    /// Where each section's bytes begin in a payload.
    private func sectionStarts(in payload: [UInt8]) -> [Int]? {
        var starts: [Int] = []
        var offset = 0
        while offset + 8 <= payload.count {
            let count = payload.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
            guard count >= 0, count <= payload.count else { return nil }
            starts.append(offset + 8)
            offset += 8 + count + (8 - count % 8) % 8
        }
        return starts
    }

    /// Where the medium table's ids begin in a payload: the next-to-last section.
    private func offsetOfLastIDs(in payload: [UInt8]) -> Int? {
        guard let starts = sectionStarts(in: payload), starts.count >= 2 else { return nil }
        return starts[starts.count - 2]
    }

    /// Writes the shipped lexicons' image into `directory`: its cache, the lexicons and the image's path.
    private func shippedImage(in directory: String) throws -> (cache: LexiconCache, lexicons: String, path: String) {
        let cache = LexiconCache(directory: directory, buildKey: build)
        let lexicons = SentimentFixture.lexiconDirectory
        _ = try LexiconScorer.load(directory: lexicons, cache: cache)
        return (cache, lexicons, CompiledLexicons.path(in: cache, directory: lexicons, overrides: []))
    }

    private func files(_ directory: String, overrides: [String] = []) throws -> [(source: Lexicons.Source, bytes: [UInt8])] {
        try Lexicons.sources(directory: directory, overrides: overrides).map { source throws(LexiconError) in
            (source, try LexiconFile.read(source.path, name: source.name))
        }
    }

    private func copyOfLexicons() throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("voc-lexicons-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: SentimentFixture.lexiconDirectory, toPath: copy)
        return copy
    }
}
