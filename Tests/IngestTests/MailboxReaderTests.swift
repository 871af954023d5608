import Foundation
@testable import Ingest
import Testing

@Suite struct MailboxReaderTests {
    let reader = MailboxReader()

    static let mbox = """
        From ann@example.com Mon Nov 16 10:00:00 2026
        From: Ann <ann@example.com>
        To: support@shop.example
        Subject: =?ISO-8859-1?Q?R=E9clamation?= =?UTF-8?B?IOKAkyBvcmRlcg==?=
        Date: Mon, 16 Nov 2026 10:00:00 +0100
        Message-ID: <m1@example.com>
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        My parcel never arrived and I w=
        as charged twice.
        >From what I see nobody cares.

        On Sun, 15 Nov 2026, Shop Support <support@shop.example> wrote:
        > We are sorry.

        --\u{20}
        Ann Example
        +44 20 7946 0958

        From bob@example.com Mon Nov 16 11:00:00 2026
        From: Bob <bob@example.com>
        Subject: Re: your order
        Date: 32 Foo 2026 25:61
        Message-ID: <m2@example.com>

        This one has a broken date.

        From carla@example.com Mon Nov 16 12:00:00 2026
        From: Carla <carla@example.com>
        Subject: Out of Office: your order
        Date: Mon, 16 Nov 2026 12:00:00 +0000
        Message-ID: <m3@example.com>
        Auto-Submitted: auto-replied

        I am away until Monday.

        From dan@example.com Mon Nov 16 13:00:00 2026
        From: Dan <dan@example.com>
        Subject: Broken kettle
        Date: Mon, 16 Nov 2026 13:00:00 +0000
        Message-ID: <m4@example.com>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/html; charset=windows-1252
        Content-Transfer-Encoding: base64

        PGh0bWw+PGJvZHk+PHA+VGhlIGtldHRsZSBpcyBicm9rZW4gLSBjYWbpLjwvcD48c2NyaXB0PngoKTwvc2NyaXB0PjwvYm9keT48L2h0bWw+
        --inner--
        --outer
        Content-Type: image/jpeg; name="photo.jpg"
        Content-Disposition: attachment; filename="photo.jpg"
        Content-Transfer-Encoding: base64

        /9j/4AAQSkZJRg==
        --outer--

        """

    @Test func mboxMessagesAreReadCleanedAndAccountedFor() {
        let events = ReaderVerifier.events(reader, Self.mbox, path: "inbox.mbox")
        let feedback = ReaderVerifier.feedback(events)
        #expect(feedback.map(\.externalID) == ["m1@example.com", "m3@example.com", "m4@example.com"])
        let first = feedback[0]
        #expect(first.text == "Réclamation – order.\nMy parcel never arrived and I was charged twice.\nFrom what I see nobody cares.")
        #expect(first.raw?.contains("We are sorry") == true)
        #expect(feedback[1].setAside == "auto-reply (Auto-Submitted: auto-replied)")
        #expect(feedback[2].text == "Broken kettle.\nThe kettle is broken - café.")
        #expect(feedback[2].attachments == ["photo.jpg (image/jpeg)"])
        let rejections = ReaderVerifier.rejections(events)
        #expect(rejections.map(\.description) == ["inbox.mbox: message 2 (line 21) <m2@example.com>: unparseable Date header \"32 Foo 2026 25:61\""])
    }

