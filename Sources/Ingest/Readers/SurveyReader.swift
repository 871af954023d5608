import Foundation

/// Which column means what in a survey export; detected from the headers, or given in configuration.
public struct SurveyColumns: Sendable, Hashable {
    public var id: Int?
    public var time: Int?
    public var customer: Int?
    public var nps: Int?
    public var csat: Int?
    public var rating: Int?
    public var value: Int?
    public var texts: [Int] = []

    public init() {}

    /// Guesses roles from header names (and, for Qualtrics and SurveyMonkey, the question text row).
    static func detect(_ headers: [String]) -> SurveyColumns {
        var columns = SurveyColumns()
        for (i, rawHeader) in headers.enumerated() {
            let h = rawHeader.lowercasedOnBytes()
            func has(_ words: String...) -> Bool { words.contains { h.contains($0) } }
            if columns.id == nil, has("responseid", "response id", "respondent id", "respondent_id", "response_id", "ticket id", "ticket_id")
                || h == "id"
            {
                columns.id = i
            } else if columns.time == nil, has("recordeddate", "enddate", "end date", "submitted", "timestamp", "created_at", "created at", "completed", "date")
            {
                columns.time = i
            } else if columns.customer == nil, has("email", "customer_id", "customer id", "externalreference", "external reference", "customer")
            {
                columns.customer = i
            } else if columns.nps == nil, has("nps", "recommend") {
                columns.nps = i
            } else if columns.csat == nil, has("csat", "satisf") {
                columns.csat = i
            } else if columns.rating == nil, has("rating", "stars") {
                columns.rating = i
            } else if columns.value == nil, has("customer_value", "annual value", "ltv", "lifetime value") {
                columns.value = i
            } else if has("comment", "feedback", "why", "_text", "open-ended", "verbatim", "reason", "suggest", "improve", "anything else", "tell us", "text") {
                columns.texts.append(i)
            }
        }
        return columns
    }
}

/// Column roles by header name, from configuration (`surveys.columns` in `voc.yaml`); roles it leaves
/// out are still detected. A name matches a header cell, or the question text below it, ignoring case.
public struct SurveyColumnMapping: Sendable, Hashable {
    public var id: String?
    public var time: String?
    public var customer: String?
    public var nps: String?
    public var csat: String?
    public var rating: String?
    public var value: String?
    public var texts: [String] = []

    public init() {}

    /// Every header name the mapping refers to.
    var names: [String] { [id, time, customer, nps, csat, rating, value].compactMap { $0 } + texts }

    /// Applies the mapping over detected columns; the names it could not find, for a clear rejection.
    func apply(to detected: SurveyColumns, headers: [String], combined: [String]) -> (SurveyColumns, missing: [String]) {
        var columns = detected
        var missing: [String] = []
        func index(_ name: String) -> Int? {
            let wanted = name.lowercasedOnBytes().trimmingSpaces()
            return headers.firstIndex { $0.lowercasedOnBytes().trimmingSpaces() == wanted }
                ?? combined.firstIndex { $0.lowercasedOnBytes().contains(wanted) }
        }
        func resolve(_ name: String?, _ role: WritableKeyPath<SurveyColumns, Int?>) {
            guard let name else { return }
            if let i = index(name) { columns[keyPath: role] = i } else { missing.append(name) }
        }
        resolve(id, \.id)
        resolve(time, \.time)
        resolve(customer, \.customer)
        resolve(nps, \.nps)
        resolve(csat, \.csat)
        resolve(rating, \.rating)
        resolve(value, \.value)
        if !texts.isEmpty {
            columns.texts = texts.compactMap { name in
                let i = index(name)
                if i == nil { missing.append(name) }
                return i
            }
        }
        // With detected text columns, a column given a role by name is not also read as free text.
        if texts.isEmpty {
            let roles = Set([columns.id, columns.time, columns.customer, columns.nps, columns.csat, columns.rating, columns.value].compactMap { $0 })
            columns.texts.removeAll(where: roles.contains)
        }
        return (columns, missing)
    }
}

/// Survey exports as CSV: Qualtrics (3 header rows), SurveyMonkey (2 header rows) or one header row; and
/// SurveyMonkey's API JSON (`SurveyMonkeyResponses`).
/// Every free-text column of a response becomes its own feedback linked to the respondent; a respondent
/// with no comment is kept (set aside as "no free text") so NPS and prevalence still count them.
public struct SurveyReader: FeedbackReader {
    public let channel = Channel.survey
    public var columns: SurveyColumns?
    public var mapping: SurveyColumnMapping?
    /// How slash dates that could be read either way are read (`surveys.date_order`); nil: as the file's
    /// own dates show (a day over 12 in the first number), month first when none shows.
    public var dateOrder: DateParsing.Order?
    /// Where a date without a zone was written (`timezone`).
    public var zone: LocalZone
    public var pseudonymizer: CustomerPseudonymizer
    public var limits: IngestLimits

