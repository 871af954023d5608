import Foundation
import Sentiment
import Text
import Testing

@Suite struct LexiconTests {
    let valence = ["term", "valence", "notes"]

    @Test(arguments: [
        ("term\tvalence\tnotes\ngood\t1.9\t\ngood\t2.0\t\n", "t.tsv:3: duplicate term \"good\" (first at line 2)"),
        ("term\tvalence\tnotes\nGood\t1.9\t\ngOOD\t2.0\t\n", "t.tsv:3: duplicate term \"good\" (first at line 2)"),
        ("term\tvalence\tnotes\ngood\tvery\t\n", "t.tsv:2: \"very\" is not a number in -4.0...4.0"),
        ("term\tvalence\tnotes\ngood\t9\t\n", "t.tsv:2: \"9\" is not a number in -4.0...4.0"),
        ("term\tvalence\tnotes\ngood\t1.0\n", "t.tsv:2: expected 3 columns, found 2"),
        ("term\tscore\n", "t.tsv:1: header must be term<TAB>valence<TAB>notes"),
        ("term\tvalence\tnotes\nthis is how you treat\t-2\t\n", "t.tsv:2: \"this is how you treat\" has 5 words; a phrase holds at most 4"),
        // Words are runs between spaces, however many spaces there are, and capitals are lowercased first.
        ("term\tvalence\tnotes\n This  is How you   treat\t-2\t\n", "t.tsv:2: \" this  is how you   treat\" has 5 words; a phrase holds at most 4"),
    ])
    func strictLoaderNamesFileAndLine(_ text: String, _ message: String) {
        var lexicons = Lexicons()
        expectRefusal(message) { () throws(LexiconError) in try lexicons.addValences(LexiconFile(name: "t.tsv", text: text, columns: valence)) }
    }

    /// Expects `load` to stop with exactly `message` (file, line and reason).
    private func expectRefusal(_ message: String, _ load: () throws(LexiconError) -> Void) {
        do {
            try load()
            Issue.record("expected \(message)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func commentsBlankLinesAndCRLFAreSkippedButCounted() throws {
        let text = "term\tvalence\tnotes\r\n# a comment\r\n\r\nrude\t-2.0\ta note\r\nKind Words\t 1.5 \t"  // no final newline
        do {
            _ = try LexiconFile(name: "t.tsv", text: text + "\r\nrude\t1\t\n", columns: valence)
            Issue.record("expected the duplicate on line 6")
        } catch {
            #expect(error.description == "t.tsv:6: duplicate term \"rude\" (first at line 4)")
        }
        let file = try LexiconFile(name: "t.tsv", text: text, columns: valence)
        #expect(file.rows.map(\.term) == ["rude", "kind words"])
        #expect(file.rows.map(\.line) == [4, 5])
        #expect(file.columns(of: file.rows[0]) == ["rude", "-2.0", "a note"])
        #expect(file.column(1, of: file.rows[1]) == " 1.5 " && file.column(2, of: file.rows[1]) == "")
        var lexicons = Lexicons()
        try lexicons.addValences(file)
        let score = LexiconScorer(lexicons: lexicons).score(SentimentFixture.tokenizer.tokenize("kind words"))
        #expect(score.compound > 0)
    }

    /// A file is read as bytes: the same rows as its text, a byte order mark left out of the header, a line
    /// that is not UTF-8 named, and a missing file named with the system's reason.
    @Test func filesAreReadAsCheckedUTF8() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("voc-lexicon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ bytes: [UInt8]) -> String {
            let path = directory.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            return path
        }
        let text = "term\tvalence\tnotes\nrude\t-2\t\ncafé au lait\t1.5\t\n😡\t-2.5\t\n"
        let read = try LexiconFile(contentsOf: write("plain.tsv", Array(text.utf8)), columns: valence)
        let parsed = try LexiconFile(name: "plain.tsv", text: text, columns: valence)
        #expect(read.rows.map(\.term) == parsed.rows.map(\.term) && read.bytes == parsed.bytes)
        #expect(read.rows.map(\.term) == ["rude", "café au lait", "😡"])
        let marked = try LexiconFile(contentsOf: write("bom.tsv", [0xEF, 0xBB, 0xBF] + Array(text.utf8)), columns: valence)
        #expect(marked.rows.map(\.term) == parsed.rows.map(\.term))
        let broken = Array("term\tvalence\tnotes\nrude\t-2\t\n".utf8) + [0x63, 0x61, 0x66, 0xC3, 0x09] + Array("1\t\n".utf8)
        #expect(throws: LexiconError(file: "broken.tsv", line: 3, reason: "not UTF-8 text")) {
            try LexiconFile(contentsOf: write("broken.tsv", broken), columns: valence)
        }
        do {
            _ = try LexiconFile(contentsOf: directory.appendingPathComponent("absent.tsv").path, columns: valence)
            Issue.record("expected an error for a missing file")
        } catch {
            #expect(error.description.hasPrefix("absent.tsv: cannot open ") && error.description.hasSuffix(": No such file or directory"))
        }
    }