    @Test(arguments: [
        ("Thanks for the quick reply.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nWe are sorry", "Thanks for the quick reply."),
        ("Still broken.\n\nFrom: Shop Support <s@shop.example>\nSent: Monday, 16 November 2026\nTo: me\nSubject: RE", "Still broken."),
        ("Still waiting.\n\nKind regards,\nAnn\nSent from my iPhone", "Still waiting."),
        ("Where is it?\n> old quoted text\n> more", "Where is it?"),
        ("Not delivered.\n\nOn Mon, 16 Nov 2026 at 10:00, Shop <s@shop.example>\nwrote:\n> hi", "Not delivered."),
        // Outlook's rule line before its From: block; the same line with no From: after it is the customer's.
        ("Refund please.\n________________________________\nFrom: Shop Support\nSent: Monday", "Refund please."),
        ("Refund please.\n________________________________\nP.S. twice", "Refund please.\n________________________________\nP.S. twice"),
        ("Wrong size.\n-- \nAnn Smith\n+44 20 7946 0000", "Wrong size."),
        ("Cancel it.\n---------- Forwarded message ---------\nFrom: me", "Cancel it."),
        ("No refund yet.\nJohn Smith/ACME@ACME\n16/11/2026 10:00", "No refund yet."),
        ("Le colis est perdu.\n\nLe lun. 16 nov. 2026, Shop a écrit :\n> Bonjour", "Le colis est perdu."),
    ])
    func quotesAndSignaturesAreStripped(_ body: String, _ expected: String) {
        let message = "From: a@example.com\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nMessage-ID: <x@y>\nSubject: Re: order\n\n" + body
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, message, path: "one.eml"))
        #expect(feedback.first?.text == expected)
    }

    /// A message without a Date header is dated by its topmost Received header; with neither it is
    /// quarantined and says so.
    /// A message's position names its number and line in a mailbox, and its Message-ID, escaped.
    @Test(arguments: [
        (1, 1, nil, "message 1 (line 1)"), (9, 10, "m1@example.com", "message 9 (line 10) <m1@example.com>"),
        (123_456_789, Int.max, "a\"b", "message 123456789 (line \(Int.max)) <a\\u{22}b>"), (0, 0, "", "message 0 (line 0) <>"),
    ] as [(Int, Int, String?, String)])
    func positionsNameNumberLineAndMessageID(_ number: Int, _ line: Int, _ id: String?, _ expected: String) {
        #expect(MailboxReader.position(number: number, line: line, messageID: id) == expected)
        #expect(MailboxReader.position(number: nil, line: line, messageID: id) == "message" + (id.map { " <\(Rejection.escaped($0))>" } ?? ""))
    }

    @Test func aMissingDateFallsBackToReceived() {
        let bare = "From: Ann <ann@example.com>\r\nSubject: Late order\r\nMessage-ID: <d1@example.com>\r\n\r\nStill waiting for my parcel.\r\n"
        let message = "Received: from mx.example.com by mail.shop.example; Fri, 20 Nov 2026 10:00:05 +0000\r\n" + bare
        let dated = ReaderVerifier.feedback(ReaderVerifier.events(reader, message, path: "m.eml"))
        #expect(dated.map { DateParsing.isoString($0.timestamp) } == ["2026-11-20T10:00:05Z"])
        let rejected = ReaderVerifier.rejections(ReaderVerifier.events(reader, bare, path: "m.eml"))
        #expect(rejected.map(\.reason) == ["missing Date header (and no Received header)"])
    }

    /// A reply belongs to its thread: the first message References names, else the one In-Reply-To names.
    @Test func aReplyJoinsTheConversationItAnswers() {
        func conversation(_ headers: String) -> String? {
            let message = "From: Ann <ann@example.com>\r\nSubject: Re: late order\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <r2@example.com>\r\n" + headers + "\r\nStill no parcel.\r\n"
            return ReaderVerifier.feedback(ReaderVerifier.events(reader, message, path: "m.eml")).first?.conversation
        }
        #expect(conversation("References: <t1@shop.example>\r\n\t<t2@shop.example>\r\nIn-Reply-To: <t2@shop.example>\r\n") == "t1@shop.example")
        #expect(conversation("In-Reply-To: <t1@shop.example>\r\n") == "t1@shop.example")
        #expect(conversation("") == "r2@example.com")
    }

    @Test func bouncesAreSetAside() {
        let message = "From: MAILER-DAEMON@shop.example\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nSubject: Undeliverable: order\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nDelivery failed\n--b--\n"
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(reader, message, path: "b.eml")).first?.setAside == "delivery report")
    }

    @Test func unknownCharsetFallsBackAndIsRecorded() {
        let message = "From: a@example.com\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nContent-Type: text/plain; charset=x-klingon\n\nplain text\n"
        let f = ReaderVerifier.feedback(ReaderVerifier.events(reader, message, path: "c.eml")).first
        #expect(f?.text == "plain text")
        #expect(f?.attachments == ["unknown charset: x-klingon"])
    }

    /// Parts lie between `--boundary` lines; the preamble, the epilogue after `--boundary--`, and the line
    /// break before each boundary line (LF or CR LF) belong to no part.
    @Test(arguments: [
        ("preamble\n--b\nA\n--b\r\nB\r\n--b--\nepilogue\n", ["A", "B"]),
        ("--b\nonly part, never closed", ["only part, never closed"]),
        ("--b\n\n--b\nx\n--b--", ["", "x"]),
        // Only white space may follow a delimiter: "--bx" is text of the part (RFC 2046).
        ("--b\nline\n--bx\nstill the same part\n--b--", ["line\n--bx\nstill the same part"]),
        ("--b \t\r\none\n--b-- \r\nepilogue", ["one"]), ("--b\none\n--b--x\nstill one\n--b--", ["one\n--b--x\nstill one"]),
        ("--b", []), ("no boundary at all\n", []), ("", []), ("--b\n", []),
    ])
    func multipartBodiesSplitAtTheirBoundaryLines(_ body: String, _ parts: [String]) {
        let bytes = Array(("x" + body).utf8)[1...]  // a slice not starting at 0, as a message's body is
        let split = MailMessage.splitMultipart(bytes, boundary: "b").map { String(decoding: $0, as: UTF8.self) }
        #expect(split == parts)
    }

    /// An HTML alternative is decoded only when there is no text/plain part, so only a charset the stored text
    /// was decoded with is recorded as unknown.
    @Test func anHTMLAlternativeIsReadOnlyWithoutAPlainPart() {
        let head = "From: a@example.com\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nContent-Type: multipart/alternative; boundary=b\n\n"
        let plain = "--b\nContent-Type: text/plain; charset=utf-8\n\nThe plain words\n"
        let html = "--b\nContent-Type: text/html; charset=x-klingon\nContent-Transfer-Encoding: base64\n\nPHA+VGhlIDxiPkhUTUw8L2I+IHdvcmRzPC9wPg==\n"
        let both = ReaderVerifier.feedback(ReaderVerifier.events(reader, head + plain + html + "--b--\n", path: "a.eml")).first
        #expect(both?.text == "The plain words")
        #expect(both?.attachments == [])
        let htmlOnly = ReaderVerifier.feedback(ReaderVerifier.events(reader, head + html + "--b--\n", path: "h.eml")).first
        #expect(htmlOnly?.text == "The HTML words")
        #expect(htmlOnly?.attachments == ["unknown charset: x-klingon"])
    }

    @Test(arguments: [("koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] as [UInt8], "Привет"), ("iso-8859-15", [0xA4], "€"), ("windows-1252", [0x80], "€")])
    func legacyCharsets(_ charset: String, _ body: [UInt8], _ expected: String) {
        let head = Array("From: a@example.com\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nContent-Type: text/plain; charset=\(charset)\n\n".utf8)
        let f = ReaderVerifier.feedback(ReaderVerifier.events(reader, bytes: head + body, path: "c.eml")).first
        #expect(f?.text == expected)
    }

    @Test func concatenatedMailboxes() {
        let parts = Self.mbox.components(separatedBy: "\n\nFrom carla")
        ReaderVerifier.checkConcatenation(reader, parts[0] + "\n", "From carla" + parts[1], joined: Self.mbox, path: "inbox.mbox")
    }

    @Test func mailboxReadInOneBytePieces() {
        ReaderVerifier.checkPieces(reader, Self.mbox, path: "inbox.mbox")
        ReaderVerifier.checkPieces(reader, Self.mbox.replacingOccurrences(of: "\n", with: "\r\n"), path: "crlf.mbox")
    }

    /// A mailbox on disk is read in pieces from the file, not from its mapping: the same events as in memory,
    /// with piece boundaries that fall in every part of a message.
    @Test func mailboxOnDiskReadInPieces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("voc-mbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.mbox").path
        let text = (0..<200).map { Self.mbox.replacingOccurrences(of: "@example.com>", with: "-\($0)@example.com>") }.joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let inMemory = reader.readAll(SourceFile(path: path, data: Data(text.utf8)))
        var onDisk = try SourceFile(contentsOf: path)
        onDisk.pieceSize = 997
        let streamed = reader.readAll(onDisk)
        #expect(streamed.count == 800)
        #expect(ReaderVerifier.summary(streamed) == ReaderVerifier.summary(inMemory))
    }

    /// A zip-bomb-like attachment: 40 MB of base64 is named and typed, never decoded into the message.
    @Test func hugeBase64AttachmentIsOnlyNamed() {
        let line = String(repeating: "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", count: 1) + "\n"
        let mail = """
            From: Ann <ann@example.com>
            Date: Mon, 16 Nov 2026 10:00:00 +0000
            Message-ID: <bomb@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            See the attached log.
            --b
            Content-Type: application/octet-stream; name="log.bin"
            Content-Disposition: attachment; filename="log.bin"
            Content-Transfer-Encoding: base64


            """ + String(repeating: line, count: 40 << 20 / line.utf8.count) + "--b--\n"
        let feedback = ReaderVerifier.feedback(ReaderVerifier.events(reader, mail, path: "bomb.eml"))
        #expect(feedback.count == 1)
        #expect(feedback.first?.text.contains("See the attached log.") == true)
        #expect(feedback.first?.attachments == ["log.bin (application/octet-stream)"])
        #expect((feedback.first?.text.utf8.count ?? .max) < 1000)
    }

    /// The stored copy, once redacted, holds no address, phone or card of the message in any form: not in
    /// an HTML alternative in base64, a quoted-printable soft break, an encoded subject or a forwarded
    /// message's part. Encoded attachments are named in it, not kept; as received, the bytes stay as they were.
    @Test func storedCopyIsDecodedWhereTheRedactorReadsIt() throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) }
        let html = "<html><body><p>Call +44 20 7946 0958 or mail <a href=\"mailto:jane.doe@example.com\">jane.doe@example.com</a></p></body></html>"
        let mail = """
            From: Jane <jane.doe@example.com>
            Subject: =?utf-8?B?\(base64("Refund for jane.doe@example.com"))?=
            Date: Mon, 26 Oct 2026 15:13:19 +0000
            Message-ID: <audit@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: multipart/alternative; boundary="a"

            --a
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Call +44 20 7946 0958 or mail jane.doe@exam=
            ple.com, card 4111 1111 1111 1111 was charged twice. Caf=E9.
            --a
            Content-Type: text/html; charset="utf-8"
            Content-Transfer-Encoding: base64

            \(base64(html))
            --a--
            --m
            Content-Type: application/pdf; name="invoice.pdf"
            Content-Disposition: attachment; filename="invoice.pdf"
            Content-Transfer-Encoding: base64

            \(base64("%PDF invoice for jane.doe@example.com"))
            --m
            Content-Type: message/rfc822

            From: Shop <orders@shop.example>
            Subject: Your order
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            \(base64("Dear Jane, we will call you on +44 20 7946 0958."))
            --m--

            """
        let stored = try #require(ReaderVerifier.feedback(ReaderVerifier.events(reader, mail, path: "audit.eml")).first?.raw)
        let redacted = Redactor().redact(stored)
        for personal in ["jane.doe", "7946", "4111", "amFuZS5kb2", "KzQ0IDIwIDc5NDYgMDk1OA"] {
            #expect(!redacted.contains(personal), "\(personal) is in the stored copy")
        }
        #expect(redacted.contains("Subject: Refund for [EMAIL]\n"))
        #expect(redacted.contains("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: binary\n\nCall [PHONE] or mail [EMAIL], card [CARD] was charged twice. Café.\n--a"))
        // The HTML alternative repeats the plain part, which is what is read: it is named, not kept.
        #expect(redacted.contains("Content-Transfer-Encoding: binary\n\n[text/html in base64, not kept in the stored copy]\n--a--"))
        #expect(redacted.contains("Content-Transfer-Encoding: binary\n\n[application/pdf in base64, not kept in the stored copy]\n--m"))
        #expect(redacted.contains("Dear Jane, we will call you on [PHONE]."))
        #expect(redacted.contains("From: Jane <[EMAIL]>\n"))

        // HTML that is the whole message is read, so it is decoded.
        let htmlOnly = """
            From: Jane <jane.doe@example.com>
            Date: Mon, 26 Oct 2026 15:13:19 +0000
            Message-ID: <html@example.com>
            Content-Type: text/html; charset="utf-8"
            Content-Transfer-Encoding: base64

            \(base64(html))

            """
        let storedHTML = try #require(ReaderVerifier.feedback(ReaderVerifier.events(reader, htmlOnly, path: "h.eml")).first?.raw)
        #expect(Redactor().redact(storedHTML).hasSuffix(
            "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: binary\n\n<html><body><p>Call [PHONE] or mail <a href=\"mailto:[EMAIL]\">[EMAIL]</a></p></body></html>\n"))

        let asReceived = MailboxReader(redactor: Redactor(enabled: false))
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(asReceived, mail, path: "audit.eml")).first?.raw == mail)
        // A signature's street address is replaced in the text and in the stored copy, where it sits above
        // the quoted reply; without redaction both keep it.
        let signed = """
            From: Jane <jane.doe@example.com>
            Date: Mon, 26 Oct 2026 15:13:19 +0000
            Message-ID: <signed@example.com>
            Content-Type: text/plain; charset=utf-8

            Still no refund.

            Jane Doe
            221B Baker Street
            London NW1 6XE

            On Sun, 25 Oct 2026, Shop <help@shop.example> wrote:
            > Sorry.

            """
        let read = try #require(ReaderVerifier.feedback(ReaderVerifier.events(reader, signed, path: "s.eml")).first)
        #expect(read.text == "Still no refund.\n\nJane Doe\n[ADDRESS]\n[ADDRESS]")
        #expect(read.raw?.contains("Jane Doe\n[ADDRESS]\n[ADDRESS]\n\nOn Sun") == true)
        let kept = try #require(ReaderVerifier.feedback(ReaderVerifier.events(MailboxReader(redactor: Redactor(enabled: false)), signed, path: "s.eml")).first)
        #expect(kept.text.contains("221B Baker Street") && kept.raw == signed)

        // An HTML alternative that is not encoded goes too: entities and tags spell what the redactor reads.
        let entities = """
            From: a@example.com
            Date: Mon, 26 Oct 2026 15:13:19 +0000
            Message-ID: <entities@example.com>
            Content-Type: multipart/alternative; boundary="a"

            --a
            Content-Type: text/plain

            Mail me.
            --a
            Content-Type: text/html

            <p>Mail jane.doe&#64;example.com or <b>jane</b>@example.com</p>
            --a--

            """
        let storedEntities = try #require(ReaderVerifier.feedback(ReaderVerifier.events(reader, entities, path: "e.eml")).first?.raw)
        #expect(storedEntities.contains("Content-Type: text/html\n\n[text/html in 7bit, not kept in the stored copy]\n--a--"))
        #expect(!storedEntities.contains("jane"))

        // A message with nothing encoded is stored as it came, decoded copy or not.
        let plain = "From: a@example.com\nDate: Mon, 26 Oct 2026 15:13:19 +0000\nMessage-ID: <p@example.com>\n\nPlain =3D text.\n"
        #expect(ReaderVerifier.feedback(ReaderVerifier.events(reader, plain, path: "p.eml")).first?.raw == plain)
    }

    /// A Message-ID is printed in positions: bidi and control characters in it are escaped there.
    @Test func hostileMessageIDsAreEscapedInPositions() {
        let mail = "From: a@example.com\nDate: 32 Foo 2026\nMessage-ID: <x\u{202E}gnp.exe@example.com>\n\nhello\n"
        let rejection = ReaderVerifier.rejections(ReaderVerifier.events(reader, mail, path: "m.eml")).first
        #expect(rejection?.source.position.contains("\u{202E}") == false)
        #expect(rejection?.source.position.contains("x\\u{202e}gnp.exe@example.com") == true, "\(rejection?.source.position ?? "")")
    }

    @Test func hostileInputs() { ReaderVerifier.checkHostile(reader, path: "h.mbox") }
}

