import Foundation
import Impact
import Ingest
import Yams

/// `voc.yaml`: impact parameters at the top level (docs/cost-model.md) and the input limits under
/// `limits:` (docs/threat-model.md). Unknown keys are refused in both, so a typo never passes silently.
struct Configuration {
    var parameters = ImpactParameters()
    var limits = IngestLimits()
    /// A cap on the store file's size (`limits.max_store_mb`); nil leaves it to the disk.
    var maxStoreBytes: Int?
    /// How to read exports that detection alone gets wrong (`surveys:`, `chat:`, `community:`, `search:`).
    var inputs = InputSettings()
    /// The file it was read from; nil for the defaults (no file found).
    var source: String?

    /// `--config`, else `voc.yaml` in an input folder, else in the working directory, else the defaults.
    static func find(_ config: String?, near inputs: [String] = []) throws -> Configuration {
        if let config { return try load(path: config) }
        for input in inputs {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                let candidate = (input as NSString).appendingPathComponent("voc.yaml")
                if FileManager.default.fileExists(atPath: candidate) {
                    Environment.log("using configuration \(candidate)")
                    return try load(path: candidate)
                }
            }
        }
        if FileManager.default.fileExists(atPath: "voc.yaml") {
            Environment.log("using configuration voc.yaml")
            return try load(path: "voc.yaml")
        }
        return Configuration()
    }

    static func load(path: String) throws -> Configuration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw UsageError("cannot read configuration \(path)") }
        do {
            var configuration = Configuration()
            configuration.source = path
            configuration.parameters = try ImpactConfiguration.apply(yaml: text, to: ImpactParameters())
            if let top = try Yams.load(yaml: text) as? [String: Any] {
                if let limits = top["limits"] { try configuration.applyLimits(limits) }
                try configuration.inputs.apply(top)
            }
            return configuration
        } catch let error as UsageError {
            throw UsageError("\(path): \(error.description)")
        } catch {
            throw UsageError("\(path): \(DecodingErrors.describe(error))")
        }
    }

    /// Every limit key, in bytes unless its name says otherwise.
    static let limitKeys: [String: any WritableKeyPath<IngestLimits, Int> & Sendable] = [
        "max_message_bytes": \.maxMessageBytes, "max_attachment_bytes": \.maxAttachmentBytes,
        "max_markup_bytes": \.maxMarkupBytes, "max_nesting_depth": \.maxNestingDepth,
        "max_csv_field_bytes": \.maxCSVFieldBytes, "max_records_per_file": \.maxRecordsPerFile,
        "max_searches_per_row": \.maxSearchesPerRow,
    ]

    mutating func applyLimits(_ value: Any) throws {
        guard let table = value as? [String: Any] else { throw UsageError("limits: expected a mapping of limit: number") }
        for (key, raw) in table {
            guard let number = raw as? Int, number > 0 else { throw UsageError("limits.\(key): expected a positive whole number") }
            if key == "max_store_mb" {
                maxStoreBytes = number << 20
            } else if let path = Self.limitKeys[key] {
                limits[keyPath: path] = number
            } else {
                let known = (Array(Self.limitKeys.keys) + ["max_store_mb"]).sorted().joined(separator: ", ")
                throw UsageError("unknown limit \(key) (known: \(known))")
            }
        }
    }
}

/// Per-channel reading settings from `voc.yaml` (docs/formats.md, "Configuration").
struct InputSettings {
    var surveyColumns: SurveyColumnMapping?
    /// `surveys.date_order`: how slash dates that could be read either way are read (nil: as each file's
    /// own dates show, month first when none shows).
    var surveyDateOrder: DateParsing.Order?
    /// `chat.date_order`, `community.date_order`, `search.date_order`: the same for plain-text transcripts,
    /// forum pages and search logs.
    var chatDateOrder: DateParsing.Order?
    var communityDateOrder: DateParsing.Order?
    var searchDateOrder: DateParsing.Order?
    var agentNames: Set<String> = []
    var forumSelectors = ForumSelectors()
    /// A search with at most this many results counts as failed.
    var searchThreshold = 0
    /// `timezone`: where the business counts its weeks (nil: not set, the store's, UTC for a new store).
    var zone: LocalZone?

