import Markup
import Testing

@Suite struct MarkupParserTests {
    @Test func htmlReadableTextDropsScriptsAndBreaksBlocks() throws {
        let html = "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Hello &amp; welcome</p><div>second<br>line</div></body></html>"
        let document = try MarkupParser.parseHTML(Array(html.utf8))
        #expect(document.readableText() == "Hello & welcome\nsecond\nline")
    }

    @Test func xmlKeepsNamespacePrefixesAndCDATA() throws {
        let xml = #"<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><content:encoded><![CDATA[<p>hi</p>]]></content:encoded></item></channel></rss>"#
        let document = try MarkupParser.parseXML(Array(xml.utf8))
        let encoded = document.elements(named: "content:encoded")
        #expect(encoded.count == 1)
        #expect(document.textContent(of: encoded[0]) == "<p>hi</p>")
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let secret = "/tmp/voc-markup-secret-\(UInt32.random(in: 0...UInt32.max)).txt"
        defer { unlink(secret) }
        try "TOP-SECRET-CONTENT".write(toFile: secret)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://\(secret)\">]><r>before &x; after</r>"
        let text = (try? MarkupParser.parseXML(Array(xml.utf8))).map { $0.textContent(of: 0) } ?? ""
        #expect(!text.contains("TOP-SECRET"))
    }

    /// An external DTD, a parameter entity and an entity pointing at a file or a URL: nothing is read or fetched.
    @Test func externalDTDsAndParameterEntitiesAreNeverLoaded() throws {
        let secret = "/tmp/voc-markup-dtd-\(UInt32.random(in: 0...UInt32.max))"
        defer { for suffix in [".dtd", ".txt"] { unlink(secret + suffix) } }
        try "<!ENTITY leak \"DTD-SECRET\">".write(toFile: secret + ".dtd")
        try "FILE-SECRET".write(toFile: secret + ".txt")
        let documents = [
            "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"file://\(secret).dtd\"><r>a &leak; b</r>",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"file://\(secret).dtd\"> %p;]><r>a &leak; b</r>",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:9/\(secret).txt\">]><r>&x;</r>",
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"\(secret).txt\">]><r>&x;</r>",
        ]
        for xml in documents {
            let text = (try? MarkupParser.parseXML(Array(xml.utf8))).map { $0.textContent(of: 0) } ?? ""
            #expect(!text.contains("SECRET"), "\(xml)")
        }
    }

    /// Quadratic blow-up: one 100 KB entity referenced 20,000 times would be 2 GB if substituted.
    @Test func quadraticBlowUpDoesNotExpand() {
        let big = String(repeating: "a", count: 100_000)
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"\(big)\">]><r>" + String(repeating: "&a;", count: 20_000) + "</r>"
        let text = (try? MarkupParser.parseXML(Array(xml.utf8))).map { $0.textContent(of: 0) } ?? ""
        #expect(text.utf8.count < 1_000_000)
    }

    @Test func billionLaughsDoesNotExpand() {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for level in 1...9 {
            xml += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">"
        }
        xml += "]><lolz>&lol9;</lolz>"
        let text = (try? MarkupParser.parseXML(Array(xml.utf8))).map { $0.textContent(of: 0) } ?? ""
        #expect(text.utf8.count < 1000)
    }

    @Test func deepNestingIsCutNotFatal() throws {
        let html = String(repeating: "<div>", count: 100_000) + "deep" + String(repeating: "</div>", count: 100_000)
        let document = try MarkupParser.parseHTML(Array(html.utf8))
        #expect(document.nodes.allSatisfy { $0.depth <= MarkupLimits().maxDepth + 1 })
    }

    @Test func oversizedInputIsRefused() {
        #expect(throws: MarkupError.tooLarge(bytes: 11, limit: 10)) {
            try MarkupParser.parseXML(Array("<a>xxxx</a>".utf8), limits: MarkupLimits(maxBytes: 10))
        }
    }

    @Test func brokenXMLNamesTheLine() {
        #expect(throws: (any Error).self) { try MarkupParser.parseXML(Array("<a>\n<b></a>".utf8)) }
    }
}

extension String {
    func write(toFile path: String) throws {
        guard let file = fopen(path, "w") else { throw MarkupError.empty }
        fputs(self, file)
        fclose(file)
    }
}

#if canImport(Glibc)
import Glibc
#endif