/// Header names match case-insensitively in ASCII letters only ("[" and "{" differ by the case bit too).
@Suite struct HeaderNameTests {
    @Test(arguments: [
        ("Content-Type", "content-type", true), ("CONTENT-TYPE", "Content-Type", true), ("Content-Type", "Content-Typf", false),
        ("X-A", "x-a", true), ("Subject", "Subjec", false), ("[", "{", false), ("@", "`", false), ("Ä", "ä", false), ("", "", true),
    ])
    func sameName(_ a: String, _ b: String, _ same: Bool) {
        #expect(MailMessage.sameName(a, b) == same)
        #expect(MailMessage.sameName(String(Substring(a)), b) == same)
    }

    @Test func aHeaderIsFoundByAnyCaseAndTheFirstOneWins() {
        let (headers, _) = MailMessage.splitHeaders(Array("Received: 1\nsubject: first\nSUBJECT: second\n\nbody".utf8)[...])
        #expect(headers.value(named: "Subject") == "first")
        #expect(headers.value(named: "Date") == nil)
    }

    /// Values unfold (continuation lines joined by a space), lose the spaces at their ends (Unicode ones too),
    /// fall back from invalid UTF-8, and have encoded words decoded in a message's own header block only;
    /// the body starts after the first empty line, and a first line that is no header means there is none.
    @Test(arguments: [
        ("Subject: a\r\n\tfolded\r\n   value \r\nX: y\r\n\r\nbody", "Subject", "a folded value", "a folded value", "body"),
        ("Subject: =?utf-8?Q?caf=C3=A9?=\n\nbody", "subject", "café", "=?utf-8?Q?caf=C3=A9?=", "body"),
        ("Subject\u{A0}: nbsp name\u{A0}\n\n", "Subject", "nbsp name", "nbsp name", ""),
        ("Caf\u{E9}: x\nSubject:\n\nb", "Subject", "", "", "b"),
        ("not a header\nSubject: x\n\nb", "Subject", nil, nil, "not a header\nSubject: x\n\nb"),
        ("Subject: one\nstray line\n\tcontinued\n\nb", "Subject", "one continued", "one continued", "b"),
        ("Subject: no blank line, no newline", "Subject", nil, nil, ""),
        ("Subject: last\n", "Subject", "last", "last", ""),
    ] as [(String, String, String?, String?, String)])
    func headerBlocksAreReadAsTheRFCSays(_ message: String, _ name: String, _ inMessage: String?, _ inPart: String?, _ body: String) {
        let bytes = Array(message.utf8)[...]
        let (own, start) = MailMessage.splitHeaders(bytes, decodesEncodedWords: true)
        let (part, _) = MailMessage.splitHeaders(bytes)
        #expect(own.value(named: name) == inMessage)
        #expect(part.value(named: name) == inPart)
        #expect(String(decoding: bytes[start...], as: UTF8.self) == body)
    }

    @Test func latin1IsDecodedAsFoundationDecodesIt() {
        let every = (0...255).map { UInt8($0) }
        #expect(Charsets.latin1(every) == String(data: Data(every), encoding: .isoLatin1))
        #expect(Charsets.decode([0x52, 0xE9], charset: " ISO-8859-1").text == "Ré")
    }

    @Test func anInvalidUTF8ValueFallsBackToWindows1252() {
        let (headers, _) = MailMessage.splitHeaders(Array("Subject: caf".utf8 + [0xE9] + Array("\n\n".utf8))[...])
        #expect(headers.value(named: "Subject") == "café")
    }
}