    mutating func apply(_ top: [String: Any]) throws {
        if let value = top["timezone"] {
            guard let zone = LocalZone(identifier: "\(value)") else {
                throw UsageError("timezone: a zone name such as Europe/London or America/New_York, or UTC, not \(Rejection.excerpt("\(value)"))")
            }
            self.zone = zone
        }
        let surveys = try table(top["surveys"], "surveys", keys: ["columns", "date_order"])
        surveyDateOrder = try dateOrder(surveys?["date_order"], "surveys.date_order")
        if let surveys, let columns = surveys["columns"] {
            guard let map = columns as? [String: Any] else { throw UsageError("surveys.columns: expected role: header name") }
            var mapping = SurveyColumnMapping()
            let roles: [String: WritableKeyPath<SurveyColumnMapping, String?>] = [
                "id": \.id, "time": \.time, "customer": \.customer, "nps": \.nps, "csat": \.csat, "rating": \.rating, "value": \.value,
            ]
            for (role, name) in map {
                if role == "text" {
                    mapping.texts = (name as? [Any])?.map { "\($0)" } ?? ["\(name)"]
                } else if let path = roles[role] {
                    mapping[keyPath: path] = "\(name)"
                } else {
                    throw UsageError("surveys.columns.\(role): unknown role (known: \((roles.keys.sorted() + ["text"]).joined(separator: ", ")))")
                }
            }
            surveyColumns = mapping
        }
        if let chat = try table(top["chat"], "chat", keys: ["agent_names", "date_order"]) {
            if chat["agent_names"] != nil {
                agentNames = Set(try strings(chat["agent_names"], "chat.agent_names").map {
                    $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "@ "))
                })
            }
            chatDateOrder = try dateOrder(chat["date_order"], "chat.date_order")
        }
        let community = try table(top["community"], "community", keys: ["selectors", "date_order"])
        communityDateOrder = try dateOrder(community?["date_order"], "community.date_order")
        if let community, let selectors = try table(community["selectors"], "community.selectors", keys: ["post", "body", "author", "time"]) {
            if let v = selectors["post"] { forumSelectors.post = Set(try strings(v, "community.selectors.post")) }
            if let v = selectors["body"] { forumSelectors.body = Set(try strings(v, "community.selectors.body")) }
            if let v = selectors["author"] { forumSelectors.author = Set(try strings(v, "community.selectors.author")) }
            if let v = selectors["time"] { forumSelectors.time = Set(try strings(v, "community.selectors.time")) }
        }
        let search = try table(top["search"], "search", keys: ["failed_at_most", "date_order"])
        searchDateOrder = try dateOrder(search?["date_order"], "search.date_order")
        if let value = search?["failed_at_most"] {
            guard let n = value as? Int, n >= 0 else { throw UsageError("search.failed_at_most: expected a whole number >= 0") }
            searchThreshold = n
        }
    }

    private func dateOrder(_ value: Any?, _ name: String) throws -> DateParsing.Order? {
        guard let value else { return nil }
        guard let order = DateParsing.Order(rawValue: "\(value)") else {
            throw UsageError("\(name): day_first or month_first, not \(Rejection.excerpt("\(value)"))")
        }
        return order
    }

    private func table(_ value: Any?, _ name: String, keys: Set<String>) throws -> [String: Any]? {
        guard let value else { return nil }
        guard let table = value as? [String: Any] else { throw UsageError("\(name): expected a mapping") }
        let unknown = Set(table.keys).subtracting(keys)
        guard unknown.isEmpty else {
            throw UsageError("\(name): unknown key(s) \(unknown.sorted().joined(separator: ", ")) (known: \(keys.sorted().joined(separator: ", ")))")
        }
        return table
    }

    private func strings(_ value: Any?, _ name: String) throws -> [String] {
        if let list = value as? [Any] { return list.map { "\($0)" } }
        if let one = value { return ["\(one)"] }
        throw UsageError("\(name): expected a list of names")
    }
}