    public init(
        columns: SurveyColumns? = nil, mapping: SurveyColumnMapping? = nil, pseudonymizer: CustomerPseudonymizer = CustomerPseudonymizer(),
        limits: IngestLimits = IngestLimits(), dateOrder: DateParsing.Order? = nil, zone: LocalZone = .utc
    ) {
        self.columns = columns
        self.mapping = mapping
        self.dateOrder = dateOrder
        self.zone = zone
        self.pseudonymizer = pseudonymizer
        self.limits = limits
    }

    public func accepts(_ file: SourceFile) -> Bool {
        if file.fileExtension == "json" { return SurveyMonkeyResponses.accepts(file.head) }
        guard ["csv", "tsv", "txt"].contains(file.fileExtension) else { return false }
        let head = file.head.lowercasedOnBytes()
        let firstLine = head.prefix { $0 != "\n" }
        if let mapping, !mapping.names.isEmpty, mapping.names.allSatisfy({ firstLine.contains($0.lowercasedOnBytes()) }) { return true }
        return !firstLine.contains("query") && !firstLine.contains("in_reply_to") && !firstLine.contains("in_response_to")
            && (head.contains("nps") || head.contains("response") || head.contains("recommend") || head.contains("comment")
                || head.contains("satisf") || head.contains("respondent"))
    }

