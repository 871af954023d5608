import AsyncAlgorithms
import Foundation
import Impact
import Ingest
import Sentiment
import Store
import Testing
@testable import voc

@Suite struct PipelineTests {
    static let lexicons = VOCBinary.packageRoot.appendingPathComponent("lexicons").path

    @Test func perMessageWorkKeepsInputOrderAcrossChunks() async throws {
        let pipeline = try Pipeline.standard(lexicons: Self.lexicons, parameters: .init())
        let texts = (0..<3_000).map { i in (i % 3 == 0 ? "terrible delay number \(i)" : "lovely service number \(i)", true) }
        let analysed = await WeekAnalyzer.analyseAll(texts, pipeline: pipeline)
        #expect(analysed.count == texts.count)
        for (i, a) in analysed.enumerated() { #expect((a.score.compound < 0) == (i % 3 == 0)) }
    }

    /// The reader never runs more than one batch ahead of the database writer.
    @Test func ingestionHasBackpressure() async throws {
        struct CountingReader: FeedbackReader {
            let channel = Channel.chat
            var zone = LocalZone.utc
            let produced: Counter
            func accepts(_ file: SourceFile) -> Bool { true }
            func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
                var n = 0
                return AnyIterator {
                    guard n < 10_000 else { return nil }
                    n += 1
                    produced.increment()
                    return .feedback(Feedback(channel: .chat, source: SourceRef(file: "x", position: "\(n)"), externalID: "\(n)",
                                              timestamp: Date(timeIntervalSince1970: 1_795_000_000), text: "t"))
                }
            }
        }
        let produced = Counter()
        let channel = AsyncChannel<Batch>()
        let reader = CountingReader(produced: produced)
        let path = NSTemporaryDirectory() + "voc-backpressure-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        let producer = Task {
            await Ingestion.produce(
                path: path, reader: reader, redactor: Redactor(), limits: IngestLimits(), batchSize: 100, batchBytes: 1 << 30, into: channel)
            channel.finish()
        }
        var consumed = 0
        for await batch in channel {
            consumed += batch.read
            try await Task.sleep(nanoseconds: 1_000_000)
            // At most the batch being consumed, the one waiting in send(), and the one being built.
            #expect(produced.value <= consumed + 2 * 100 + 1)
        }
        await producer.value
        #expect(consumed == 10_000)
    }

    /// A batch also ends at its byte budget (checked after each record, so it holds at most one record
    /// more than fits), so large messages never pile up a batch's worth of records.
    @Test func batchesEndAtTheirByteBudget() async throws {
        struct LargeMessages: FeedbackReader {
            let channel = Channel.email
            var zone = LocalZone.utc
            func accepts(_ file: SourceFile) -> Bool { true }
            func read(_ file: SourceFile) -> AnyIterator<ReaderEvent> {
                var n = 0
                return AnyIterator {
                    guard n < 40 else { return nil }
                    n += 1
                    return .feedback(Feedback(channel: .email, source: SourceRef(file: "x", position: "\(n)"), externalID: "\(n)",
                                              timestamp: Date(timeIntervalSince1970: 1_795_000_000), text: String(repeating: "late", count: 1 << 16)))
                }
            }
        }
        let channel = AsyncChannel<Batch>()
        let path = NSTemporaryDirectory() + "voc-batch-bytes-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        let producer = Task {
            await Ingestion.produce(
                path: path, reader: LargeMessages(), redactor: Redactor(), limits: IngestLimits(), batchSize: 25_000, batchBytes: 1 << 20,
                into: channel)
            channel.finish()
        }
        var sizes: [Int] = []
        for await batch in channel { sizes.append(batch.rows.count) }
        await producer.value
        #expect(sizes.reduce(0, +) == 40)
        #expect(sizes.dropLast().allSatisfy { $0 == 4 }, "256 KiB messages, 1 MiB budget: \(sizes)")
    }

    /// A batch is stored in id order, and copies of one record (same id) keep their file order, so the first
    /// copy is the one stored.
    @Test func batchesAreStoredInIDOrderKeepingFileOrderAmongCopies() {
        func message(_ external: String, _ position: Int) -> Feedback {
            Feedback(channel: .chat, source: SourceRef(file: "f", position: "\(position)"), externalID: external,
                     timestamp: Date(timeIntervalSince1970: 1_795_000_000), text: "t")
        }
        let unordered = (0..<500).map { message("m\($0 % 180)", $0) }
        let batch = Ingestion.idOrder(unordered).map { unordered[$0] }
        #expect(batch.count == 500)
        #expect(zip(batch, batch.dropFirst()).allSatisfy { $0.id <= $1.id })
        #expect(Set(batch.map(\.source.position)).count == 500)
        for (a, b) in zip(batch, batch.dropFirst()) where a.id == b.id {
            #expect(Int(a.source.position)! < Int(b.source.position)!)
        }
    }

    @Test func cancellationStopsTheAnalysis() async throws {
        let pipeline = try Pipeline.standard(lexicons: Self.lexicons, parameters: .init())
        let texts = Array(repeating: ("a long day of waiting for nothing at all", true), count: 200_000)
        let task = Task { await WeekAnalyzer.analyseAll(texts, pipeline: pipeline) }
        task.cancel()
        _ = await task.value  // returns (possibly partial) instead of hanging
        #expect(task.isCancelled)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }

    /// Department and theme names become file names: nothing can climb out of the output folder.
    @Test(arguments: ["../../etc/passwd", "/abs/path", "..", "a/../../b", "Billing & Payments", "\u{202E}exe.txt"])
    func fileNamesCannotTraversePaths(_ name: String) {
        let safe = FileName.safe(name)
        #expect(!safe.contains("/") && !safe.contains("..") && !safe.isEmpty)
        #expect(safe.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }
}
