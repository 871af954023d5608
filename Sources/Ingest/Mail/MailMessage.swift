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
    init(_ bytes: ArraySlice<UInt8>, limits: IngestLimits) {
        let bodyStart: Int
        (headers, bodyStart) = MailMessage.splitHeaders(bytes, decodesEncodedWords: true)
        var plain: [String] = []
        var html: [HTMLPart] = []
        walk(
            bytes[bodyStart...], contentType: header("Content-Type"), encoding: header("Content-Transfer-Encoding"),
            disposition: header("Content-Disposition"), depth: 0, plain: &plain, html: &html, limits: limits)
        if !plain.isEmpty {
            body = plain.joined(separator: "\n")
        } else if !html.isEmpty {
            bodyWasHTML = true
            body = html.map { part in
                MailMessage.htmlToText(text(part.body, encoding: part.encoding, charset: part.charset, limits: limits), limits: limits.markup)
            }.joined(separator: "\n")
        }
    }

    /// An HTML part as found, decoded only when the message has no text/plain part: most mail has both
    /// (multipart/alternative), and the plain one is what is read. Decoding every HTML part anyway (base64 and
    /// charset) was 3% of mail ingest.
    private struct HTMLPart {
        var body: ArraySlice<UInt8>
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
        return (Charsets.utf8(slice) ?? Charsets.fallback(Array(slice))).trimmingSpaces()
    }

    /// `range` without the spaces and tabs at its ends.
    static func withoutSpacesAndTabs(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var (start, end) = (range.lowerBound, range.upperBound)
        while start < end, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
        while end > start, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 { end -= 1 }
        return start..<end
    }

    private mutating func walk(
        _ body: ArraySlice<UInt8>, contentType: String?, encoding: String?, disposition: String?, depth: Int,
        plain: inout [String], html: inout [HTMLPart], limits: IngestLimits
    ) {
        let type = MailMessage.parameters(contentType ?? "text/plain")
        let mime = type.value.lowercasedOnBytes()
        if mime == "multipart/report" { isReport = true }
        let dispositionInfo = MailMessage.parameters(disposition ?? "")
        let filename = dispositionInfo.params["filename"] ?? type.params["name"]
        if dispositionInfo.value.lowercasedOnBytes() == "attachment" || (filename != nil && !mime.hasPrefix("multipart/")) {
            attachments.append("\(filename.map { EncodedWords.decode($0) } ?? "unnamed") (\(mime))")
            return
        }
        if mime.hasPrefix("multipart/"), let boundary = type.params["boundary"], depth < 32 {
            // Every text part is collected; the caller prefers text/plain over HTML, which also settles
            // multipart/alternative without special cases.
            for part in MailMessage.splitMultipart(body, boundary: boundary) {
                let (partHeaders, start) = MailMessage.splitHeaders(part)
                func h(_ name: String) -> String? { partHeaders.value(named: name) }
                walk(
                    part[start...], contentType: h("Content-Type"), encoding: h("Content-Transfer-Encoding"),
                    disposition: h("Content-Disposition"), depth: depth + 1, plain: &plain, html: &html, limits: limits)
            }
            return
        }
        if mime == "message/rfc822" || mime == "message/delivery-status" {
            if mime == "message/delivery-status" { isReport = true }
            return
        }
        guard mime.hasPrefix("text/") || mime.isEmpty else {
            attachments.append("unnamed (\(mime))")
            return
        }
        let charset = type.params["charset"]
        if mime == "text/html" {
            html.append(HTMLPart(body: body, encoding: encoding, charset: charset))
        } else {
            let text = text(body, encoding: encoding, charset: charset, limits: limits)
            let flowed = type.params["format"]?.lowercasedOnBytes() == "flowed"
            plain.append(flowed ? MailMessage.unflow(text, delsp: type.params["delsp"]?.lowercasedOnBytes() == "yes") : text)
        }
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
                let keyRange = trimmed(piece.lowerBound..<eq)
                var key = String(decoding: bytes[keyRange].lazy.map(\.asciiLowercased), as: UTF8.self)
                var valueRange = trimmed((eq + 1)..<piece.upperBound)
                if valueRange.count >= 2, bytes[valueRange.lowerBound] == 0x22, bytes[valueRange.upperBound - 1] == 0x22 {
                    valueRange = (valueRange.lowerBound + 1)..<(valueRange.upperBound - 1)
                }
                var parameter = string(valueRange)
                if key.hasSuffix("*") {
                    key.removeLast()
                    if let tick = parameter.firstRange(ofBytes: "''") {
                        parameter = parameter[tick.upperBound...].removingPercentEncoding ?? parameter
                    }
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
    private var fields: [(name: Range<Int>, asciiName: Bool, value: Range<Int>, folds: Range<Int>)] = []
    private var folds: [Range<Int>] = []
    /// The message's own header block decodes RFC 2047 encoded words; a MIME part's does not.
    let decodesEncodedWords: Bool

    init(bytes: ArraySlice<UInt8> = [], decodesEncodedWords: Bool) {
        self.bytes = bytes
        self.decodesEncodedWords = decodesEncodedWords
    }

    var isEmpty: Bool { fields.isEmpty }

    /// Ranges are offsets from the block's first byte, spaces and tabs already off their ends.
    mutating func append(name: Range<Int>, value: Range<Int>) {
        let ascii = bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[name]).isASCII }
        fields.append((name, ascii, value, folds.count..<folds.count))
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
            bytes.withUnsafeBufferPointer { buffer in
                for field in fields where Self.isNamed(field.name, ascii: field.asciiName, wanted, in: buffer) {
                    var value = MailMessage.headerText(buffer, field.value)
                    for fold in folds[field.folds] { value += " " + MailMessage.headerText(buffer, fold) }
                    return decodesEncodedWords ? EncodedWords.decode(value) : value
                }
                return nil
            }
        }
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