    public func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
        if file.fileExtension == "json" {
            return AnyIterator(SurveyMonkeyResponses.events(file, pseudonymizer: pseudonymizer, zone: zone).makeIterator())
        }
        var parser = CSVParser(file.data, maxFieldBytes: limits.maxCSVFieldBytes)
        var headers: [String] = []
        var columns = self.columns
        var started = false
        var unreadable: String?
        var pending: [ReaderEvent] = []
        var recordIndex = 0
        var order = dateOrder ?? .monthFirst
        return AnyIterator {
            while true {
                if !pending.isEmpty { return pending.removeFirst() }
                if !started {
                    started = true
                    guard let first = parser.next() else { return nil }
                    headers = first.fields
                    // Qualtrics: row 2 holds the question texts, row 3 the ImportId JSON. SurveyMonkey: row 2
                    // holds sub-headers ("Response", "Open-Ended Response"). Question texts carry the meaning.
                    var combined = headers
                    var peek = parser
                    if let second = peek.next() {
                        let isMonkey = second.fields.contains { $0 == "Response" || $0 == "Open-Ended Response" }
                        var third = peek
                        let isQualtrics = third.next()?.fields.contains { $0.contains("ImportId") } == true
                        if isQualtrics || isMonkey {
                            combined = zip(headers, second.fields + Array(repeating: "", count: max(0, headers.count - second.fields.count)))
                                .map { $0 + " " + $1 }
                            parser = isQualtrics ? third : peek
                        }
                    }
                    if columns == nil { columns = SurveyColumns.detect(combined) }
                    if let mapping {
                        let (mapped, missing) = mapping.apply(to: columns!, headers: headers, combined: combined)
                        guard missing.isEmpty else {
                            // Every line goes to quarantine with the reason, so the file is accounted for.
                            let names = missing.map { Rejection.excerpt($0) }.joined(separator: ", ")
                            unreadable = "column(s) \(names) from surveys.columns in the configuration are not in the header; nothing read"
                            return .rejected(Rejection(
                                source: SourceRef(file: file.path, position: "line \(first.line)"), reason: unreadable!,
                                raw: first.raw, channel: .survey))
                        }
                        columns = mapped
                    }
                    // Read ahead on a copy for what the file's own dates say of their order: one response
                    // dated 16/11 makes 05/11 in the same file the 5th of November, not the 11th of May.
                    if dateOrder == nil, let time = columns?.time { order = parser.dateOrder(ofColumn: time) ?? .monthFirst }
                    continue
                }
                guard let record = parser.next() else { return nil }
                if let unreadable {
                    return .rejected(Rejection(
                        source: SourceRef(file: file.path, position: "line \(record.line)"), reason: unreadable, raw: record.raw, channel: .survey))
                }
                recordIndex += 1
                if record.fields.count == 1, record.fields[0].isEmpty { continue }
                pending = events(for: record, headers: headers, columns: columns!, file: file, order: order)
            }
        }
    }

    func events(for record: CSVRecord, headers: [String], columns: SurveyColumns, file: SourceFile, order: DateParsing.Order = .monthFirst) -> [ReaderEvent] {
        let position = SourceRef(file: file.path, position: "line \(record.line)")
        func reject(_ reason: String) -> [ReaderEvent] {
            [.rejected(Rejection(source: position, reason: reason, raw: record.raw, channel: .survey))]
        }
        if let defect = record.defect { return reject(defect) }
        guard record.fields.count == headers.count else {
            return reject("expected \(headers.count) fields, found \(record.fields.count)")
        }
        let f = record.fields
        let responseID = columns.id.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            ?? Digest.hex(Digest.sha256(record.raw), bytes: 8)
        guard let timeColumn = columns.time else {
            return reject("no date column in the header (a name with date, timestamp, submitted, created or completed; or surveys.columns.time)")
        }
        guard let timestamp = DateParsing.parse(f[timeColumn], order: order, zone: zone) else { return reject("unparseable date \(Rejection.excerpt(f[timeColumn]))") }
        var scores = Scores()
        if let c = columns.nps, !f[c].isEmpty {
            guard let nps = leadingInteger(f[c]), (0...10).contains(nps) else {
                return reject("NPS value \(Rejection.excerpt(f[c], limit: 20)) is not 0-10")
            }
            scores.nps = nps
        }
        if let c = columns.csat, !f[c].isEmpty, case let label = f[c].lowercasedOnBytes().trimmingSpaces(), !Self.unrated.contains(label) {
            guard let csat = leadingInteger(f[c]) ?? Self.csatLabels[label], (1...5).contains(csat) else {
                return reject("CSAT value \(Rejection.excerpt(f[c], limit: 20)) is not 1-5")
            }
            scores.csat = csat
        }
        if let c = columns.rating, !f[c].isEmpty {
            // "4,5": a decimal comma, as Excel writes it where the list separator is ';'.
            let value = f[c].trimmingCharactersInWhitespace()
            let decimal = value.utf8.count(where: { $0 == 0x2C }) == 1 ? value.replacingOccurrences(of: ",", with: ".") : value
            guard let rating = Double(decimal), (0...5).contains(rating) else {
                return reject("rating \(Rejection.excerpt(f[c], limit: 20)) is not 0-5")
            }
            scores.rating = rating
        }
        let customer = columns.customer.flatMap { pseudonymizer.reference(for: f[$0]) }
        let value = columns.value.flatMap { Double(f[$0]) }
        var out: [ReaderEvent] = []
        for c in columns.texts {
            let text = f[c].trimmingCharactersInWhitespace()
            guard !text.isEmpty else { continue }
            out.append(.feedback(Feedback(
                channel: .survey, source: position, externalID: "\(responseID)#\(headers[c])", timestamp: timestamp,
                text: text, customer: customer, scores: scores, customerValue: value, role: .customer,
                conversation: responseID)))
        }
        if out.isEmpty {
            out.append(.feedback(Feedback(
                channel: .survey, source: position, externalID: responseID, timestamp: timestamp, text: "",
                customer: customer, scores: scores, customerValue: value, role: .customer, setAside: "no free text",
                conversation: responseID)))
        }
        return out
    }

    /// CSAT given as words: the five-point labels survey tools export, and Zendesk's good/bad rating
    /// (satisfied or not: the top and bottom of the scale).
    static let csatLabels: [String: Int] = [
        "very satisfied": 5, "satisfied": 4, "neutral": 3, "neither satisfied nor dissatisfied": 3, "dissatisfied": 2,
        "unsatisfied": 2, "very dissatisfied": 1, "very unsatisfied": 1, "good": 5, "bad": 1,
    ]
    /// Zendesk's states of a survey that was sent but not answered: no score, not an error.
    static let unrated: Set<String> = ["offered", "unoffered", "not offered"]

    /// "9", "10 - Extremely likely", "0 = Not at all likely".
    func leadingInteger(_ text: String) -> Int? {
        // On bytes while they are ASCII: by Characters, two scores took a tenth of a survey record's reading.
        var value = 0, digits = 0, started = false
        for byte in text.utf8 {
            if byte >= 0x80 { return leadingIntegerOfScalars(text) }
            if !started, byte == 0x20 || (0x09...0x0D).contains(byte) { continue }
            started = true
            guard byte &- 0x30 < 10 else { break }
            value = value &* 10 &+ Int(byte &- 0x30)
            digits += 1
            if digits > 3 { return nil }
        }
        return digits == 0 ? nil : value
    }

    private func leadingIntegerOfScalars(_ text: String) -> Int? {
        let digits = text.trimmingCharactersInWhitespace().prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty || digits.count > 3 ? nil : Int(digits)
    }
}
