import Foundation
import Markup

/// An RFC 5322 message with its MIME tree flattened to the parts that matter for customer voice.
struct MailMessage {
    /// The message's own header block (RFC 2047 encoded words decoded when a value is read).
    var headers = HeaderBlock(decodesEncodedWords: true)
    /// The customer-written body as text (text/plain preferred, else HTML converted to text).
    var body = ""
    var bodyWasHTML = false
    var attachments: [String] = []
    var unknownCharsets: Set<String> = []
    var isReport = false
    /// Whether to collect `auditEdits` (the stored copy is to be decoded: `MailboxReader.redactor`).
    let audits: Bool
    /// What the stored copy changes of the message, in no particular order (`auditCopy(of:)`).
    var auditEdits: [AuditEdit] = []

    func header(_ name: String) -> String? { headers.value(named: name) }

    /// Header names compared case-insensitively on ASCII bytes (Foundation's compare bridged through NSString).
    /// `HeaderBlock` compares ASCII names on their bytes; this is for the rare name that is not ASCII.
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var j = b.utf8.makeIterator()
        for x in a.utf8 where !sameByte(x, j.next()!) { return false }
        return true
    }

    /// Two bytes of header names equal without case: only ASCII letters fold.
    @inline(__always) static func sameByte(_ x: UInt8, _ y: UInt8) -> Bool {
        x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A)
    }

    /// Parses a whole message; never fails, but leaves `headers` empty when there is no header block.
    /// `audits`: also work out what its decoded stored copy changes (`auditEdits`).
    init(_ bytes: ArraySlice<UInt8>, limits: IngestLimits, audits: Bool = false) {
        self.audits = audits
        let bodyStart: Int
        (headers, bodyStart) = MailMessage.splitHeaders(bytes, decodesEncodedWords: true)
        if audits { auditEdits += headers.encodedWordEdits() }
        var plain: [String] = []
        var html: [HTMLPart] = []
        walk(
            bytes[bodyStart...], fields: headers, contentType: header("Content-Type"), encoding: header("Content-Transfer-Encoding"),
            disposition: header("Content-Disposition"), depth: 0, reads: true, plain: &plain, html: &html, limits: limits)
        if !plain.isEmpty {
            body = plain.joined(separator: "\n")
            // Not read, so not decoded for the stored copy either (`AuditCopy.swift`).
            for part in html { auditOmitted(part.body, fields: part.fields, encoding: part.encoding, mime: "text/html", evenUnencoded: true) }
        } else if !html.isEmpty {
            bodyWasHTML = true
            body = html.map { part in
                let source = text(part.body, encoding: part.encoding, charset: part.charset, limits: limits)
                if audits, TransferEncoding.hidesText(part.encoding) { auditDecoded(part.body, text: source, fields: part.fields) }
                return MailMessage.htmlToText(source, limits: limits.markup)
            }.joined(separator: "\n")
        }
    }

    /// An HTML part as found, decoded only when the message has no text/plain part: most mail has both
    /// (multipart/alternative), and the plain one is what is read. Decoding every HTML part anyway (base64 and
    /// charset) was 3% of mail ingest.
    private struct HTMLPart {
        var body: ArraySlice<UInt8>
        var fields: HeaderBlock
        var encoding: String?
        var charset: String?
    }

    /// A text part's bytes decoded (transfer encoding, then charset); a charset not known is recorded.
    private mutating func text(_ body: ArraySlice<UInt8>, encoding: String?, charset: String?, limits: IngestLimits) -> String {
        let decoded = TransferEncoding.decode(body.prefix(limits.maxAttachmentBytes), encoding: encoding)
        let (text, known) = Charsets.decode(decoded, charset: charset)
        if !known, let charset { unknownCharsets.insert(charset) }
        return text
    }

    /// Finds the header block's fields; returns them and where the body starts. Nothing is decoded here: a
    /// message has a dozen fields and a part two or three, and only the few asked for by name are made text
    /// (making every name and value a String was 7% of mail ingest).
    static func splitHeaders(_ bytes: ArraySlice<UInt8>, decodesEncodedWords: Bool = false) -> (HeaderBlock, Int) {
        var block = HeaderBlock(bytes: bytes, decodesEncodedWords: decodesEncodedWords)
        let bodyStart = bytes.withUnsafeBufferPointer { buffer -> Int in
            var lineStart = 0
            while lineStart < buffer.count {
                guard let base = buffer.baseAddress, let hit = memchr(base + lineStart, 0x0A, buffer.count - lineStart) else { break }
                let newline = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                var lineEnd = newline
                if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = lineStart..<lineEnd
                lineStart = newline + 1
                if line.isEmpty { return bytes.startIndex + lineStart }
                if buffer[line.lowerBound] == 0x20 || buffer[line.lowerBound] == 0x09, !block.isEmpty {
                    block.fold(withoutSpacesAndTabs(buffer, line))
                } else if let colon = buffer[line].firstIndex(of: 0x3A) {
                    block.append(name: withoutSpacesAndTabs(buffer, line.lowerBound..<colon), value: withoutSpacesAndTabs(buffer, (colon + 1)..<line.upperBound))
                } else if block.isEmpty {
                    // Not a header block at all: the whole thing is body.
                    return bytes.startIndex
                }
            }
            return bytes.endIndex
        }
        return (block, bodyStart)
    }

    /// A header's bytes in `range` as text (valid UTF-8, else the charset fallback), without spaces at its ends.
    fileprivate static func headerText(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        let text = Charsets.utf8(slice) ?? Charsets.fallback(Array(slice))
        // Ranges come without the ASCII spaces at their ends; only a non-ASCII end may be a space to trim
        // (a trim per value asked for was 2% of the mail reader).
        guard let first = slice.first, let last = slice.last, first >= 0x80 || last >= 0x80 else { return text }
        return text.trimmingSpaces()
    }

    /// `range` without the spaces and tabs at its ends.
    static func withoutSpacesAndTabs(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var (start, end) = (range.lowerBound, range.upperBound)
        while start < end, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
        while end > start, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 { end -= 1 }
        return start..<end
    }

    /// Reads one part (`fields` are its header fields), collecting text parts and attachments when `reads`;
    /// a forwarded message's parts are walked without being read, for the stored copy alone.
    private mutating func walk(
        _ body: ArraySlice<UInt8>, fields: HeaderBlock, contentType: String?, encoding: String?, disposition: String?, depth: Int,
        reads: Bool, plain: inout [String], html: inout [HTMLPart], limits: IngestLimits
    ) {
        let type = MailMessage.parameters(contentType ?? "text/plain")
        let mime = type.value.lowercasedOnBytes()
        if reads, mime == "multipart/report" { isReport = true }
        let dispositionInfo = disposition.map(MailMessage.parameters) ?? (value: "", params: MIMEParameters())
        let filename = dispositionInfo.params["filename"] ?? type.params["name"]
        if dispositionInfo.value.lowercasedOnBytes() == "attachment" || (filename != nil && !mime.hasPrefix("multipart/")) {
            if reads { attachments.append("\(filename.map { EncodedWords.decode($0) } ?? "unnamed") (\(mime))") }
            auditOmitted(body, fields: fields, encoding: encoding, mime: mime)
            return
        }
        if mime.hasPrefix("multipart/"), let boundary = type.params["boundary"], depth < 32 {
            // Every text part is collected; the caller prefers text/plain over HTML, which also settles
            // multipart/alternative without special cases.
            for part in MailMessage.splitMultipart(body, boundary: boundary) {
                walk(part: part, decodesEncodedWords: false, depth: depth + 1, reads: reads, plain: &plain, html: &html, limits: limits)
            }
            return
        }
        if mime == "message/rfc822" || mime == "message/delivery-status" {
            if reads, mime == "message/delivery-status" { isReport = true }
            // A forwarded message is not the customer's voice, but its encoded parts are in the stored copy.
            if audits, mime == "message/rfc822", !TransferEncoding.hidesText(encoding), depth < 32 {
                walk(part: body, decodesEncodedWords: true, depth: depth + 1, reads: false, plain: &plain, html: &html, limits: limits)
            } else {
                auditOmitted(body, fields: fields, encoding: encoding, mime: mime)
            }
            return
        }
        guard mime.hasPrefix("text/") || mime.isEmpty else {
            if reads { attachments.append("unnamed (\(mime))") }
            auditOmitted(body, fields: fields, encoding: encoding, mime: mime)
            return
        }
        let charset = type.params["charset"]
        if mime == "text/html" {
            // Decoded later, and only when the message has no plain text to read instead.
            if reads { html.append(HTMLPart(body: body, fields: fields, encoding: encoding, charset: charset)) } else {
                auditOmitted(body, fields: fields, encoding: encoding, mime: mime)
            }
        } else if reads {
            let text = text(body, encoding: encoding, charset: charset, limits: limits)
            if audits {
                // The stored copy's signature loses its street address as the text does (`SignatureAddresses`).
                let signed = SignatureAddresses.redact(text, anywhere: true)
                if signed != nil || TransferEncoding.hidesText(encoding) { auditDecoded(body, text: signed ?? text, fields: fields) }
            }
            let flowed = type.params["format"]?.lowercasedOnBytes() == "flowed"
            plain.append(flowed ? MailMessage.unflow(text, delsp: type.params["delsp"]?.lowercasedOnBytes() == "yes") : text)
        } else if audits, TransferEncoding.hidesText(encoding) {
            let decoded = TransferEncoding.decode(body.prefix(limits.maxAttachmentBytes), encoding: encoding)
            auditDecoded(body, text: Charsets.decode(decoded, charset: charset).text, fields: fields)
        }
    }

    /// Walks a MIME part or a forwarded message: its own header block, then its body.
    private mutating func walk(
        part: ArraySlice<UInt8>, decodesEncodedWords: Bool, depth: Int, reads: Bool, plain: inout [String], html: inout [HTMLPart],
        limits: IngestLimits
    ) {
        let (fields, start) = MailMessage.splitHeaders(part, decodesEncodedWords: decodesEncodedWords)
        if audits { auditEdits += fields.encodedWordEdits() }
        func h(_ name: String) -> String? { fields.value(named: name) }
        walk(
            part[start...], fields: fields, contentType: h("Content-Type"), encoding: h("Content-Transfer-Encoding"),
            disposition: h("Content-Disposition"), depth: depth, reads: reads, plain: &plain, html: &html, limits: limits)
    }

    /// Splits a multipart body at `--boundary` lines, ignoring preamble and epilogue. Lines are found with
    /// memchr on the contiguous bytes: a checked subscript per byte was 2.4% of mail ingest.
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let marker = Array("--\(boundary)".utf8)
        // Offsets into the buffer; the slices are cut from `body`, whose indices start at `body.startIndex`.
        let ranges = body.withUnsafeBufferPointer { bytes -> [Range<Int>] in
            guard let base = bytes.baseAddress else { return [] }
            var parts: [Range<Int>] = []
            var partStart: Int?
            var lineStart = 0
            while lineStart <= bytes.count {
                let lineEnd = memchr(base + lineStart, 0x0A, bytes.count - lineStart).map {
                    UnsafeRawPointer($0) - UnsafeRawPointer(base)
                } ?? bytes.count
                if lineEnd - lineStart >= marker.count, memcmp(base + lineStart, marker, marker.count) == 0 {
                    // RFC 2046: after the boundary only "--" (the close delimiter) and then white space, so
                    // "--b1_2" is no delimiter of boundary "b1".
                    var rest = lineStart + marker.count
                    let closes = rest + 2 <= lineEnd && bytes[rest] == 0x2D && bytes[rest + 1] == 0x2D
                    if closes { rest += 2 }
                    while rest < lineEnd, bytes[rest] == 0x20 || bytes[rest] == 0x09 || bytes[rest] == 0x0D { rest += 1 }
                    if rest == lineEnd {
                        if let start = partStart {
                            var end = lineStart
                            if end > start, bytes[end - 1] == 0x0A { end -= 1 }
                            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                            parts.append(start..<end)
                        }
                        if closes { return parts }
                        partStart = min(lineEnd + 1, bytes.count)
                    }
                }
                lineStart = lineEnd + 1
            }
            if let start = partStart, start < bytes.count { parts.append(start..<bytes.count) }
            return parts
        }
        return ranges.map { body[(body.startIndex + $0.lowerBound)..<(body.startIndex + $0.upperBound)] }
    }

    /// `text/plain; charset="utf-8"; format=flowed` → value and lowercased parameters (RFC 2231 `*` kept simple).
    static func parameters(_ header: String) -> (value: String, params: MIMEParameters) {
        asciiParameters(header) ?? anyParameters(header)
    }

    /// `parameters` for a header with non-ASCII text, by Character.
    static func anyParameters(_ header: String) -> (value: String, params: MIMEParameters) {
        // Split at ';' outside double quotes, on bytes: both are ASCII, so a split never cuts a character.
        var pieces: [Substring] = []
        var quoted = false
        var start = header.utf8.startIndex
        for i in header.utf8.indices {
            let b = header.utf8[i]
            if b == 0x22 { quoted.toggle() }
            if b == 0x3B, !quoted {
                pieces.append(header[start..<i])
                start = header.utf8.index(after: i)
            }
        }
        pieces.append(header[start...])
        var params = MIMEParameters()
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            var key = piece[..<eq].trimmingSpaces().lowercasedOnBytes()
            var value = piece[piece.index(after: eq)...].trimmingSpaces()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            if key.hasSuffix("*") {
                key.removeLast()
                if let tick = value.firstRange(ofBytes: "''") { value = value[tick.upperBound...].removingPercentEncoding ?? value }
            }
            params[key] = value
        }
        return (pieces[0].trimmingSpaces(), params)
    }

    /// `parameters` for an ASCII header (nearly all of them), on its bytes: the same rules without Substring
    /// and Character walks, which were 6% of mail ingest. ASCII has no character of several bytes but CR LF,
    /// and neither quotes nor `=` nor `;` can join one, so bytes and Characters give the same pieces.
    static func asciiParameters(_ header: String) -> (value: String, params: MIMEParameters)? {
        var header = header
        return header.withUTF8 { bytes -> (value: String, params: MIMEParameters)? in
            guard let base = bytes.baseAddress else { return ("", MIMEParameters()) }
            guard bytes.isASCII else { return nil }
            func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self) }
            func trimmed(_ range: Range<Int>) -> Range<Int> { withoutSpacesAndTabs(bytes, range) }
            var value: String?
            var params = MIMEParameters()
            var quoted = false
            var start = 0
            for i in 0...bytes.count {
                if i < bytes.count {
                    if bytes[i] == 0x22 { quoted.toggle() }
                    guard bytes[i] == 0x3B, !quoted else { continue }
                }
                let piece = start..<i
                start = i + 1
                guard value != nil else {
                    value = string(trimmed(piece))
                    continue
                }
                guard let eq = piece.first(where: { bytes[$0] == 0x3D }) else { continue }
                var keyRange = trimmed(piece.lowerBound..<eq)
                // RFC 2231: "name*" holds charset'language'percent-encoded text.
                let extended = !keyRange.isEmpty && bytes[keyRange.upperBound - 1] == 0x2A
                if extended { keyRange = keyRange.lowerBound..<(keyRange.upperBound - 1) }
                // Written lowercased in place: a String from a lazily mapped slice was a third of this function.
                let key = String(unsafeUninitializedCapacity: keyRange.count) { out in
                    for k in keyRange { out[k - keyRange.lowerBound] = bytes[k].asciiLowercased }
                    return keyRange.count
                }
                var valueRange = trimmed((eq + 1)..<piece.upperBound)
                if valueRange.count >= 2, bytes[valueRange.lowerBound] == 0x22, bytes[valueRange.upperBound - 1] == 0x22 {
                    valueRange = (valueRange.lowerBound + 1)..<(valueRange.upperBound - 1)
                }
                var parameter = string(valueRange)
                if extended, let tick = parameter.firstRange(ofBytes: "''") {
                    parameter = parameter[tick.upperBound...].removingPercentEncoding ?? parameter
                }
                params[key] = parameter
            }
            return (value ?? "", params)
        }
    }

    /// RFC 3676: a line ending in a space continues on the next line.
    static func unflow(_ text: String, delsp: Bool) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = line.hasSuffix("\r") ? line.dropLast() : line
            if l.hasPrefix(" ") { l = l.dropFirst() }  // space-stuffing
            if l.hasSuffix(" "), l != "-- " {
                out += delsp ? String(l.dropLast()) : String(l)
            } else {
                out += l + "\n"
            }
        }
        return out
    }

    static func htmlToText(_ html: String, limits: MarkupLimits = MarkupLimits()) -> String {
        guard let document = try? MarkupParser.parseHTML(Array(html.utf8), limits: limits) else { return "" }
        return document.readableText()
    }
}

