public import Foundation
public import Markup

/// A file handed to a reader: its display path and its bytes (memory-mapped, so large files stay off the heap).
/// Readers that can work front to back read it in pieces with `pieces()` instead, so a file far larger
/// than memory (a 2 GB mailbox) costs one piece, not the pages of the whole mapping.
public struct SourceFile: Sendable {
    public let path: String
    public let data: Data
    /// Bytes per piece of `pieces()`; tests set 1 to split the input at every byte.
    public var pieceSize = 1 << 20
    private let onDisk: Bool

    public init(path: String, data: Data) {
        self.path = path
        self.data = Self.utf8(fromUTF16: data) ?? data
        self.onDisk = false
    }

    /// Maps the file at `path`; throws only when the whole source cannot be opened.
    public init(contentsOf path: String) throws {
        self.path = path
        let mapped = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        if let converted = Self.utf8(fromUTF16: mapped) {
            data = converted
            onDisk = false  // pieces come from the converted bytes, not the file
        } else {
            data = mapped
            onDisk = true
        }
    }

    /// A text file that starts with a UTF-16 byte-order mark (Excel's "Unicode Text" and some survey tools'
    /// TSV exports), as UTF-8 without the mark: every reader works on UTF-8. Unpaired surrogates and an odd
    /// last byte become U+FFFD. nil for anything else. The converted copy is held in memory (such exports
    /// are spreadsheets, not mailboxes).
    static func utf8(fromUTF16 data: Data) -> Data? {
        guard data.count >= 2 else { return nil }
        let first = data[data.startIndex], second = data[data.startIndex + 1]
        let littleEndian: Bool
        switch (first, second) {
        case (0xFF, 0xFE): littleEndian = true
        case (0xFE, 0xFF): littleEndian = false
        default: return nil
        }
        let start = data.startIndex + 2
        let units = (data.count - 2) / 2
        let codeUnits = (0..<units).lazy.map { k -> UInt16 in
            let (a, b) = (UInt16(data[start + 2 * k]), UInt16(data[start + 2 * k + 1]))
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        var out: [UInt8] = []
        out.reserveCapacity(units * 3 / 2)
        _ = transcode(codeUnits.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: false) { out.append($0) }
        if data.count % 2 == 1 { out += [0xEF, 0xBF, 0xBD] }  // U+FFFD
        return Data(out)
    }

    /// The bytes front to back in pieces of at most `pieceSize`: read from disk for a file (mapped pages
    /// touched once stay resident until the file is unmapped), sliced from `data` otherwise.
    public func pieces() -> SourcePieces {
        SourcePieces(data: data, path: onDisk ? path : nil, size: max(1, pieceSize))
    }

    /// Lowercased extension without the dot.
    public var fileExtension: String { (path as NSString).pathExtension.lowercasedOnBytes() }

    /// The first bytes as text, for content sniffing.
    public var head: String { String(decoding: data.prefix(2048), as: UTF8.self) }
}

/// One pass over a source's bytes; see `SourceFile.pieces()`. A read error ends the pass early, like a
/// truncated file.
public final class SourcePieces: IteratorProtocol {
    private let data: Data
    private let size: Int
    private var offset: Int
    private var descriptor: Int32 = -1

    init(data: Data, path: String?, size: Int) {
        self.data = data
        self.size = size
        self.offset = data.startIndex
        if let path { descriptor = open(path, O_RDONLY) }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public func next() -> [UInt8]? {
        guard descriptor >= 0 else {
            guard offset < data.endIndex else { return nil }
            let end = min(offset + size, data.endIndex)
            defer { offset = end }
            return Array(data[offset..<end])
        }
        // Read straight into uninitialised storage: zeroing each piece first was 1% of the mail reader.
        let piece = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var got = 0
            while got < size {
                let n = read(descriptor, buffer.baseAddress! + got, size - got)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                got += n
            }
            initialized = got
        }
        guard !piece.isEmpty else {
            close(descriptor)
            descriptor = -1
            offset = data.endIndex
            return nil
        }
        return piece
    }
}

/// The Ingest stage's role: turn one source file into feedback and rejections, lazily, record by record.
public protocol FeedbackReader: Sendable {
    var channel: Channel { get }
    /// True when this reader understands the file (by extension and content).
    func accepts(_ file: SourceFile) -> Bool
    /// The file's records in order; a malformed record becomes a `.rejected` event and reading goes on.
    func read(_ file: SourceFile) -> AnyIterator<ReaderEvent>
    /// Where a time written without a zone was written (`timezone`); the store's zone, set by the ingest.
    var zone: LocalZone { get set }
}

extension FeedbackReader {
    /// Reads everything at once; convenient for tests and small files.
    public func readAll(_ file: SourceFile) -> [ReaderEvent] { Array(read(file)) }
}

/// Limits on untrusted input, documented in docs/threat-model.md and set in `voc.yaml` under `limits:`.
public struct IngestLimits: Sendable, Equatable {
    /// Longest single message text kept; longer ones are quarantined whole.
    public var maxMessageBytes = 1 << 20
    /// Most bytes of one MIME part decoded (attachments are never decoded, only named).
    public var maxAttachmentBytes = 25 << 20
    /// Largest XML or HTML file parsed (a feed, a forum page, a `Posts.xml`).
    public var maxMarkupBytes = 256 << 20
    /// Deepest element nesting kept in XML and HTML; deeper content is cut.
    public var maxNestingDepth = 256
    /// Longest single CSV field; a longer one ends its file's reading with a rejection.
    public var maxCSVFieldBytes = 64 << 20
    /// Most records read from one file; the rest of the file is quarantined as one rejection that says so.
    public var maxRecordsPerFile = 50_000_000
    /// Most searches one row of a pre-aggregated search-terms table may stand for; a tiny file must not
    /// turn into millions of records (found by fuzzing). A row over it is rejected.
    public var maxSearchesPerRow = 1_000_000

    public init() {}

    /// The markup parser's share of these limits.
    public var markup: MarkupLimits { MarkupLimits(maxBytes: maxMarkupBytes, maxDepth: maxNestingDepth) }
}
