public import Foundation
public import Markup

/// A file handed to a reader: its display path and its bytes (memory-mapped, so large files stay off the heap).
public struct SourceFile: Sendable {
    public let path: String
    public let data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }

    /// Maps the file at `path`; throws only when the whole source cannot be opened.
    public init(contentsOf path: String) throws {
        self.path = path
        self.data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    }

    /// Lowercased extension without the dot.
    public var fileExtension: String { (path as NSString).pathExtension.lowercased() }

    /// The first bytes as text, for content sniffing.
    public var head: String { String(decoding: data.prefix(2048), as: UTF8.self) }
}

/// The Ingest stage's role: turn one source file into feedback and rejections, lazily, record by record.
public protocol FeedbackReader: Sendable {
    var channel: Channel { get }
    /// True when this reader understands the file (by extension and content).
    func accepts(_ file: SourceFile) -> Bool
    /// The file's records in order; a malformed record becomes a `.rejected` event and reading goes on.
    func read(_ file: SourceFile) -> AnyIterator<ReaderEvent>
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
