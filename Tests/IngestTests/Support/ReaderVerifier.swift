import Foundation
import Ingest
import Testing

/// The one reusable check every reader passes, after NIO's ByteToMessageDecoderVerifier: the same records
/// whether a file is read alone or concatenated with another, and every hostile input ends as stored
/// or rejected — never a crash, a hang or a silent drop.
enum ReaderVerifier {
    static func events(_ reader: some FeedbackReader, _ text: String, path: String) -> [ReaderEvent] {
        reader.readAll(SourceFile(path: path, data: Data(text.utf8)))
    }

    static func events(_ reader: some FeedbackReader, bytes: [UInt8], path: String) -> [ReaderEvent] {
        reader.readAll(SourceFile(path: path, data: Data(bytes)))
    }

    static func feedback(_ events: [ReaderEvent]) -> [Feedback] {
        events.compactMap { if case .feedback(let f) = $0 { f } else { nil } }
    }

    static func rejections(_ events: [ReaderEvent]) -> [Rejection] {
        events.compactMap { if case .rejected(let r) = $0 { r } else { nil } }
    }

    /// Reading `a` then `b` gives the same natural ids as reading their concatenation.
    static func checkConcatenation(_ reader: some FeedbackReader, _ a: String, _ b: String, joined: String, path: String) {
        let separate = feedback(events(reader, a, path: path)) + feedback(events(reader, b, path: path))
        let together = feedback(events(reader, joined, path: path))
        #expect(separate.map(\.externalID) == together.map(\.externalID))
        #expect(separate.map(\.text) == together.map(\.text))
    }

    /// The same events whether a streaming reader (one that reads `SourceFile.pieces()`) gets the input
    /// whole or in pieces of 1 byte, so every piece boundary falls inside a line, a header and a separator.
    static func checkPieces(_ reader: some FeedbackReader, _ text: String, path: String) {
        var file = SourceFile(path: path, data: Data(text.utf8))
        let whole = reader.readAll(file)
        file.pieceSize = 1
        let pieces = reader.readAll(file)
        #expect(!whole.isEmpty)
        #expect(summary(whole) == summary(pieces))
    }

    /// What a check compares: each record's id, text and raw bytes, or the rejection's message and bytes.
    static func summary(_ events: [ReaderEvent]) -> [String] {
        events.map {
            switch $0 {
            case .feedback(let f): "\(f.source) \(f.externalID) \(f.text) \(f.raw ?? "-")"
            case .rejected(let r): "\(r.description) \(r.raw)"
            }
        }
    }

    /// Hostile inputs (from docs/threat-model.md): each must finish, and every record must be accounted for.
    static let hostile: [(String, [UInt8])] = {
        var list: [(String, [UInt8])] = [
            ("empty", []),
            ("BOM only", [0xEF, 0xBB, 0xBF]),
            ("NUL bytes", Array("a\u{0}b\u{0}\n\u{0}".utf8)),
            ("bare CR", Array("header\rline one\rline two\r".utf8)),
            ("invalid UTF-8", [0x66, 0xFF, 0xFE, 0xC3, 0x28, 0x0A, 0xE2, 0x82]),
            ("UTF-16 surrogate bytes", [0xED, 0xA0, 0x80, 0x0A]),
            ("RTL and bidi", Array("\u{202E}gnp.exe\u{202C} مرحبا\n".utf8)),
            ("ZWJ emoji", Array("👩‍👩‍👧‍👦👍🏽🇬🇧\n".utf8)),
            ("1 MB line", Array(String(repeating: "x", count: 1 << 20).utf8)),
            ("unclosed quote", Array("a,b\n\"never closed,\n".utf8)),
        ]
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for level in 1...9 { laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">" }
        laughs += "]><rss><channel><item><title>&lol9;</title><pubDate>2026-11-20</pubDate></item></channel></rss>"
        list.append(("billion laughs", Array(laughs.utf8)))
        list.append(("external entity", Array("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss><channel><item><title>&x;</title></item></channel></rss>".utf8)))
        list.append(("deep nesting", Array((String(repeating: "<div>", count: 100_000) + "x").utf8)))
        list.append(("JSON nesting", Array((String(repeating: "[", count: 100_000) + "\n").utf8)))
        return list
    }()

    static func checkHostile(_ reader: some FeedbackReader, path: String) {
        for (name, bytes) in hostile {
            let result = events(reader, bytes: bytes, path: path)
            for event in result {
                if case .feedback(let f) = event { #expect(!f.text.contains("root:x:0:0"), "\(name) leaked a local file") }
                if case .rejected(let r) = event { #expect(!r.reason.isEmpty, "\(name): a rejection needs a reason") }
            }
        }
    }
}
