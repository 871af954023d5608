import Foundation
public import Ingest

/// A batch of feedback already in the form the store's insert statements bind: each row's values in column
/// order, its texts and id bytes back to back in one buffer.
///
/// Made where a batch is cleaned, on any core, so that the ingest writer — the one thread that sets the pace
/// of a large ingest — only binds pointers and steps. Encoding on that thread (a week's name worked out per
/// record, the id's hex turned into bytes, every text copied and searched for NUL bytes) and freeing the
/// batch's dozen strings per record there were about a fifth of its time.
public struct FeedbackRows: Sendable {
    /// The values of a row, in the order of `FeedbackStore.insertSQL` (the run id, the last column, is bound
    /// by the writer).
    static let columns = 20

    /// One value: a number, or the position of its bytes in `bytes`.
    struct Value {
        enum Kind: UInt8 { case null, integer, real, text, blob }
        /// An integer, a double's bit pattern, or the offset of a text's bytes.
        var payload: Int64
        var length: Int32
        var kind: Kind

        static let null = Value(payload: 0, length: 0, kind: .null)
    }

    private(set) var bytes: [UInt8] = []
    private(set) var values: [Value] = []
    /// Per row, the bytes of its text and raw message (a group of rows holding many goes in row by row).
    private(set) var sizes: [Int] = []

    public var count: Int { sizes.count }

    public init() {}

    public init(_ feedback: [Feedback]) {
        values.reserveCapacity(feedback.count * Self.columns)
        sizes.reserveCapacity(feedback.count)
        for f in feedback { append(f) }
    }

    public mutating func append(_ f: Feedback) {
        appendHexBlob(f.id)
        append(f.channel.rawValue)
        append(f.externalID)
        append(f.source.file)
        append(f.source.position)
        append(f.timestamp.timeIntervalSince1970)
        append(f.week.description)
        append(f.customer)
        append(f.scores.nps)
        append(f.scores.csat)
        append(f.scores.rating)
        append(f.customerValue)
        append(f.role?.rawValue)
        append(f.language)
        append(f.setAside)
        append(f.conversation)
        append(f.outcome?.rawValue)
        append(f.text)
        append(f.raw)
        append(f.attachments.isEmpty ? "" : f.attachments.joined(separator: "; "))
        sizes.append(f.text.utf8.count + (f.raw?.utf8.count ?? 0))
    }

    /// A row's values.
    func row(_ index: Int) -> ArraySlice<Value> { values[(index * Self.columns)..<((index + 1) * Self.columns)] }

    /// A text value as a String (for a row the store refused).
    func text(_ value: Value) -> String? {
        guard value.kind == .text else { return nil }
        return String(decoding: bytes[Int(value.payload)..<(Int(value.payload) + Int(value.length))], as: UTF8.self)
    }

    /// The quarantine record of a row the store's schema refused: its source and its raw message (else its
    /// text), as `Feedback` would give them (with a NUL byte already stored as U+FFFD).
    func rejection(ofRow index: Int, reason: String) -> Rejection {
        let row = Array(row(index))
        let raw = text(row[18]) ?? text(row[17]) ?? ""
        return Rejection(
            source: SourceRef(file: text(row[3]) ?? "", position: text(row[4]) ?? ""), reason: reason, raw: Array(raw.utf8),
            channel: text(row[1]).flatMap(Channel.init(rawValue:)))
    }

    // MARK: encoding

    private mutating func append(_ value: String?) {
        guard var value else { return values.append(.null) }
        let start = bytes.count
        value.withUTF8 { text in
            // A NUL is stored as U+FFFD: SQLite's text functions and GRDB's reads stop at a NUL, so binding it as
            // is cut the rest of the message off without a word.
            guard let base = text.baseAddress, memchr(base, 0, text.count) != nil else { return bytes.append(contentsOf: text) }
            for byte in text { if byte == 0 { bytes += [0xEF, 0xBF, 0xBD] } else { bytes.append(byte) } }
        }
        values.append(Value(payload: Int64(start), length: Int32(bytes.count - start), kind: .text))
    }

    /// A feedback id, a hex text, as the bytes it spells; a text that is not hex stays a text.
    private mutating func appendHexBlob(_ value: String) {
        let start = bytes.count
        guard Digest.appendBytes(hex: value, to: &bytes) else { return append(value) }
        values.append(Value(payload: Int64(start), length: Int32(bytes.count - start), kind: .blob))
    }

    private mutating func append(_ value: Int?) {
        values.append(value.map { Value(payload: Int64($0), length: 0, kind: .integer) } ?? .null)
    }

    private mutating func append(_ value: Double?) {
        values.append(value.map { Value(payload: Int64(bitPattern: $0.bitPattern), length: 0, kind: .real) } ?? .null)
    }
}
