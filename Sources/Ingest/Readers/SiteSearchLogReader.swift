import Foundation

/// Site-search logs (CSV/TSV with a header, or JSON lines). Only searches with zero results (or at most
/// `threshold`) become feedback; the query is redacted, then normalised, and a query repeated in one
/// session counts once.
public struct SiteSearchLogReader: FeedbackReader {
    public let channel = Channel.search
    public var pseudonymizer: CustomerPseudonymizer
    /// A search with at most this many results counts as failed.
    public var threshold: Int
    public var limits: IngestLimits
    /// Applied before a query is normalised: normalising takes out the '@' and the dots of an address and
    /// lowercases an IBAN, after which no rule recognises them ("JANE.DOE@EXAMPLE.COM" was stored as "jane
    /// doe example com" until the sixteenth session). The ingest redacts the stored text again, as every
    /// channel's; a second pass changes nothing.
    public var redactor: Redactor

    public init(
        pseudonymizer: CustomerPseudonymizer = CustomerPseudonymizer(), threshold: Int = 0, limits: IngestLimits = IngestLimits(),
        redactor: Redactor = Redactor(), dateOrder: DateParsing.Order? = nil, zone: LocalZone = .utc
    ) {
        self.pseudonymizer = pseudonymizer
        self.threshold = threshold
        self.limits = limits
        self.redactor = redactor
        self.dateOrder = dateOrder
        self.zone = zone
    }

    /// Where a time without a zone was written, and the zone of a file name's week or date (`timezone`).
    public var zone: LocalZone

    /// How slash dates that could be read either way are read (`search.date_order`); nil: as each file's
    /// time column shows, month first when it shows nothing.
    public var dateOrder: DateParsing.Order?

