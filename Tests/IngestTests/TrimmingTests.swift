import Foundation
import Testing
@testable import Ingest

/// The native trimming helpers agree with Foundation's `CharacterSet` trimming they replace.
@Suite struct TrimmingTests {
    static let samples = [
        "", " ", "\t a b \t", "\u{00A0}no-break\u{00A0}", "\u{3000}ideographic\u{2003}", "\r\n line \r\n", "\u{2028}ls\u{2029}",
        "\u{0085}nel\u{000B}\u{000C}", "\u{200B}zero width\u{200B}", " café ", "\"quoted\"", "'single'", ",.!-sign off-!.,", "x",
        "  \u{1F600} emoji \u{1F600}  ", "\n\n", "a\u{0301} ", " \u{0301}a",
        // Nothing to trim at ASCII ends (returned as they are), and non-ASCII ends (read scalar by scalar).
        "plain words", "inner\u{00A0}space", "é", "ñandú", "a\u{00A0}", "\u{00A0}a", "-x-",
        // ASCII trimmed off an end up to a non-ASCII scalar, trimmed or kept.
        "é.", ".é!", " \u{00A0} x . ", "!!", "Thanks!", " \u{00A0}", "- \u{2003}-", ", é ,",
    ]

    @Test(arguments: samples)
    func agreesWithFoundation(_ text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingSpacesAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.trimming(",.!-") == text.trimmingCharacters(in: CharacterSet(charactersIn: ",.!-")))
        #expect(text.trimming("\"'") == text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")))
        #expect(Substring(text).trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: samples + ["ÀÉÎ Ünïcode", "ΣΑΣ ΟΔΟΣ. Σ", "İstanbul", "STRASSE ẞ", "ǅǈǋ", "Ⅻ ⓐⒶ", "K Å", "MIXED 😞 Case", "\u{1E900}"])
    func lowercasingOnBytesAgreesWithTheStandardCall(_ text: String) {
        #expect(text.lowercasedOnBytes() == text.lowercased())
        #expect(Substring(text).lowercasedOnBytes() == text.lowercased())
    }

    /// A non-ASCII byte is found at any position, in any length (eight bytes are read at a time).
    @Test func asciiIsToldAtEveryLengthAndPosition() {
        for length in 0...20 {
            let ascii = [UInt8](repeating: 0x7F, count: length)
            #expect(ascii.withUnsafeBufferPointer(\.isASCII))
            for position in 0..<length {
                var bytes = ascii
                bytes[position] = 0x80
                #expect(!bytes.withUnsafeBufferPointer(\.isASCII), "length \(length), position \(position)")
            }
        }
    }

