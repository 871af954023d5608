/// The copy of an email that is stored beside its text (`Feedback.raw`) for a later look.
///
/// The redactor reads text. In a message as received, much of the text is encoded: an HTML alternative in
/// base64 repeats everything the plain part says, a quoted-printable soft break can split an address in
/// two ("jane.doe@exam=" / "ple.com"), and an RFC 2047 subject hides whatever it holds. Stored as received,
/// all of that would keep the personal data the redactor removes everywhere else. So the stored copy is
/// the message with its encoded text decoded, where the redactor sees it: text parts (and a forwarded
/// message's) as UTF-8 with their headers saying so, and encoded words in header fields as their text.
/// An encoded part the analysis does not read is replaced by a line naming its type: an
/// attachment, which no text rule can read (its name and type are also in `Feedback.attachments`), and an
/// HTML part beside plain text, encoded or not, which repeats the plain text in the form that is hardest to
/// redact (tags and entities can split an address). Everything else stays byte for byte.
extension MailMessage {
    /// One change to the message's bytes (offsets in the message).
    struct AuditEdit: Equatable {
        var range: Range<Int>
        var replacement: [UInt8]
        /// Decoded text or an omitted body, as opposed to a header made to describe it ("binary", "utf-8"):
        /// where two edits overlap (an encoded word beside the charset in one Content-Type), this one wins.
        var hidesData: Bool
    }

    /// The message with `auditEdits` applied, or nil when there are none (the bytes as they are).
    func auditCopy(of bytes: ArraySlice<UInt8>) -> [UInt8]? {
        guard !auditEdits.isEmpty else { return nil }
        // In order, and where two start together the one hiding data first. Edits only overlap inside one
        // header field, where an encoded word's edit covers the whole value from its start: any other edit
        // of that field then starts inside it, and is skipped.
        let edits = auditEdits.sorted {
            $0.range.lowerBound < $1.range.lowerBound || ($0.range.lowerBound == $1.range.lowerBound && $0.hidesData && !$1.hidesData)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = bytes.startIndex
        for edit in edits where edit.range.lowerBound >= copied && edit.range.upperBound <= bytes.endIndex {
            out.append(contentsOf: bytes[copied..<edit.range.lowerBound])
            out.append(contentsOf: edit.replacement)
            copied = edit.range.upperBound
        }
        out.append(contentsOf: bytes[copied...])
        return out
    }

    /// A text part's body becomes its decoded `text`; its header fields say it is now UTF-8, not encoded.
    mutating func auditDecoded(_ body: ArraySlice<UInt8>, text: String, fields: HeaderBlock) {
        auditEdits.append(AuditEdit(range: MailMessage.withoutLineBreaksAtEnd(body), replacement: Array(text.utf8), hidesData: true))
        describeAsUnencoded(fields)
        if let charset = fields.parameterRange("charset", ofField: "Content-Type"), !fields.holds(charset, caseInsensitively: "utf-8") {
            auditEdits.append(AuditEdit(range: charset, replacement: Array("utf-8".utf8), hidesData: false))
        }
    }

    /// An encoded body that is not read as text (an attachment, an image, an encoded forwarded message)
    /// becomes one line naming its type. `evenUnencoded`: an HTML part beside a plain one goes whatever its
    /// encoding, as entities and tags ("jane&#64;example.com", "<b>jane</b>@example.com") hide from the
    /// redactor what they spell, and the part repeats the plain text anyway.
    mutating func auditOmitted(_ body: ArraySlice<UInt8>, fields: HeaderBlock, encoding: String?, mime: String, evenUnencoded: Bool = false) {
        guard audits, evenUnencoded || TransferEncoding.hidesText(encoding), !body.isEmpty else { return }
        // RFC 2045: no Content-Transfer-Encoding is 7bit.
        let encodingName = TransferEncoding.name(encoding).flatMap { $0.isEmpty ? nil : $0 } ?? "7bit"
        // No size: a word opening with a digit sends the line through the redactor's number rules.
        var line = Array("[".utf8)
        line.reserveCapacity(64 + mime.utf8.count)
        line += (mime.isEmpty ? "part" : mime).utf8
        line += " in ".utf8
        line += encodingName.utf8
        line += ", not kept in the stored copy]".utf8
        auditEdits.append(AuditEdit(range: MailMessage.withoutLineBreaksAtEnd(body), replacement: line, hidesData: true))
        describeAsUnencoded(fields)
    }

    /// A body's range without the line breaks that end it, so that the copy keeps them after what replaces it.
    private static func withoutLineBreaksAtEnd(_ body: ArraySlice<UInt8>) -> Range<Int> {
        var end = body.endIndex
        while end > body.startIndex, body[end - 1] == 0x0A || body[end - 1] == 0x0D { end -= 1 }
        return body.startIndex..<end
    }

    /// "binary", not "8bit": decoded text keeps no promise about the length of its lines (a decoded HTML
    /// part is often one long line).
    private mutating func describeAsUnencoded(_ fields: HeaderBlock) {
        if let encoding = fields.valueRange(named: "Content-Transfer-Encoding") {
            auditEdits.append(AuditEdit(range: encoding, replacement: Array("binary".utf8), hidesData: false))
        }
    }
}