    public func accepts(_ file: SourceFile) -> Bool {
        // The header is the first line that is not a comment: analytics exports (Google Analytics' "Search
        // Terms") open with `# ...` lines naming the property and the date range.
        let firstLine = file.head.lowercasedOnBytes().split(separator: "\n").first { line in
            !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && !line.hasPrefix("#")
        } ?? ""
        // Algolia's analytics name the query "search" (and its results "nbHits"): a header cell of its own.
        let cells = firstLine.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == ";" }).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \r")) }
        return firstLine.contains("query") || firstLine.contains("search_term") || firstLine.contains("search term")
            || firstLine.contains("\"q\"") || cells.contains("search") || firstLine.contains("\"search\":")
    }

    struct Columns {
        var query: Int, time: Int?, results: Int?, session: Int?, customer: Int?, converted: Int?
        /// Set in pre-aggregated "search terms" tables: how many searches the row stands for.
        var count: Int? = nil
        /// How slash dates that could be read either way are read: as the file's own dates show.
        var dateOrder = DateParsing.Order.monthFirst
    }

    public func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
        let isJSON = file.fileExtension == "jsonl" || file.fileExtension == "ndjson" || file.head.hasPrefix("{")
        var seen = Set<String>()
        if isJSON {
            var lines = LineSplitter(data: file.data)
            return AnyIterator {
                while let (bytes, number) = lines.next() {
                    if bytes.isEmpty { continue }
                    let position = SourceRef(file: file.path, position: "line \(number)")
                    guard let object = JSONReader.parse(bytes) as? [String: Any] else {
                        return .rejected(Rejection(source: position, reason: "not a JSON object", raw: bytes, channel: .search))
                    }
                    let fields = [
                        ChatJSON.string(object["query"] ?? object["q"] ?? object["search_term"] ?? object["search"]) ?? "",
                        ChatJSON.string(object["time"] ?? object["timestamp"]) ?? "",
                        ChatJSON.string(object["results"] ?? object["result_count"] ?? object["nbHits"]) ?? "",
                        ChatJSON.string(object["session_id"] ?? object["session"]) ?? "",
                        ChatJSON.string(object["customer_id"]) ?? "",
                        ChatJSON.string(object["converted"]).map { $0 == "1" ? "true" : $0 } ?? "",
                    ]
                    if let event = event(fields, Columns(query: 0, time: 1, results: 2, session: 3, customer: 4, converted: 5),
                                         position: position, raw: bytes, seen: &seen) {
                        return event
                    }
                }
                return nil
            }
        }
        var parser = CSVParser(file.data, maxFieldBytes: limits.maxCSVFieldBytes)
        var columns: Columns?
        var headerCount = 0
        var noQueryColumn: String?
        // A table row stands for `count` searches, yielded one at a time so a huge count stays lazy.
        var row: (search: AggregatedSearch, position: SourceRef, next: Int)?
        let fileWeek = DateParsing.dateInFileName(file.path, zone: zone)
        return AnyIterator {
            while true {
                if let current = row, current.next < current.search.count {
                    row!.next += 1
                    return .feedback(Feedback(
                        channel: .search, source: current.position,
                        externalID: "agg:\(current.search.day):\(current.search.query)#\(current.next + 1)",
                        timestamp: current.search.time, text: current.search.query, role: .customer))
                }
                row = nil
                guard let record = parser.next() else { return nil }
                let line = record.line
                var position: SourceRef { SourceRef(file: file.path, position: "line \(line)") }
                if let missing = noQueryColumn {
                    return .rejected(Rejection(source: position, reason: missing, raw: record.raw, channel: .search))
                }
                guard let known = columns else {
                    // Comment and blank lines before the header (analytics exports) are not records.
                    if record.fields.allSatisfy(\.isEmpty) || record.fields.first?.hasPrefix("#") == true { continue }
                    let find = CSVHeader(record.fields).index
                    guard let query = find("query", "search_term", "search term", "q", "keyword", "search") else {
                        // Without a query column no line can be read: each one goes to quarantine, the header too.
                        noQueryColumn = "no query column in the header (query, search_term, search term, q, keyword or search): "
                            + Rejection.excerpt(record.fields.joined(separator: ","), limit: 80)
                        return .rejected(Rejection(source: position, reason: noQueryColumn!, raw: record.raw, channel: .search))
                    }
                    headerCount = record.fields.count
                    columns = Columns(
                        query: query, time: find("time", "timestamp", "date", "searched_at"),
                        results: find("results", "result_count", "results_count", "hits", "num_results", "nbhits", "results pageviews / search"),
                        session: find("session_id", "session", "visit_id"), customer: find("customer_id", "user_id", "customer"),
                        converted: find("converted", "conversion", "ordered"),
                        count: find("count", "searches", "total_searches", "total searches", "unique_searches", "total unique searches",
                                    "search_count", "volume"))
                    // The time column's own dates tell how 05/11/2026 reads (as in survey exports).
                    if let time = columns?.time { columns?.dateOrder = dateOrder ?? parser.dateOrder(ofColumn: time) ?? .monthFirst }
                    continue
                }
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                if let defect = record.defect {
                    return .rejected(Rejection(source: position, reason: defect, raw: record.raw, channel: .search))
                }
                guard record.fields.count == headerCount else {
                    return .rejected(Rejection(
                        source: position, reason: "expected \(headerCount) fields, found \(record.fields.count)", raw: record.raw,
                        channel: .search))
                }
                if known.count != nil {
                    switch aggregated(record.fields, known, week: fileWeek) {
                    case .failure(let failure):
                        return .rejected(Rejection(source: position, reason: failure.message, raw: record.raw, channel: .search))
                    case .success(let search):
                        row = search.map { ($0, position, 0) }
                        continue
                    }
                }
                if let event = event(record.fields, known, position: position, raw: record.raw, seen: &seen) { return event }
            }
        }
    }

    struct AggregatedSearch {
        var query: String, time: Date, count: Int
        /// `2026-11-16`, part of every id the row yields: computed once, not per search.
        var day: Substring

        init(query: String, time: Date, count: Int) {
            self.query = query
            self.time = time
            self.count = count
            day = DateParsing.isoString(time).prefix(10)
        }
    }

    /// One row of a pre-aggregated table (query, count, results): `count` failed searches, dated by the
    /// row's date column or else by an ISO week or date in the file name (`2026-W47-search-terms.csv`).
    /// Each search gets a stable id (day, query and ordinal), so re-reading the table adds nothing.
    /// Nil when the row's searches found results.
    func aggregated(_ f: [String], _ c: Columns, week: Date?) -> Result<AggregatedSearch?, ReadFailure> {
        let query = Self.normalize(redactor.redact(f[c.query]))
        guard !query.isEmpty else { return .failure(ReadFailure(message: "empty query")) }
        guard let countColumn = c.count, let count = Int(f[countColumn].filter { $0 != "," && $0 != " " }), count >= 0 else {
            return .failure(ReadFailure(message: "search count \(Rejection.excerpt(c.count.map { f[$0] } ?? "", limit: 20)) is not a number"))
        }
        guard count <= limits.maxSearchesPerRow else {
            return .failure(ReadFailure(message: "search count \(count) is over limits.max_searches_per_row (\(limits.maxSearchesPerRow))"))
        }
        if let r = c.results {
            // Averages such as "Results Pageviews / Search" are decimals; zero means no results.
            guard let value = Double(f[r].trimmingSpaces()), value >= 0 else {
                return .failure(ReadFailure(message: "result count \(Rejection.excerpt(f[r], limit: 20)) is not a number"))
            }
            guard value <= Double(threshold) else { return .success(nil) }
        }
        if let t = c.time {
            guard let time = DateParsing.parse(f[t], order: c.dateOrder, zone: zone) else { return .failure(ReadFailure(message: "unparseable time \(Rejection.excerpt(f[t]))")) }
            return .success(AggregatedSearch(query: query, time: time, count: count))
        }
        guard let week else {
            return .failure(ReadFailure(message: "a search-terms table needs a date column or a week or date in its file name (e.g. 2026-W47-search-terms.csv)"))
        }
        return .success(AggregatedSearch(query: query, time: week, count: count))
    }

    /// `position` and `raw` are made only for a search that becomes feedback or a rejection: most lines of
    /// a log found results and are passed over.
    func event(
        _ f: [String], _ c: Columns, position: @autoclosure () -> SourceRef, raw: @autoclosure () -> [UInt8], seen: inout Set<String>
    ) -> ReaderEvent? {
        func reject(_ reason: String) -> ReaderEvent { .rejected(Rejection(source: position(), reason: reason, raw: raw(), channel: .search)) }
        guard !Self.normalizesToNothing(f[c.query]) else { return reject("empty query") }
        var results = 0
        if let r = c.results {
            guard let value = Int(f[r].trimmingSpaces()), value >= 0 else {
                return reject("result count \(Rejection.excerpt(f[r], limit: 20)) is not a number")
            }
            results = value
        }
        guard results <= threshold else { return nil }
        let query = Self.normalize(redactor.redact(f[c.query]))
        let position = position()
        guard let t = c.time, let time = DateParsing.parse(f[t], order: c.dateOrder, zone: zone) else {
            return reject("unparseable time \(Rejection.excerpt(c.time.map { f[$0] } ?? ""))")
        }
        let session = c.session.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        let key = (session ?? "line:\(position.position)") + "\u{1F}" + query
        guard seen.insert(key).inserted else { return nil }
        let converted = c.converted.map { ["1", "true", "yes", "y"].contains(f[$0].lowercasedOnBytes()) }
        return .feedback(Feedback(
            channel: .search, source: position, externalID: session.map { "\($0)#\(query)" } ?? "sha:" + Digest.hex(Digest.sha256(raw()), bytes: 10),
            timestamp: time, text: query, customer: c.customer.flatMap { pseudonymizer.reference(for: f[$0]) }, role: .customer,
            conversation: session, outcome: converted == true ? .resolved : nil))
    }

    /// Lowercase, punctuation to spaces, white space collapsed; the redactor's placeholders ("[EMAIL]")
    /// are kept as they are, each a word.
    public static func normalize(_ query: String) -> String {
        var first: (range: Range<String.Index>, placeholder: String)?
        if query.containsByte(0x5B) {
            for placeholder in Redactor.placeholders {
                if let range = query.firstRange(ofBytes: placeholder), range.lowerBound < first?.range.lowerBound ?? query.endIndex {
                    first = (range, placeholder)
                }
            }
        }
        guard let first else { return normalizeText(query) }
        let words = [normalizeText(String(query[..<first.range.lowerBound])), first.placeholder, normalize(String(query[first.range.upperBound...]))]
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `normalize` for text without placeholders.
    static func normalizeText(_ query: String) -> String {
        // ASCII (most queries): the same rule on bytes, without a Character per letter.
        var out: [UInt8] = []
        out.reserveCapacity(query.utf8.count)
        var space = false
        for byte in query.utf8 {
            if byte >= 0x80 { return normalizeCharacters(query) }
            let b = byte.asciiLowercased
            if keeps(b) {
                if space, !out.isEmpty { out.append(0x20) }
                space = false
                out.append(b)
            } else {
                space = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `normalize` would leave nothing (no letter, digit, `-` or `'`), without building the text.
    static func normalizesToNothing(_ query: String) -> Bool {
        for byte in query.utf8 {
            if byte >= 0x80 { return normalizeCharacters(query).isEmpty }
            if keeps(byte.asciiLowercased) { return false }
        }
        return true
    }

    /// The ASCII bytes a normalised query keeps (lowercase letters, digits, `-` and `'`).
    @inline(__always) static func keeps(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x27 }

    /// The rule for any text: lowercased letters and digits, `-` and `'`; anything else separates words.
    static func normalizeCharacters(_ query: String) -> String {
        var out = ""
        var space = false
        for character in query.lowercasedOnBytes() {
            if character.isLetter || character.isNumber || character == "-" || character == "'" {
                if space, !out.isEmpty { out.append(" ") }
                space = false
                out.append(character)
            } else {
                space = true
            }
        }
        return out
    }
}
