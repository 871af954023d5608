import Foundation
public import Ingest

/// A batch of feedback already in the form the store's insert statements bind: each row's values in column
/// order, its texts and id bytes back to back in buffers of a few groups of rows each.
///
/// Made where a batch is cleaned, on any core, so that the ingest writer — the one thread that sets the pace
/// of a large ingest — only binds pointers and steps. Encoding on that thread (a week's name worked out per
/// record, the id's hex turned into bytes, every text copied and searched for NUL bytes) and freeing the
/// batch's dozen strings per record there were about a fifth of its time.
public struct FeedbackRows: Sendable {
    /// The values of a row, in the order of `FeedbackStore.insertSQL` (the run id, the last column, is bound
    /// by the writer).
    static let columns = 20

    /// The columns a refused row's quarantine record is read from, by their place in a row.
    enum Column: Int { case id = 0, channel = 1, externalID = 2, file = 3, position = 4, text = 17, raw = 18 }

    /// One value: a number, or the position of its bytes in its row's part.
    struct Value {
        enum Kind: UInt8 { case null, integer, real, text, blob }
        /// An integer, a double's bit pattern, or the offset of a text's bytes.
        var payload: Int64
        var length: Int32
        var kind: Kind

        static let null = Value(payload: 0, length: 0, kind: .null)
    }

    /// The rows' bytes, in parts of about `partBytes` that each hold whole groups of `groupRows` rows, so a
    /// group of rows is bound from one part. One buffer for a whole batch held a large mail batch in one
    /// allocation of 16 MB or more, which glibc's allocator kept from batch to batch: a 2 GB mbox peaked at
    /// 310 MB instead of 266 MB.
    private(set) var parts: [[UInt8]] = []
    /// The part each row's bytes are in.
    private(set) var partOfRow: [Int32] = []
    private(set) var values: [Value] = []
    /// Per row, the bytes of its text and raw message (a group of rows holding many goes in row by row).
    private(set) var sizes: [Int] = []

    static let partBytes = 256 << 10
    /// Rows a part starts at a multiple of: `FeedbackStore.rowsPerStatement`, the rows one statement binds.
    static let groupRows = 32

    public var count: Int { sizes.count }

    /// Where the rows' weeks are counted (`LocalZone`).
    let zone: LocalZone

    public init(reservingCapacity count: Int = 0, zone: LocalZone = .utc) {
        self.zone = zone
        values.reserveCapacity(count * Self.columns)
        sizes.reserveCapacity(count)
        partOfRow.reserveCapacity(count)
    }

    public init(_ feedback: [Feedback], zone: LocalZone = .utc) {
        self.init(reservingCapacity: feedback.count, zone: zone)
        for f in feedback { append(f) }
    }

    public mutating func append(_ f: Feedback) {
        if count % Self.groupRows == 0, parts.last.map({ $0.count >= Self.partBytes }) ?? true {
            var part: [UInt8] = []
            part.reserveCapacity(Self.partBytes + Self.partBytes / 4)
            parts.append(part)
        }
        partOfRow.append(Int32(parts.count - 1))
        appendHexBlob(f.id)
        append(f.channel.rawValue)
        append(f.externalID)
        append(f.source.file)
        append(f.source.position)
        append(f.timestamp.timeIntervalSince1970)
        append(Week(containing: f.timestamp, in: zone).description)
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

    /// Calls `body` with the address of the bytes of row `index`'s part, where its texts' offsets point;
    /// the rows of its group have the same part.
    func withBytes<R>(ofRow index: Int, _ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        try parts[Int(partOfRow[index])].withUnsafeBufferPointer { buffer in
            // An empty part still needs an address: a nil one would bind NULL for an empty text.
            try withUnsafePointer(to: 0 as UInt8) { empty in try body(buffer.baseAddress ?? empty) }
        }
    }

    /// The bytes of a text or blob value of row `index` (empty for any other value).
    func bytes(_ column: Column, ofRow index: Int) -> ArraySlice<UInt8> {
        let value = values[index * Self.columns + column.rawValue]
        guard value.kind == .text || value.kind == .blob else { return [] }
        return parts[Int(partOfRow[index])][Int(value.payload)..<(Int(value.payload) + Int(value.length))]
    }

    /// A text value of row `index` as a String (for a row the store refused).
    func text(_ value: Value, ofRow index: Int) -> String? {
        guard value.kind == .text else { return nil }
        return String(decoding: parts[Int(partOfRow[index])][Int(value.payload)..<(Int(value.payload) + Int(value.length))], as: UTF8.self)
    }

    /// The quarantine record of a row the store's schema refused: its source and its raw message (else its
    /// text), as `Feedback` would give them (with a NUL byte already stored as U+FFFD).
    func rejection(ofRow index: Int, reason: String) -> Rejection {
        let row = Array(row(index))
        func text(_ column: Column) -> String? { self.text(row[column.rawValue], ofRow: index) }
        let raw = text(.raw) ?? text(.text) ?? ""
        return Rejection(
            source: SourceRef(file: text(.file) ?? "", position: text(.position) ?? ""), reason: reason, raw: Array(raw.utf8),
            channel: text(.channel).flatMap(Channel.init(rawValue:)))
    }

    // MARK: encoding

    private mutating func append(_ value: String?) {
        guard var value else { return values.append(.null) }
        let last = parts.count - 1
        let start = parts[last].count
        value.withUTF8 { RowBinder.appendText($0, to: &parts[last]) }
        values.append(Value(payload: Int64(start), length: Int32(parts[last].count - start), kind: .text))
    }

    /// A feedback id, a hex text, as the bytes it spells; a text that is not hex stays a text.
    private mutating func appendHexBlob(_ value: String) {
        let last = parts.count - 1
        let start = parts[last].count
        guard Digest.appendBytes(hex: value, to: &parts[last]) else { return append(value) }
        values.append(Value(payload: Int64(start), length: Int32(parts[last].count - start), kind: .blob))
    }

    private mutating func append(_ value: Int?) {
        values.append(value.map { Value(payload: Int64($0), length: 0, kind: .integer) } ?? .null)
    }

    private mutating func append(_ value: Double?) {
        values.append(value.map { Value(payload: Int64(bitPattern: $0.bitPattern), length: 0, kind: .real) } ?? .null)
    }
}