/// A MIME header's parameters (`charset`, `boundary`, `filename`, ...), keys lowercased; a key given twice
/// keeps its last value, as a dictionary would. A header has a handful: a list read from the end beats
/// building and hashing into a dictionary per header, which was 4% of mail ingest.
struct MIMEParameters: Equatable, ExpressibleByDictionaryLiteral {
    private var pairs: [(key: String, value: String)] = []

    init() {}

    init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements { self[key] = value }
    }

    subscript(key: String) -> String? {
        get { pairs.last { $0.key == key }?.value }
        set { if let newValue { pairs.append((key, newValue)) } }
    }

    /// The parameters as a dictionary, each key with its last value.
    var dictionary: [String: String] { Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }) }

    static func == (a: Self, b: Self) -> Bool { a.dictionary == b.dictionary }
}

/// A header block as byte ranges of its message: each field's name and value (and the continuation lines a
/// folded value goes on with), made text only when a field is asked for by name. The first field of a name
/// wins; names compare without case.
struct HeaderBlock {
    private var bytes: ArraySlice<UInt8> = []
    private typealias Field = (name: Range<Int>, asciiName: Bool, value: Range<Int>, folds: Range<Int>)
    private var fields: [Field] = []
    private var folds: [Range<Int>] = []
    /// A bit per (length, first letter) of the names present (`nameBit`): most names asked for are absent
    /// ("X-Autoreply", "Precedence", "Content-Disposition"), and this answers so without a scan.
    private var nameBits: UInt64 = 0
    /// The message's own header block decodes RFC 2047 encoded words; a MIME part's does not.
    let decodesEncodedWords: Bool

