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
        if FileManager.default.fileExists(atPath: "voc.yaml") { return try load(path: "voc.yaml") }
        return Configuration()
    }

    static func load(path: String) throws -> Configuration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw UsageError("cannot read configuration \(path)") }
        do {
            var configuration = Configuration()
            configuration.parameters = try ImpactConfiguration.apply(yaml: text, to: ImpactParameters())
            if let top = try Yams.load(yaml: text) as? [String: Any], let limits = top["limits"] {
                try configuration.applyLimits(limits)
            }
            return configuration
        } catch let error as UsageError {
            throw UsageError("\(path): \(error.description)")
        } catch {
            throw UsageError("\(path): \(error)")
        }
    }

    /// Every limit key, in bytes unless its name says otherwise.
    static let limitKeys: [String: any WritableKeyPath<IngestLimits, Int> & Sendable] = [
        "max_message_bytes": \.maxMessageBytes, "max_attachment_bytes": \.maxAttachmentBytes,
        "max_markup_bytes": \.maxMarkupBytes, "max_nesting_depth": \.maxNestingDepth,
        "max_csv_field_bytes": \.maxCSVFieldBytes, "max_records_per_file": \.maxRecordsPerFile,
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
