import Foundation
public import Ingest
import FuzzDriver

/// The invariants every reader keeps on any input; a broken one aborts, so libFuzzer records a crash.
/// `recordsPerByte` bounds how many records a byte of input may yield: 1 for every reader, more only where
/// a format says a row stands for many records (search-terms tables, bounded by `maxSearchesPerRow`).
public func checkEvents(_ reader: some FeedbackReader, _ file: SourceFile, recordsPerByte: Int = 1) {
    var records = 0
    for event in reader.read(file) {
        records += 1
        switch event {
        case .feedback(let feedback):
            require(feedback.text.utf8.count <= IngestLimits().maxMessageBytes, "text over the message limit")
            require(!feedback.externalID.isEmpty, "feedback without a natural id at \(feedback.source)")
            require(feedback.source.file == file.path, "feedback names another file")
        case .rejected(let rejection):
            require(!rejection.reason.isEmpty, "rejection without a reason")
            require(!rejection.reason.contains("\n"), "rejection reason over one line: \(rejection.reason.debugDescription)")
        }
        // A record needs at least one byte; more records than bytes means a reader is looping.
        require(records <= file.data.count * recordsPerByte + 1, "more records than input bytes allow")
    }
}

public func require(_ condition: Bool, _ message: String) {
    if !condition {
        FileHandle.standardError.write(Data("invariant broken: \(message)\n".utf8))
        abort()
    }
}

nonisolated(unsafe) private var target: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }

/// Runs libFuzzer with `body` as the target; returns libFuzzer's exit status.
public func fuzz(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        target(UnsafeBufferPointer(start: data, count: size))
        return 0
    }
    exit(status)
}

/// A file name for the input, chosen by its first byte, so one target covers a reader's sibling formats.
public func fileName(for input: UnsafeBufferPointer<UInt8>, _ byFirstByte: [UInt8: String], otherwise: String) -> String {
    let first = input.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
    return first.flatMap { byFirstByte[$0] } ?? otherwise
}