    /// Hundreds of phrases (the phrase table grows several times), each found as one hit, and their words alone are not.
    @Test func everyPhraseIsMatchedAsOneHit() throws {
        func word(_ prefix: String, _ n: Int) -> String {  // letters only: "w1" would be an identifier, never scored
            prefix + String(UnicodeScalar(UInt8(97 + n % 26))) + String(UnicodeScalar(UInt8(97 + n / 26)))
        }
        let phrases = (0..<600).map { word("w", $0 % 37) + " " + word("v", $0 / 37) + " " + word("x", $0 % 5) }
        let text = "term\tvalence\tnotes\n" + phrases.enumerated().map { "\($1)\t\($0 % 2 == 0 ? -2 : 2)\t" }.joined(separator: "\n")
        var lexicons = Lexicons()
        try lexicons.addValences(LexiconFile(name: "p.tsv", text: text, columns: valence))
        let scorer = LexiconScorer(lexicons: lexicons, explains: true)
        for (i, phrase) in phrases.enumerated() {
            let hits = scorer.score(SentimentFixture.tokenizer.tokenize("so \(phrase) today")).sentences.flatMap(\.hits)
            #expect(hits.map(\.text) == [phrase] && hits.map(\.base) == [i % 2 == 0 ? -2 : 2], "\(phrase)")
        }
        #expect(scorer.score(SentimentFixture.tokenizer.tokenize(word("w", 1) + " " + word("v", 0) + " " + word("x", 2))).sentences.flatMap(\.hits).isEmpty)
    }

