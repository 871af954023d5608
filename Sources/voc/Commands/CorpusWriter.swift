import Foundation
import Ingest

/// Thin wrapper so the command stays a few lines.
enum SampleCorpusWriter {
    static func write(messages: Int, weeks: Int, seed: UInt64, out: String) throws -> String {
        let corpus = SampleCorpus(messages: messages, weeks: weeks, seed: seed)
        let summary = try corpus.write(to: out)
        let channels = summary.perChannel.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        return "wrote \(summary.messages) messages over \(weeks) weeks to \(out) (\(channels)); \(summary.malformed) malformed on purpose, \(summary.setAside) auto-replies, \(summary.silentRespondents) survey respondents without a comment; truth in \(out)/.truth/"
    }
}