    init(bytes: ArraySlice<UInt8> = [], decodesEncodedWords: Bool) {
        self.bytes = bytes
        self.decodesEncodedWords = decodesEncodedWords
    }

    var isEmpty: Bool { fields.isEmpty }

    /// Ranges are offsets from the block's first byte, spaces and tabs already off their ends.
    mutating func append(name: Range<Int>, value: Range<Int>) {
        let (ascii, bit) = bytes.withUnsafeBufferPointer { buffer in
            let bytes = UnsafeBufferPointer(rebasing: buffer[name])
            return (bytes.isASCII, Self.nameBit(bytes))
        }
        // A name that is not ASCII is compared as text, where case folds further: it may be any name.
        nameBits |= ascii ? bit : ~0
        fields.append((name, ascii, value, folds.count..<folds.count))
    }

    /// The bit of `nameBits` for a name: its length and its first byte without case.
    private static func nameBit(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let first = name.first else { return 1 }
        return 1 << UInt64((name.count &* 7 &+ Int(first | 0x20)) & 63)
    }

    /// A continuation line of the last field's value.
    mutating func fold(_ line: Range<Int>) {
        folds.append(line)
        fields[fields.count - 1].folds = fields[fields.count - 1].folds.lowerBound..<folds.count
    }

    /// The first field named `name` (ASCII, as every header name asked for is), its folded lines joined by
    /// a space.
    func value(named name: String) -> String? {
        var name = name
        return name.withUTF8 { wanted in
            guard nameBits & Self.nameBit(wanted) != 0 else { return nil }
            return bytes.withUnsafeBufferPointer { buffer in
                guard let field = fields.first(where: { Self.isNamed($0.name, ascii: $0.asciiName, wanted, in: buffer) }) else { return nil }
                let value = unfoldedText(field, in: buffer)
                // Most values hold no encoded word: looked for on the field's bytes, not the String made of them.
                return decodesEncodedWords && Self.holdsEncodedWordStart(buffer, span(of: field)) ? EncodedWords.decode(value) : value
            }
        }
    }

