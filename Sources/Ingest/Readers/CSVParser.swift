public import Foundation

/// One CSV record: its fields, the 1-based line it starts on, and its raw bytes (for quarantine).
public struct CSVRecord: Sendable {
    public var fields: [String]
    public var line: Int
    public var raw: [UInt8]
    /// Set when the record's bytes are not valid UTF-8 or a quote was never closed.
    public var defect: String?
}

/// A header row, lowercased and trimmed, for finding a column by any of its usual names.
struct CSVHeader {
    let names: [String]

    init(_ fields: [String]) { names = fields.map { $0.lowercased().trimmingSpaces() } }

    func index(_ candidates: String...) -> Int? { names.firstIndex { candidates.contains($0) } }
}

/// RFC 4180 CSV over bytes: quoted fields, doubled quotes, embedded newlines, CRLF or LF, a UTF-8 BOM,
/// and `,` `;` or tab delimiters (sniffed from the first line outside quotes, or named by Excel's `sep=;`
/// first line, which is skipped).
///
/// Text is UTF-8, except in a file that is windows-1252 (Excel's "CSV" on Western Windows; every accented
/// record of such a file was quarantined): its first non-ASCII field is not valid UTF-8 and nowhere in the
/// file is there a valid multi-byte UTF-8 sequence, which windows-1252 text almost never forms. A field
/// that is not valid UTF-8 in a file that has such sequences is damaged UTF-8, and stays a defect.
public struct CSVParser: Sequence, IteratorProtocol {
    private let bytes: Data
    private var offset: Int
    private var line = 1
    public let delimiter: UInt8
    private let maxFieldBytes: Int
    /// The file's text encoding, decided at its first field that is not valid UTF-8.
    public private(set) var encoding = TextEncoding.undecided

    public enum TextEncoding: Sendable { case undecided, utf8, windows1252 }

    public init(_ data: Data, delimiter: UInt8? = nil, maxFieldBytes: Int = 64 << 20) {
        self.bytes = data
        var start = data.startIndex + (data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
        var named: UInt8?
        let hint = Array(data[start..<Swift.min(data.endIndex, start + 7)])
        if hint.count >= 5, hint[0...3] == [0x73, 0x65, 0x70, 0x3D] {  // "sep=X" then the line end
            let rest = hint.dropFirst(5)
            if rest.isEmpty || rest.first == 0x0A || rest.first == 0x0D {
                named = hint[4]
                start += 5 + (rest.starts(with: [0x0D, 0x0A]) ? 2 : rest.isEmpty ? 0 : 1)
                line = 2
            }
        }
        self.offset = start
        self.delimiter = delimiter ?? named ?? CSVParser.sniffDelimiter(data[start...].prefix(64 * 1024))
        self.maxFieldBytes = maxFieldBytes
    }

    /// A field's text in the file's encoding; nil when it is damaged UTF-8.
    private mutating func text(_ field: [UInt8]) -> String? {
        // ASCII (most fields) is the same text in every encoding read here and needs no validation, which
        // for `String(validating:)` is a generic, unspecialised call: a twentieth of search-log ingest.
        if field.allSatisfy({ $0 < 0x80 }) { return String(decoding: field, as: UTF8.self) }
        if encoding == .windows1252 { return Charsets.windows1252(field) }
        if let text = String(validating: field, as: UTF8.self) { return text }
        // Decided once, from the whole file: valid UTF-8 fields before this one count as its evidence too.
        guard encoding == .undecided else { return nil }
        encoding = Self.holdsMultiByteUTF8(bytes) ? .utf8 : .windows1252
        return encoding == .windows1252 ? Charsets.windows1252(field) : nil
    }

    /// True when the bytes hold at least one well-formed two- to four-byte UTF-8 sequence.
    static func holdsMultiByteUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let n = raw.count
            var i = 0
            while i < n {
                let lead = raw[i]
                let length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
                if length > 0, i + length <= n, String(validating: raw[i..<(i + length)], as: UTF8.self) != nil { return true }
                i += 1
            }
            return false
        }
    }

    static func sniffDelimiter(_ head: Data) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var quoted = false
        for byte in head {
            if byte == 0x22 { quoted.toggle() }
            if !quoted, byte == 0x0A { break }
            if !quoted, counts[byte] != nil { counts[byte]! += 1 }
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.value > 0
            ? counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key : 0x2C
    }

    public mutating func next() -> CSVRecord? {
        let end = bytes.endIndex
        guard offset < end else { return nil }
        let startLine = line
        let startOffset = offset
        var fields: [String] = []
        var field: [UInt8] = []
        var defect: String?
        var quoted = false
        var fieldStarted = false
        return bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> CSVRecord? in
            let base = bytes.startIndex
            var i = offset - base
            let n = end - base
            func closeField() {
                if let text = text(field) {
                    fields.append(text)
                } else {
                    fields.append(String(decoding: field, as: UTF8.self))
                    defect = defect ?? "field \(fields.count) is not valid UTF-8"
                }
            }
            func finish() -> CSVRecord {
                closeField()
                offset = base + i
                return CSVRecord(fields: fields, line: startLine, raw: Array(raw[(startOffset - base)..<i]), defect: defect)
            }
            // Bytes into the current field, up to the field limit; anything beyond is a defect.
            func append(_ range: Range<Int>) {
                let room = Swift.max(0, maxFieldBytes - field.count)
                field.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[range.lowerBound..<(range.lowerBound + Swift.min(range.count, room))]))
                if range.count > room { defect = "field longer than \(maxFieldBytes) bytes" }
            }
            while i < n {
                let byte = raw[i]
                if quoted {
                    if byte == 0x22 {
                        if i + 1 < n, raw[i + 1] == 0x22 {
                            field.append(0x22)
                            i += 2
                            continue
                        }
                        quoted = false
                        i += 1
                        continue
                    }
                    if byte == 0x0A {
                        line += 1
                        append(i..<(i + 1))
                        i += 1
                        continue
                    }
                    // The run up to the next quote or newline in one append.
                    var j = i + 1
                    while j < n, raw[j] != 0x22, raw[j] != 0x0A { j += 1 }
                    append(i..<j)
                    i = j
                    continue
                }
                switch byte {
                case 0x22 where !fieldStarted:
                    quoted = true
                    fieldStarted = true
                    i += 1
                case delimiter:
                    closeField()
                    field.removeAll(keepingCapacity: true)
                    fieldStarted = false
                    i += 1
                case 0x0D where i + 1 < n && raw[i + 1] == 0x0A:
                    i += 2
                    line += 1
                    return finish()
                case 0x0A, 0x0D:
                    i += 1
                    line += 1
                    return finish()
                default:
                    // An unquoted field up to the next delimiter or line end in one append (a quote inside
                    // it is data): byte-by-byte appends were most of the parser's time.
                    var j = i + 1
                    while j < n, raw[j] != delimiter, raw[j] != 0x0A, raw[j] != 0x0D { j += 1 }
                    append(i..<j)
                    fieldStarted = true
                    i = j
                }
            }
            if quoted { defect = defect ?? "quoted field never closed" }
            return finish()
        }
    }
}