    /// Every scalar below U+20000, alone and between ASCII capitals, lowercases as the standard call does.
    @Test func everyScalarLowercasesAsTheStandardCallDoes() {
        var differ: [UInt32] = []
        for value in UInt32(0)..<0x20000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "Ab" + String(Character(scalar)) + "CD"
            if text.lowercasedOnBytes().utf8.elementsEqual(text.lowercased().utf8) == false
                || String(Character(scalar)).lowercasedOnBytes() != String(Character(scalar)).lowercased()
            {
                differ.append(value)
            }
        }
        #expect(differ.isEmpty, "first: \(differ.prefix(5).map { String($0, radix: 16) })")
    }

    /// Every scalar of the Basic Multilingual Plane (every whitespace and newline Unicode has is in it).
    @Test func everyScalarIsClassifiedAsFoundationDoes() {
        var differ: [UInt32] = []
        for value in UInt32(0)..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            if text.trimmingSpaces().isEmpty != CharacterSet.whitespaces.contains(scalar)
                || text.trimmingSpacesAndNewlines().isEmpty != CharacterSet.whitespacesAndNewlines.contains(scalar)
            {
                differ.append(value)
            }
        }
        #expect(differ.count == 0, "first: \(differ.prefix(5).map { String($0, radix: 16) })")
    }

    @Test(arguments: [
        ("john smith/acme@acme", true), ("j. o'neil/sales dept@corp-mail.example", true), ("john/acme", false),
        ("john@acme/x", false), ("/acme@acme", false), ("john/@acme", false), ("john/acme@", false), ("on monday/tuesday@9", true),
        ("a/b/c@d", false), ("a/b@c@d", false), ("jöhn/äcme@ächme", true), ("john smith", false),
    ])
    func notesAddressesMatchTheRegularExpressionTheyReplace(_ line: String, _ expected: Bool) {
        let regex = line.range(of: #"^[\w .'-]+/[\w .-]+@[\w.-]+$"#, options: .regularExpression) != nil
        #expect(ReplyStripper.isNotesAddress(line) == expected)
        #expect(regex == expected)
    }

    /// The byte path for ASCII headers gives what the Character path gives, and what RFC 2045/2231 mean.
    @Test(arguments: [
        "text/plain; charset=\"utf-8\"; format=flowed", "multipart/mixed;\tboundary=\"=_a;b\"", "text/html;CHARSET=ISO-8859-1",
        "attachment; filename*=UTF-8''caf%C3%A9.pdf", "inline", "", " ; ", "text/plain; charset=\"", "a; b=\"\"; c= ; =d; e",
        "text/plain; charset=us-ascii; charset=utf-8", "x; k=\"v\r\n\"", "x;k=\"a\";;k2 = b ",
    ])
    func asciiParametersAgreeWithTheCharacterPath(_ header: String) throws {
        let bytes = try #require(MailMessage.asciiParameters(header))
        let characters = MailMessage.anyParameters(header)
        #expect(bytes.value == characters.value)
        #expect(bytes.params == characters.params)
    }

    @Test func parametersAreReadAsTheRFCsSay() {
        let type = MailMessage.parameters("Text/Plain; Charset=\"UTF-8\"; format=flowed; name*=utf-8''r%C3%A9sum%C3%A9.txt")
        #expect(type.value == "Text/Plain")
        #expect(type.params == ["charset": "UTF-8", "format": "flowed", "name": "résumé.txt"])
        #expect(MailMessage.parameters("multipart/mixed; boundary=\"a;b\"").params["boundary"] == "a;b")
        #expect(MailMessage.asciiParameters("text/plain; name=\"café\"") == nil)
        #expect(MailMessage.parameters("text/plain; name=\"café\"").params["name"] == "café")
    }

    /// The customer's address is the last non-empty piece after a "<", as splitting the header at "<" gives.
    @Test(arguments: [
        ("Ann <ann@example.com>", "ann@example.com"), ("ann@example.com", "ann@example.com"), ("", ""), ("<<", "<<"),
        ("Name <", "Name"), ("a<b<", "b"), ("\"x<y\" <z@example.com> ", "z@example.com"), ("Zoë <zoë@exämple.de>", "zoë@exämple.de"),
    ])
    func addressesComeFromTheLastAngleBracket(_ from: String, _ expected: String) {
        #expect(MailboxReader.address(in: from) == expected)
        #expect(MailboxReader.address(in: from) == from.split(separator: "<").last.map { $0.trimming("> ") } ?? from)
    }

    /// The reply stripper lowercases only lines that may begin a quote: every line a rule matches passes the
    /// cheap test, in any case, and ordinary lines do not.
    @Test func onlyLinesThatMayBeginAQuoteAreLowercased() {
        let quotes = [
            "On Mon, 16 Nov 2026, Ann <ann@example.com> wrote:", "ON MONDAY ANN WROTE:", "-----Original Message-----",
            "----- Forwarded by Ann/ACME on 16/11/2026 -----", "---------- Forwarded message ---------",
            "Le 16 nov. 2026, Ann a écrit :", "Am 16.11.2026 schrieb:", "From: Ann", "DE : Ann", "Von: Ann", "john smith/ACME@ACME",
            "Ann Example/Sales@Corp",
        ]
        func mayBeginAQuote(_ line: String) -> Bool { Array(line.utf8).withUnsafeBufferPointer { ReplyStripper.mayBeginAQuote($0) } }
        let next = Array("x".utf8)
        for line in quotes {
            let lower = line.lowercased()
            let header = next.withUnsafeBufferPointer { ReplyStripper.isQuoteHeader(Array(lower.utf8), next: $0) }
            #expect(header || lower.hasPrefix("from:") || lower.hasPrefix("de :") || lower.hasPrefix("von:"), "\(line)")
            #expect(mayBeginAQuote(line), "\(line)")
        }
        for line in ["Thanks for nothing", "My parcel never arrived.", "Kind regards", "Ünterschrift", "12/11 at 3pm", "> quoted"] {
            #expect(!mayBeginAQuote(line), "\(line)")
        }
    }

    /// RFC 2047 words in ASCII values are decoded on bytes; that path gives what the Character path gives,
    /// on real shapes and on random values built from their pieces (broken words, odd spacing, charsets).
    @Test func asciiEncodedWordsAgreeWithTheCharacterPath() {
        func same(_ value: String) {
            let bytes = Array(value.utf8).withUnsafeBufferPointer { EncodedWords.decodeASCII($0) }
            #expect(bytes == EncodedWords.decodeAny(value), "\(value)")
        }
        same("=?ISO-8859-1?Q?R=E9clamation?= =?UTF-8?B?IOKAkyBvcmRlcg==?=")
        same("Re: =?utf-8*en?q?caf=C3=A9_au_lait?=  =?koi8-r?B?8NLJ18XU?= done")
        let pieces = ["=?", "?=", "?", "utf-8", "UTF-8*en", "iso-8859-1", "*", "B", "b", "Q", "q", "x", "QUJD", "=C3=A9", "_", "a b", " ", "  ", "\t",
                      "Hello", "=", "==", "=?utf-8?B?w6k=?=", "=?utf-8?Q?=C3=A9?=", "=??", "=?x?Q??="]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            same((0..<Int.random(in: 1...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        #expect(Array("=?utf-8?Q?x?= é".utf8).withUnsafeBufferPointer { EncodedWords.decodeASCII($0) } == nil)
        #expect(EncodedWords.decode("=?utf-8?Q?caf=C3=A9?= =?utf-8?Q?_cr=C3=A8me?=") == "café crème")
    }

    @Test func headerNamesCompareWithoutCase() {
        #expect(MailMessage.sameName("Message-ID", "message-id"))
        #expect(MailMessage.sameName("CONTENT-TYPE", "Content-Type"))
        #expect(!MailMessage.sameName("Content-Type", "Content-Typ"))
        #expect(!MailMessage.sameName("X-A", "X!A"))  // only letters fold: "-" (0x2D) is not "\r" (0x0D) or anything else
        #expect(!MailMessage.sameName("a[", "A{"))  // "[" | 0x20 == "{", but neither is a letter
    }

    /// Byte search agrees with Foundation's `range(of:)` on the literal needles it replaces, in Strings and
    /// in Substrings that start mid-text and hold non-ASCII text.
    @Test(arguments: [
        ("=?UTF-8?B?Izk3?= =?ISO-8859-1?Q?R=E9?=", "=?"), ("Réclamation – =?x?=", "=?"), ("no marker", "=?"),
        ("----- original message -----", "original message"), ("mailer-daemon@x", "mailer-daemon"), ("", "=?"),
        ("ab", "abc"), ("ééé=?", "=?"),
    ])
    func byteSearchMatchesFoundation(_ text: String, _ needle: String) {
        for slice in [Substring(text), text.dropFirst()] {
            #expect(slice.firstRange(ofBytes: needle) == slice.range(of: needle))
            #expect(slice.containsBytes(needle) == slice.contains(needle))
        }
    }

    /// The folded search used for bounce senders says what lowercasing and searching says.
    @Test(arguments: ["MAILER-DAEMON@shop.example", "Mail Delivery <Mailer-Daemon@x>", "MAİLER-DAEMON@x", "postmaster@example.org",
        "POSTMASTER @x", "Ann <ann@example.com>", "", "mailer-daemo", "K postmaster@ K"])
    func foldedSearchAgreesWithLowercasing(_ from: String) {
        for needle: StaticString in ["mailer-daemon", "postmaster@"] {
            #expect(from.containsFolded(needle) == from.lowercased().contains("\(needle)"), "\(from) \(needle)")
        }
    }

    /// Trimming with an ASCII set (two masks) and with any set (the set's scalars) agree.
    @Test(arguments: [" <id@x> ", "\t<>\t", "<<", "", "<é>", " é ", "a", "\u{A0}<x>", "<x>\u{301}"])
    func asciiTrimSetsTrimAsScalarSetsDo(_ value: String) {
        #expect(value.trimming(" \t<>") == value.trimmingScalars { " \t<>".unicodeScalars.contains($0) })
        #expect(value.trimming("<é") == value.trimmingScalars { "<é".unicodeScalars.contains($0) })
    }

    /// A body opens with its subject as the Character rule says: its first characters, lowercased, begin
    /// with the lowercased subject; the byte path for ASCII gives the same answers.
    @Test func bodiesOpenWithTheirSubjectAsCharactersSay() {
        let pieces = ["Order", "order", "ORDER", " ", "#123", "é", "e\u{301}", "\u{301}", "\r", "\r\n", "\n", ".", "Refund", "İ", "K", "😞"]
        var rng = SystemRandomNumberGenerator()
        func random() -> String { (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
        for _ in 0..<20_000 {
            let subject = random().lowercasedOnBytes(), body = random() + random()
            let characters = body.prefix(2 * subject.count + 8).lowercasedOnBytes().hasPrefix(subject)
            #expect(MailboxReader.opens(body, with: subject) == characters, "\(subject.debugDescription) \(body.debugDescription)")
        }
    }
}