    /// A field's value as text, its continuation lines joined by a space.
    private func unfoldedText(_ field: Field, in buffer: UnsafeBufferPointer<UInt8>) -> String {
        var value = MailMessage.headerText(buffer, field.value)
        for fold in folds[field.folds] { value += " " + MailMessage.headerText(buffer, fold) }
        return value
    }

    /// For the stored copy (`MailMessage.AuditEdit`): each field whose value holds an RFC 2047 encoded word,
    /// from its value's first byte to its last continuation line's last (message offsets), and the value
    /// decoded and unfolded, line breaks inside it made spaces.
    func encodedWordEdits() -> [MailMessage.AuditEdit] {
        bytes.withUnsafeBufferPointer { buffer in
            // Most blocks have no encoded word: one memchr pass says so (a closure per byte of each field was
            // 2% of mail ingest).
            guard let last = fields.last, Self.holdsEncodedWordStart(buffer, 0..<span(of: last).upperBound) else { return [] }
            return fields.compactMap { field -> MailMessage.AuditEdit? in
                let span = span(of: field)
                guard Self.holdsEncodedWordStart(buffer, span) else { return nil }
                let value = unfoldedText(field, in: buffer)
                let decoded = EncodedWords.decode(value)
                guard decoded != value else { return nil }
                let oneLine = decoded.utf8.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
                return MailMessage.AuditEdit(range: absolute(span), replacement: oneLine, hidesData: true)
            }
        }
    }