    @Test func aTermHasOneRole() throws {
        var lexicons = Lexicons()
        let negators = try LexiconFile(name: "negators.tsv", text: "term\tnotes\nnot\t\n", columns: ["term", "notes"])
        let boosters = try LexiconFile(name: "boosters.tsv", text: "term\tweight\tnotes\nnot\t0.2\t\n", columns: ["term", "weight", "notes"])
        let contrast = try LexiconFile(name: "contrast.tsv", text: "term\tkind\tnotes\n", columns: ["term", "kind", "notes"])
        let politeness = try LexiconFile(name: "politeness.tsv", text: "term\tkind\tnotes\n", columns: ["term", "kind", "notes"])
        #expect(throws: LexiconError(file: "boosters.tsv", line: 2, reason: "\"not\" conflicts with negators.tsv:2")) {
            try lexicons.addRoles(negators: negators, boosters: boosters, contrast: contrast, politeness: politeness)
        }
    }

    /// The shipped valence layers in order (a later one overrides an earlier one), then the role files; each
    /// with its SOURCE note beside it.
    @Test func shippedLexiconsLoad() throws {
        let lexicons = try Lexicons.load(directory: SentimentFixture.lexiconDirectory)
        #expect(lexicons.files.map(\.name) == [
            "general.tsv", "evaluative.tsv", "customer_service.tsv", "emoji.tsv", "spellings.tsv", "negators.tsv", "boosters.tsv", "contrast.tsv",
            "politeness.tsv",
        ])
        for file in lexicons.files {
            let note = SentimentFixture.lexiconDirectory + "/" + (file.name as NSString).deletingPathExtension + ".SOURCE.md"
            #expect(FileManager.default.fileExists(atPath: note), "\(note)")
        }
    }

    /// The loader reads plain decimals from the bytes (`plainDecimal`) and anything else through `Double`:
    /// every written form must come out as the standard parser reads it, to the last bit.
    @Test func valencesAreReadExactlyAsTheStandardParserReadsThem() throws {
        let written = [
            "1.", ".5", "+2", "-0.25", "-0", "0.1", "0.3", "2.675", "3.14159265358979", "-3.999999999999999",
            "1.0000000000000002", "0.30000000000000004", "1e0", "-2.5E-1", " 1.5 ", "4", "-4.000",
        ]
        let terms = written.indices.map { "w" + String(UnicodeScalar(UInt8(97 + $0))) }
        let text = "term\tvalence\tnotes\n" + zip(terms, written).map { "\($0)\t\($1)\t" }.joined(separator: "\n")
        var lexicons = Lexicons()
        try lexicons.addValences(LexiconFile(name: "n.tsv", text: text, columns: valence))
        let scorer = LexiconScorer(lexicons: lexicons, explains: true)
        for (term, form) in zip(terms, written) {
            let expected = try #require(Double(form.trimmingCharacters(in: .whitespaces)))
            let hits = scorer.score(SentimentFixture.tokenizer.tokenize("so " + term)).sentences.flatMap(\.hits)
            #expect(hits.map(\.base.bitPattern) == [expected.bitPattern], "\(form)")
        }
    }

    /// A spelling is read as the word it spells, with that word's valence in the layers before it; the
    /// loader refuses one it could not place, naming file and line.
    @Test func spellingsTakeTheValenceOfTheWordTheySpell() throws {
        var lexicons = Lexicons()
        try lexicons.addValences(LexiconFile(name: "a.tsv", text: "term\tvalence\tnotes\nfavorite\t2.0\t\nrude\t-2.0\t\n", columns: valence))
        try lexicons.addValences(LexiconFile(name: "b.tsv", text: "term\tvalence\tnotes\nfavorite\t1.5\t\n", columns: valence))
        let spellings = ["term", "as", "notes"]
        try lexicons.addSpellings(LexiconFile(name: "s.tsv", text: "term\tas\tnotes\nfavourite\tFavorite\t\n", columns: spellings))
        let scorer = LexiconScorer(lexicons: lexicons, explains: true)
        let british = scorer.score(SentimentFixture.tokenizer.tokenize("my favourite shop"))
        #expect(british.sentences[0].hits.map(\.lexicon) == ["s.tsv"])
        #expect(british.sentences[0].hits.map(\.base) == [1.5])  // the later layer's value, as "favorite" has
        #expect(british.compound == scorer.score(SentimentFixture.tokenizer.tokenize("my favorite shop")).compound)
        for (text, message) in [
            ("term\tas\tnotes\n# a comment\nkind\tkindly\t\n", "s.tsv:3: \"kindly\" is rated by no lexicon"),
            ("term\tas\tnotes\nfavourite\tfavorite\t\n", "s.tsv:2: \"favourite\" is rated already (s.tsv)"),
            ("term\tas\tnotes\nrude\tfavorite\t\n", "s.tsv:2: \"rude\" is rated already (a.tsv)"),
            ("term\tas\tnotes\nmy favourite\tfavorite\t\n", "s.tsv:2: \"my favourite\" is not one word"),
        ] {
            var copy = lexicons
            expectRefusal(message) { () throws(LexiconError) in try copy.addSpellings(LexiconFile(name: "s.tsv", text: text, columns: spellings)) }
        }
    }

    /// A lexicon directory from before `spellings.tsv` still loads: it rates fewer words, none wrongly.
    @Test func aDirectoryWithoutSpellingsLoadsWithoutThem() throws {
        let manager = FileManager.default
        let directory = manager.temporaryDirectory.appendingPathComponent("voc-lexicons-\(UUID().uuidString)")
        try manager.copyItem(atPath: SentimentFixture.lexiconDirectory, toPath: directory.path)
        defer { try? manager.removeItem(at: directory) }
        try manager.removeItem(at: directory.appendingPathComponent("spellings.tsv"))
        let older = try Lexicons.load(directory: directory.path)
        #expect(!older.files.map(\.name).contains("spellings.tsv"))
        let text = SentimentFixture.tokenizer.tokenize("my favourite shop")
        #expect(LexiconScorer(lexicons: older).score(text).compound == 0)
        #expect(LexiconScorer(lexicons: try Lexicons.load(directory: SentimentFixture.lexiconDirectory)).score(text).compound > 0)
    }

    @Test func laterLayersOverride() throws {
        var lexicons = Lexicons()
        try lexicons.addValences(LexiconFile(name: "a.tsv", text: "term\tvalence\tnotes\nrefund\t1.0\t\n", columns: valence))
        try lexicons.addValences(LexiconFile(name: "b.tsv", text: "term\tvalence\tnotes\nrefund\t-1.0\t\n", columns: valence))
        let scorer = LexiconScorer(lexicons: lexicons, explains: true)
        let score = scorer.score(SentimentFixture.tokenizer.tokenize("refund"))
        #expect(score.sentences[0].hits.map(\.lexicon) == ["b.tsv"])
        #expect(score.compound < 0)
    }
}
