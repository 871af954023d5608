public import Foundation

/// One CSV record: its fields, the 1-based line it starts on, and its raw bytes (for quarantine).
public struct CSVRecord: Sendable {
    public var fields: [String]
    public var line: Int
    /// Set when the record's bytes are not valid UTF-8 or a quote was never closed.
    public var defect: String?
    /// The file and the record's range in it: the bytes are copied only when asked for (a rejection, a
    /// content hash), not for every record read.
    private let file: Data
    private let span: Range<Data.Index>

    init(fields: [String], line: Int, file: Data, span: Range<Data.Index>, defect: String?) {
        self.fields = fields
        self.line = line
        self.defect = defect
        self.file = file
        self.span = span
    }

    /// The record's bytes as they are in the file.
    public var raw: [UInt8] { Array(file[span]) }
}

/// A header row, lowercased and trimmed, for finding a column by any of its usual names.
struct CSVHeader {
    let names: [String]

    init(_ fields: [String]) { names = fields.map { $0.lowercasedOnBytes().trimmingSpaces() } }

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
    /// The last record's field count (the next one's array is sized for it) and its field buffer.
    private var fieldsPerRecord = 8
    private var scratch: [UInt8] = []
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

    /// True when the bytes hold at least one well-formed two- to four-byte UTF-8 sequence.
    static func holdsMultiByteUTF8(_ raw: UnsafeRawBufferPointer) -> Bool {
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
        guard offset < bytes.endIndex else { return nil }
        let base = bytes.startIndex
        var scan = Scan(i: offset - base, line: line, encoding: encoding, delimiter: delimiter, maxFieldBytes: maxFieldBytes, field: scratch)
        scan.field.removeAll(keepingCapacity: true)
        scan.fields.reserveCapacity(fieldsPerRecord)
        let startLine = line
        let startOffset = offset
        bytes.withUnsafeBytes { scan.record(in: $0) }
        offset = base + scan.i
        line = scan.line
        encoding = scan.encoding
        fieldsPerRecord = scan.fields.count
        scratch = scan.field
        return CSVRecord(fields: scan.fields, line: startLine, file: bytes, span: startOffset..<offset, defect: scan.defect)
    }

    /// One record's scan. Its state is one value whose methods do the work: the same state as locals
    /// captured by a closure was checked for exclusive access at run time, twenty times a record.
    private struct Scan {
        var i: Int
        var line: Int
        var encoding: TextEncoding
        let delimiter: UInt8
        let maxFieldBytes: Int
        /// Quoted fields (doubled quotes, line breaks) are gathered here; an unquoted field is one run of
        /// the file (`direct`), made a String from there.
        var field: [UInt8]
        var direct: Range<Int>?
        var fields: [String] = []
        var defect: String?
        var quoted = false
        var fieldStarted = false

        /// Scans from `i` to the end of the record (its line end, or the end of the file).
        mutating func record(in raw: UnsafeRawBufferPointer) {
            let n = raw.count
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
                        append(i..<(i + 1), of: raw)
                        i += 1
                        continue
                    }
                    // The run up to the next quote or newline in one append.
                    var j = i + 1
                    while j < n, raw[j] != 0x22, raw[j] != 0x0A { j += 1 }
                    append(i..<j, of: raw)
                    i = j
                    continue
                }
                switch byte {
                case 0x22 where !fieldStarted:
                    quoted = true
                    fieldStarted = true
                    i += 1
                case delimiter:
                    closeField(raw)
                    field.removeAll(keepingCapacity: true)
                    fieldStarted = false
                    i += 1
                case 0x0D where i + 1 < n && raw[i + 1] == 0x0A:
                    i += 2
                    line += 1
                    return closeField(raw)
                case 0x0A, 0x0D:
                    i += 1
                    line += 1
                    return closeField(raw)
                default:
                    // An unquoted field up to the next delimiter or line end at once (a quote inside it is
                    // data): byte-by-byte appends were most of the parser's time.
                    var j = i + 1
                    while j < n, raw[j] != delimiter, raw[j] != 0x0A, raw[j] != 0x0D { j += 1 }
                    if field.isEmpty, direct == nil, j - i <= maxFieldBytes { direct = i..<j } else { append(i..<j, of: raw) }
                    fieldStarted = true
                    i = j
                }
            }
            if quoted { defect = defect ?? "quoted field never closed" }
            closeField(raw)
        }

        /// Bytes into the current field, up to the field limit; anything beyond is a defect.
        private mutating func append(_ range: Range<Int>, of raw: UnsafeRawBufferPointer) {
            let room = Swift.max(0, maxFieldBytes - field.count)
            field.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[range.lowerBound..<(range.lowerBound + Swift.min(range.count, room))]))
            if range.count > room { defect = "field longer than \(maxFieldBytes) bytes" }
        }

        private mutating func closeField(_ raw: UnsafeRawBufferPointer) {
            func close(_ bytes: UnsafeRawBufferPointer, _ fields: inout [String], _ encoding: inout TextEncoding) -> Bool {
                if let text = Scan.decode(bytes, file: raw, encoding: &encoding) {
                    fields.append(text)
                    return true
                }
                fields.append(String(decoding: bytes, as: UTF8.self))
                return false
            }
            let valid: Bool
            if let range = direct {
                valid = close(UnsafeRawBufferPointer(rebasing: raw[range]), &fields, &encoding)
                direct = nil
            } else {
                valid = field.withUnsafeBytes { close($0, &fields, &encoding) }
            }
            if !valid { defect = defect ?? "field \(fields.count) is not valid UTF-8" }
        }

        /// A field's text in the file's encoding; nil when it is damaged UTF-8.
        static func decode(_ field: UnsafeRawBufferPointer, file: UnsafeRawBufferPointer, encoding: inout TextEncoding) -> String? {
            // ASCII (most fields) is the same text in every encoding read here and needs no validation, which
            // for `String(validating:)` is a generic, unspecialised call: a twentieth of search-log ingest.
            if field.assumingMemoryBound(to: UInt8.self).isASCII { return String(decoding: field, as: UTF8.self) }
            if encoding == .windows1252 { return Charsets.windows1252(Array(field)) }
            if let text = String(validating: field, as: UTF8.self) { return text }
            // Decided once, from the whole file: valid UTF-8 fields before this one count as its evidence too.
            guard encoding == .undecided else { return nil }
            encoding = CSVParser.holdsMultiByteUTF8(file) ? .utf8 : .windows1252
            return encoding == .windows1252 ? Charsets.windows1252(Array(field)) : nil
        }
    }
}

extension CSVParser {
    /// What the coming records' values in `column` say of their slash dates' order
    /// (`DateParsing.order(evidencedBy:)`), read ahead on a copy: this parser does not move.
    func dateOrder(ofColumn column: Int) -> DateParsing.Order? {
        var ahead = self
        return DateParsing.order(evidencedBy: AnySequence { AnyIterator { ahead.next().map { column < $0.fields.count ? $0.fields[column] : "" } } })
    }
}