    /// A field's value from its first byte to its last continuation line's last.
    private func span(of field: Field) -> Range<Int> {
        field.value.lowerBound..<(field.folds.isEmpty ? field.value.upperBound : folds[field.folds.upperBound - 1].upperBound)
    }

    /// Whether "=?" occurs in `range` of `buffer`.
    private static func holdsEncodedWordStart(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        var question = range.lowerBound + 1
        while question < range.upperBound, let hit = memchr(base + question, 0x3F, range.upperBound - question) {
            question = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if buffer[question - 1] == 0x3D { return true }
            question += 1
        }
        return false
    }

    /// The first field named `name`'s value (first line only) as message offsets.
    func valueRange(named name: String) -> Range<Int>? {
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in fields.first { Self.isNamed($0.name, ascii: $0.asciiName, wanted, in: buffer) } }
        }.map { absolute($0.value) }
    }

    /// Where the value of parameter `parameter` (lowercase ASCII, as "charset") of the first field named
    /// `name` lies, quotes excluded, in message offsets; searched on the field's first line only.
    func parameterRange(_ parameter: String, ofField name: String) -> Range<Int>? {
        guard let value = valueRange(named: name) else { return nil }
        let key = Array((parameter + "=").utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Range<Int>? in
            let start = value.lowerBound - bytes.startIndex, end = value.upperBound - bytes.startIndex
            var i = start
            while i + key.count <= end {
                let before = i == start ? 0x3B : buffer[i - 1]
                if before == 0x3B || before == 0x20 || before == 0x09, (0..<key.count).allSatisfy({ MailMessage.sameByte(buffer[i + $0], key[$0]) }) {
                    var first = i + key.count, last = first
                    if first < end, buffer[first] == 0x22 {
                        first += 1
                        last = first
                        while last < end, buffer[last] != 0x22 { last += 1 }
                    } else {
                        while last < end, buffer[last] != 0x3B, buffer[last] != 0x20, buffer[last] != 0x09 { last += 1 }
                    }
                    return absolute(first..<last)
                }
                i += 1
            }
            return nil
        }
    }

    /// Whether the bytes at `range` (message offsets) are `text`, ASCII letters compared without case.
    func holds(_ range: Range<Int>, caseInsensitively text: String) -> Bool {
        let wanted = Array(text.utf8)
        guard range.count == wanted.count, range.lowerBound >= bytes.startIndex, range.upperBound <= bytes.endIndex else { return false }
        return zip(bytes[range], wanted).allSatisfy { MailMessage.sameByte($0, $1) }
    }

    private func absolute(_ range: Range<Int>) -> Range<Int> {
        (bytes.startIndex + range.lowerBound)..<(bytes.startIndex + range.upperBound)
    }

    /// An ASCII name compares on its bytes; any other is made text first, so that a Unicode space at its
    /// ends is trimmed as it always was.
    private static func isNamed(
        _ range: Range<Int>, ascii: Bool, _ wanted: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard ascii else { return MailMessage.sameName(MailMessage.headerText(buffer, range), String(decoding: wanted, as: UTF8.self)) }
        guard range.count == wanted.count else { return false }
        let name = UnsafeBufferPointer(rebasing: buffer[range])
        for k in 0..<name.count where !MailMessage.sameByte(name[k], wanted[k]) { return false }
        return true
    }
}

/// RFC 2047 encoded words (`=?charset?B|Q?...?=`), including several charsets in one header; white space
/// between adjacent encoded words is dropped as the RFC says.
enum EncodedWords {
    static func decode(_ value: String) -> String {
        guard value.containsBytes("=?") else { return value }
        var value = value
        if let ascii = value.withUTF8({ decodeASCII($0) }) { return ascii }
        return decodeAny(value)
    }

    /// `decode` for an ASCII header value (encoded words are ASCII by definition), on its bytes: the same
    /// steps without Substring and Character walks. nil when the value is not ASCII.
    static func decodeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.isASCII else { return nil }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        func next(_ byte: UInt8, from start: Int) -> Int? { (start..<bytes.count).first { bytes[$0] == byte } }
        var out = ""
        var rest = 0
        var lastWasEncoded = false
        var search = 0
        while let open = (search..<max(search, bytes.count - 1)).first(where: { bytes[$0] == 0x3D && bytes[$0 + 1] == 0x3F }) {
            let afterOpen = open + 2
            // charset ? encoding ? payload ? = : the first three question marks after "=?".
            guard let q1 = next(0x3F, from: afterOpen), let q2 = next(0x3F, from: q1 + 1), let q3 = next(0x3F, from: q2 + 1),
                q2 - q1 == 2, q3 + 1 < bytes.count, bytes[q3 + 1] == 0x3D
            else {
                out += text(rest..<afterOpen)
                (rest, search, lastWasEncoded) = (afterOpen, afterOpen, false)
                continue
            }
            let before = rest..<open
            if !(lastWasEncoded && before.allSatisfy({ (bytes[$0] >= 0x09 && bytes[$0] <= 0x0D) || bytes[$0] == 0x20 })) {
                out += text(before)
            }
            let charset = bytes[afterOpen..<q1].split(separator: 0x2A).first.map { String(decoding: $0, as: UTF8.self) } ?? "us-ascii"
            let payload = Array(bytes[(q2 + 1)..<q3])
            let decoded = bytes[q1 + 1] | 0x20 == 0x62
                ? TransferEncoding.base64(payload[...])
                : TransferEncoding.quotedPrintable(payload.map { $0 == 0x5F ? 0x20 : $0 }[...])
            out += Charsets.decode(decoded, charset: charset).text
            (rest, search, lastWasEncoded) = (q3 + 2, q3 + 2, true)
        }
        return out + text(rest..<bytes.count)
    }

    /// `decode` by Character, for values that are not ASCII.
    static func decodeAny(_ value: String) -> String {
        var out = ""
        var rest = Substring(value)
        var lastWasEncoded = false
        while let start = rest.firstRange(ofBytes: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let pieces = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), pieces[1].count == 1 else {
                out += rest[..<start.upperBound]
                rest = afterStart
                lastWasEncoded = false
                continue
            }
            if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { out += before }
            let charset = pieces[0].split(separator: "*").first.map(String.init) ?? "us-ascii"
            let payload = Array(pieces[2].utf8)
            let bytes: [UInt8]
            if pieces[1].uppercased() == "B" {
                bytes = TransferEncoding.base64(payload[...])
            } else {
                bytes = TransferEncoding.quotedPrintable(payload.map { $0 == 0x5F ? 0x20 : $0 }[...])
            }
            out += Charsets.decode(bytes, charset: charset).text
            rest = pieces[3].dropFirst()
            lastWasEncoded = true
        }
        return out + rest
    }
}
