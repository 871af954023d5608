import ArgumentParser
import Foundation
import Ingest
import Report
import Sentiment
import Text
import Themes

/// The whole input of `voc score` or `voc cluster`: a regular file (named, or redirected to stdin) is
/// memory-mapped, anything else (a pipe) is read to its end (`voc cluster`, which needs every line first;
/// `voc score` reads a pipe line by line instead, `LineStream`). Mapping skips the kernel's copy into fresh pages of the
/// program and a second copy out of `Data`: reading 21 MB of tweets that way was a tenth of `voc score`.
/// Immutable once made, so the tasks that score its lines share it.
final class InputBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    convenience init(path: String?) throws {
        let fd = try InputBytes.openInput(path)
        defer { if fd != STDIN_FILENO { close(fd) } }
        try self.init(fd: fd)
    }

    init(fd: Int32) throws {
        var status = stat()
        #if os(Linux)
        // All of it is read: its pages are mapped in one call, not a page fault per 64 KB.
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        if fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0,
            let base = mmap(nil, Int(status.st_size), PROT_READ, flags, fd, 0), base != MAP_FAILED
        {
            buffer = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: Int(status.st_size))
            mapped = true
            return
        }
        let data = FileHandle(fileDescriptor: fd, closeOnDealloc: false).readDataToEndOfFile()
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: data.count)
        _ = copy.initialize(from: data)
        buffer = UnsafeBufferPointer(copy)
        mapped = false
    }

    /// The file at `path` opened for reading, or stdin when there is none or it is "-" (as Unix filters read
    /// it).
    static func openInput(_ path: String?) throws -> Int32 {
        let fd = path.flatMap { $0 == "-" ? nil : open($0, O_RDONLY) } ?? STDIN_FILENO
        guard fd >= 0 else { throw UsageError("cannot read \(path ?? "-"): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Whether `fd` is a regular file (which can be mapped), not a pipe, a terminal or a socket.
    static func isRegularFile(_ fd: Int32) -> Bool {
        var status = stat()
        return fstat(fd, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count)
        } else {
            buffer.deallocate()
        }
    }

    subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[range]) }
}

/// Lines of stdin or a file, without the trailing newline.
enum InputLines {
    /// The longest line `voc score` scores and `voc cluster` clusters: the pipeline's default
    /// `limits.max_message_bytes`, over which ingest quarantines a message. A longer line is named on stderr
    /// and left out (a slot or a token per word of a gigabyte line would take tens of gigabytes).
    static let maxLineBytes = IngestLimits().maxMessageBytes

    /// The whole input and each line's byte range.
    static func readRanges(_ path: String?) throws -> (bytes: InputBytes, lines: [Range<Int>]) {
        let input = try InputBytes(path: path)
        return (input, lines(in: 0..<input.buffer.count, of: input.buffer))
    }

    /// The input cut into chunks of whole lines of about `size` bytes: where the input is large, its lines
    /// are found chunk by chunk where they are scored, and no range is kept for every line at once (200,000
    /// of them were 780 fresh pages, a page fault each).
    static func chunks(of buffer: UnsafeBufferPointer<UInt8>, about size: Int) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        guard let base = buffer.baseAddress else { return chunks }
        var start = 0
        while start < buffer.count {
            var end = buffer.count
            if start + size < buffer.count, let found = memchr(base + start + size - 1, 0x0A, buffer.count - (start + size - 1)) {
                end = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            }
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    /// The byte range of each line in `chunk` (a CR before the LF is left out), found in one pass.
    static func lines(in chunk: Range<Int>, of buffer: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        lines.reserveCapacity(chunk.count / 64)
        guard let base = buffer.baseAddress else { return lines }
        var start = chunk.lowerBound
        while start < chunk.upperBound {
            // memchr finds each line end many bytes at a time.
            guard let found = memchr(base + start, 0x0A, chunk.upperBound - start) else {
                lines.append(start..<chunk.upperBound)
                break
            }
            let i = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            lines.append(start..<(i > start && buffer[i - 1] == 0x0D ? i - 1 : i))
            start = i + 1
        }
        return lines
    }
}

/// One chunk of `voc score`'s output, and which of its lines were too long to score.
struct ScoredChunk: Sendable {
    var output: [UInt8]
    var lineCount: Int
    /// Indexes among the chunk's lines.
    var overlong: [Int]
    /// Lines not scored for their language (`--english-only`).
    var notEnglish = 0
}

/// Writes chunks in input order to stdout, and names each line too long to score on stderr by its number
/// in the whole input.
struct ChunkWriter {
    private var linesBefore = 0
    /// Lines not scored for their length so far.
    private(set) var overlong = 0
    private var notEnglish = 0

    mutating func write(_ chunk: ScoredChunk) throws {
        // Written from the array itself: `Data(out)` was a copy into fresh pages.
        try Environment.writeOutput(chunk.output)
        for k in chunk.overlong {
            Environment.log("voc: line \(linesBefore + k + 1): longer than \(InputLines.maxLineBytes) bytes, not scored (unscored)")
        }
        linesBefore += chunk.lineCount
        overlong += chunk.overlong.count
        notEnglish += chunk.notEnglish
    }

    /// Exit code 1 ("finished, but some input was refused", as for `voc run`) when a line was too long to
    /// score. Lines in another language are counted, as the pipeline counts them, and are no failure.
    func finish() throws {
        if notEnglish > 0 { Environment.log("voc: \(notEnglish) line\(notEnglish == 1 ? "" : "s") not in English, not scored (unscored)") }
        if overlong > 0 { throw ExitCode(1) }
    }
}

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Sentiment of one text per line (stdin or --input), one line out per line in, in order; a pipe is read as it comes.",
        discussion: "tsv: compound<TAB>label. jsonl: compound, pos, neu, neg, label, sentences (and hits with --explain). Same engine as the pipeline. A line over 1 MB is written as unscored and named on stderr (exit code 1). The lexicons are read from a compiled image in VOC_CACHE (default ~/.cache/voc; off for none) when it holds the same files and this build wrote it.")

    enum Format: String, ExpressibleByArgument { case tsv, jsonl }

    @Option(help: "tsv (compound, label), or jsonl (adds pos, neu, neg and each sentence's compound).") var format = Format.tsv
    @Option(help: "Read texts from this file instead of stdin (\"-\": stdin).") var input: String?
    @Flag(help: "Include every lexicon hit with the rules applied (jsonl), or print them after each line (tsv).") var explain = false
    @Option(help: "Directory holding the lexicons.") var lexicons: String?
    @Flag(help: "Score English lines only, as the pipeline does: a line in another language is written as unscored and counted on stderr.")
    var englishOnly = false

    /// The options as plain values, as `FilterArguments` also reads them.
    struct Options: Equatable {
        var format = Format.tsv
        var input: String?
        var explain = false
        var lexicons: String?
        var englishOnly = false
    }

    var options: Options { Options(format: format, input: input, explain: explain, lexicons: lexicons, englishOnly: englishOnly) }

    func run() async throws { try await Self.run(options) }

    static func run(_ options: Options) async throws {
        let format = options.format, explain = options.explain
        var configured = try LexiconScorer.load(
            directory: try Environment.lexiconDirectory(options.lexicons), explains: explain, cache: Environment.lexiconCache)
        configured.keepsSentences = format == .jsonl || explain
        let scoring = Scoring(scorer: configured, format: format, explain: explain, englishOnly: options.englishOnly)
        let fd = try InputBytes.openInput(options.input)
        defer { if fd != STDIN_FILENO { close(fd) } }
        if InputBytes.isRegularFile(fd) {
            try await score(InputBytes(fd: fd), scoring)
        } else {
            try await score(LineStream(fd: fd, maxLineBytes: InputLines.maxLineBytes), scoring)
        }
    }

    /// What every chunk is scored with.
    struct Scoring: Sendable {
        var scorer: LexiconScorer
        var format: Format
        var explain: Bool
        /// Lines `LanguageGuess` reads as another language than English are not scored (`--english-only`).
        var englishOnly = false
    }

    /// Lines are scored in chunks of about 256 KB (some 2,000 tweets) on every core (child tasks); chunks
    /// are written in input order, a window at a time, so output starts early and memory holds one window
    /// of results.
    private static func score(_ bytes: InputBytes, _ scoring: Scoring) async throws {
        var writer = ChunkWriter()
        let chunks = InputLines.chunks(of: bytes.buffer, about: 1 << 18)
        if Environment.usableCores == 1 {  // pinned (taskset, a cpuset): in turn, no threads to share the core
            for chunk in chunks {
                let lines = InputLines.lines(in: chunk, of: bytes.buffer)
                try writer.write(Self.score(lines, of: bytes.buffer, scoring))
            }
            return try writer.finish()
        }
        try await inWindows(count: chunks.count, writer: &writer) { i in
            Self.score(InputLines.lines(in: chunks[i], of: bytes.buffer), of: bytes.buffer, scoring)
        }
        try writer.finish()
    }

    /// A stream's lines, scored as they arrive: chunk by chunk on one core; on more, the chunks that were
    /// ready together (up to a window's worth) in parallel, and a chunk at once when nothing more is ready.
    private static func score(_ stream: LineStream, _ scoring: Scoring) async throws {
        var writer = ChunkWriter()
        let window = Environment.usableCores == 1 ? 1 : 32
        var ready: [[UInt8]] = []
        @Sendable func score(_ chunk: [UInt8]) -> ScoredChunk {
            chunk.withUnsafeBufferPointer { Self.score(InputLines.lines(in: 0..<$0.count, of: $0), of: $0, scoring) }
        }
        while true {
            let next = try stream.next()
            if let (lines, moreReady) = next {
                ready.append(lines)
                if moreReady, ready.count < window { continue }
            }
            if ready.count == 1 {
                try writer.write(score(ready[0]))  // on its own: no child task for a line typed at a terminal
            } else if !ready.isEmpty {
                let chunks = ready
                try await inWindows(count: chunks.count, writer: &writer) { i in score(chunks[i]) }
            }
            ready.removeAll(keepingCapacity: true)
            if next == nil { return try writer.finish() }
        }
    }

    /// Chunks `0..<count` scored by `body` in child tasks, 32 at a time, and written in order.
    private static func inWindows(count: Int, writer: inout ChunkWriter, _ body: @escaping @Sendable (Int) -> ScoredChunk) async throws {
        let window = 32
        var first = 0
        while first < count {
            let size = min(window, count - first)
            let base = first
            let outputs = await withTaskGroup(of: (Int, ScoredChunk).self) { group in
                for i in 0..<size { group.addTask { (i, body(base + i)) } }
                var outputs = Array(repeating: ScoredChunk(output: [], lineCount: 0, overlong: []), count: size)
                for await (i, out) in group { outputs[i] = out }
                return outputs
            }
            for out in outputs { try writer.write(out) }
            first += size
        }
    }

    /// One chunk's output lines, which of its lines were too long to score (their index in `lines`), and how
    /// many were not in English (with `englishOnly`).
    static func score(_ lines: [Range<Int>], of bytes: UnsafeBufferPointer<UInt8>, _ scoring: Scoring) -> ScoredChunk {
        let (scorer, format, explain) = (scoring.scorer, scoring.format, scoring.explain)
        var workspace = LexiconScorer.Workspace()
        var overlong: [Int] = []
        var notEnglish = 0
        func score(_ k: Int) -> SentimentScore {
            guard lines[k].count <= InputLines.maxLineBytes else {
                overlong.append(k)
                return .unscored
            }
            let line = UnsafeBufferPointer(rebasing: bytes[lines[k]])
            if scoring.englishOnly, !LanguageGuess.isEnglish(String(decoding: line, as: UTF8.self)) {
                notEnglish += 1
                return .unscored
            }
            return scorer.score(utf8: line, in: &workspace)
        }
        if format == .tsv, !explain {
            // A tsv line has a bounded length, so the chunk's lines are written straight into its buffer:
            // appending byte by byte checked the array's capacity for each byte.
            let output = [UInt8](unsafeUninitializedCapacity: lines.count * TSVLine.maximumLength) { buffer, written in
                var cursor = buffer.baseAddress!
                for k in lines.indices { cursor = TSVLine.write(score(k), to: cursor) }
                written = cursor - buffer.baseAddress!
            }
            return ScoredChunk(output: output, lineCount: lines.count, overlong: overlong, notEnglish: notEnglish)
        }
        var out: [UInt8] = []
        out.reserveCapacity(lines.count * 16)
        for k in lines.indices {
            render(UnsafeBufferPointer(rebasing: bytes[lines[k]]), score(k), format: format, explain: explain, into: &out)
        }
        return ScoredChunk(output: out, lineCount: lines.count, overlong: overlong, notEnglish: notEnglish)
    }

    /// Static, with the options passed in: reading an `@Option` instantiates generic metadata, and doing
    /// that for every line was 2% of the command's time.
    static func render(_ line: UnsafeBufferPointer<UInt8>, _ score: SentimentScore, format: Format, explain: Bool, into out: inout [UInt8]) {
        switch format {
        case .tsv:
            out.append(writingAtMost: TSVLine.maximumLength) { TSVLine.write(score, to: $0) }
            if explain {
                for sentence in score.sentences { for hit in sentence.hits { out += Array("#\t\(hit)\n".utf8) } }
            }
        case .jsonl:
            var object = "{\"compound\":\(score.compound.rounded4),\"pos\":\(score.positive.rounded4),\"neu\":\(score.neutral.rounded4),\"neg\":\(score.negative.rounded4),\"label\":\"\(score.label.rawValue)\",\"sentences\":["
            object += score.sentences.map { s in
                var piece = "{\"compound\":\(s.compound.rounded4),\"text\":\(JSONText.quoted(String(decoding: UnsafeBufferPointer(rebasing: line[s.range]), as: UTF8.self)))"
                if explain {
                    piece += ",\"hits\":[" + s.hits.map { h in
                        "{\"text\":\(JSONText.quoted(h.text)),\"lexicon\":\(JSONText.quoted(h.lexicon)),\"base\":\(h.base.rounded4),\"value\":\(h.value.rounded4),\"rules\":[\(h.rules.map(JSONText.quoted).joined(separator: ","))]}"
                    }.joined(separator: ",") + "]"
                }
                return piece + "}"
            }.joined(separator: ",")
            out += Array((object + "]}\n").utf8)
        }
    }
}

extension Double {
    var rounded4: String {
        var bytes: [UInt8] = []
        Fixed4.append(self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension [UInt8] {
    /// Appends what `write` writes through a pointer (at most `count` bytes; it returns the position after them).
    mutating func append(writingAtMost count: Int, _ write: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            let end = write(buffer.baseAddress!)
            append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress, count: end - buffer.baseAddress!))
        }
    }
}

/// One `compound<TAB>label` line of `voc score --format tsv`, written through a pointer.
enum TSVLine {
    /// The longest line `write` makes: the longest number and "\tunscored\n".
    static let maximumLength = Fixed4.maximumLength + 10

    /// Writes the line at `cursor` and returns the position after it.
    static func write(_ score: SentimentScore, to cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var cursor = Fixed4.write(score.compound, to: cursor)
        // Static text, not a static array of arrays: no reference counting per line.
        let label: StaticString
        switch score.label {
        case .positive: label = "\tpositive\n"
        case .neutral: label = "\tneutral\n"
        case .negative: label = "\tnegative\n"
        case .unscored: label = "\tunscored\n"
        }
        cursor.update(from: label.utf8Start, count: label.utf8CodeUnitCount)
        cursor += label.utf8CodeUnitCount
        return cursor
    }
}

/// Writes a number in [-1, 1]-ish ranges with four decimals, without Foundation's printf.
enum Fixed4 {
    static func append(_ value: Double, to out: inout [UInt8]) {
        out.append(writingAtMost: maximumLength) { write(value, to: $0) }
    }

    /// The most bytes `write` makes: a sign, the 19 digits of a whole part, the point and four decimals.
    static let maximumLength = 1 + 19 + 1 + 4

    /// The two digits of 0 to 99, in order.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Writes the number at `cursor` and returns the position after it.
    static func write(_ value: Double, to cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // Rounded half away from zero without libm's `round`, a call per line: below 2^52 what truncation cuts
        // off is exact.
        let magnitude = abs(value) * 10_000
        var scaled: Int
        if magnitude < 0x1p52 {
            scaled = Int(magnitude)
            if magnitude - Double(scaled) >= 0.5 { scaled += 1 }
        } else {
            scaled = Int(magnitude.rounded())
        }
        var cursor = cursor
        if value < 0, scaled > 0 {
            cursor.pointee = 0x2D
            cursor += 1
        }
        let whole = scaled / 10_000, decimals = scaled % 10_000
        // Scores are within [-1, 1]: one digit, without the String a general number would need.
        if whole < 10 {
            cursor.pointee = UInt8(0x30 + whole)
            cursor += 1
        } else {
            for digit in String(whole).utf8 {
                cursor.pointee = digit
                cursor += 1
            }
        }
        // The decimals two digits at a time.
        let pairs = digitPairs.utf8Start
        let high = 2 * (decimals / 100), low = 2 * (decimals % 100)
        cursor[0] = 0x2E
        cursor[1] = pairs[high]
        cursor[2] = pairs[high + 1]
        cursor[3] = pairs[low]
        cursor[4] = pairs[low + 1]
        return cursor + 5
    }
}

struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Themes of one document per line (stdin or --input): theme_id<TAB>label per line, in order.",
        discussion: "Pure discovery (no curated taxonomy), the same engine the pipeline uses for discovered themes. A line over 1 MB is left out, written as none (too long) and named on stderr (exit code 1).")

    enum Format: String, ExpressibleByArgument { case tsv, jsonl }

    @Option(help: "Number of themes (default: chosen automatically).") var k: Int?
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "tsv, or jsonl (adds keyphrases, score: how well the line fits its theme, 0-1, and sub-theme).") var format = Format.tsv
    @Option(help: "Read documents from this file instead of stdin (\"-\": stdin).") var input: String?
    @Flag(help: "Print a summary of the themes on stderr.") var summary = false
    @Option(help: "Directory holding the lexicons (for stopwords).") var lexicons: String?

    /// The options as plain values, as `FilterArguments` also reads them.
    struct Options: Equatable {
        var k: Int?
        var seed: UInt64 = 1
        var format = Format.tsv
        var input: String?
        var summary = false
        var lexicons: String?
    }

    var options: Options { Options(k: k, seed: seed, format: format, input: input, summary: summary, lexicons: lexicons) }

    func validate() throws { try PipelineOptions.validate(k: k) }

    func run() async throws { try await Self.run(options) }

    static func run(_ options: Options) async throws {
        let (k, seed, format, input, summary) = (options.k, options.seed, options.format, options.input, options.summary)
        let directory = try Environment.lexiconDirectory(options.lexicons)
        let stopwords = try LexiconFile(contentsOf: directory + "/stopwords.tsv", columns: ["term", "notes"]).rows.map(\.term)
        var discovery = Vectorizer(stopwords: Set(stopwords))
        discovery.keepsWords = false  // no curated themes here to match them
        let vectorizer = discovery
        let tokenizer = Tokenizer()
        let (bytes, lines) = try InputLines.readRanges(input)
        // Tokenized straight from the input's bytes into one reused buffer per chunk: no String per line. A
        // line over the bound is left empty and written as too long.
        @Sendable func tooLong(_ i: Int) -> Bool { lines[i].count > InputLines.maxLineBytes }
        let documents = await Parallel.map(count: lines.count, state: { (TokenizedText(), Vectorizer.WordCache()) }) { buffers, i in
            tokenizer.tokenize(utf8: bytes[tooLong(i) ? lines[i].lowerBound..<lines[i].lowerBound : lines[i]], into: &buffers.0)
            return vectorizer.document(buffers.0, words: &buffers.1)
        }
        var finder = LexicalThemeFinder(vectorizer: vectorizer, taxonomy: .empty, k: k, seed: seed)
        finder.findsSubThemes = format == .jsonl || summary  // tsv has no column for them
        finder.findsSentenceMentions = false  // nor has any format a column for sentence mentions
        let set = finder.findThemes(documents)
        var subtheme = [String?](repeating: nil, count: documents.count)
        for subs in set.subthemes { for sub in subs { for d in sub.members { subtheme[d] = sub.label } } }
        // Each theme's tsv line is made once; a line per document is then a copy of bytes.
        let tsvLines = set.themes.map { Array("\($0.id)\t\($0.label)\n".utf8) }
        let tooShortLine = Array("none\t(too short)\n".utf8), tooLongLine = Array("none\t(too long)\n".utf8)
        let signatureNorms = format == .jsonl ? set.themes.map { Theme.norm($0.signature) } : []
        var out: [UInt8] = []
        out.reserveCapacity(set.assignments.count * 32)
        for (i, assignment) in set.assignments.enumerated() {
            if tooLong(i) {
                out += format == .tsv ? tooLongLine : Array("{\"line\":\(i + 1),\"theme_id\":\"none\",\"label\":\"(too long)\"}\n".utf8)
                continue
            }
            if format == .tsv {
                out += assignment.map { tsvLines[$0] } ?? tooShortLine
                continue
            }
            guard let t = assignment else {
                out += Array("{\"line\":\(i + 1),\"theme_id\":\"none\",\"label\":\"(too short)\"}\n".utf8)
                continue
            }
            let theme = set.themes[t]
            let score = String(format: "%.4f", theme.fit(documents[i], signatureNorm: signatureNorms[t]))
            out += Array("{\"line\":\(i + 1),\"theme_id\":\(JSONText.quoted(theme.id)),\"label\":\(JSONText.quoted(theme.label)),\"keyphrases\":[\(theme.keyphrases.map(JSONText.quoted).joined(separator: ","))],\"score\":\(score),\"subtheme\":\(subtheme[i].map(JSONText.quoted) ?? "null")}\n".utf8)
        }
        try Environment.writeOutput(out)
        if summary {
            var sizes = [Int](repeating: 0, count: set.themes.count)
            for a in set.assignments { if let a { sizes[a] += 1 } }
            Environment.log("\(set.themes.count) themes from \(lines.count) documents (\(set.tooShort) too short\(set.other.map { ", \(sizes[$0]) in other" } ?? ""))")
            for t in set.themes.indices.sorted(by: { sizes[$0] > sizes[$1] }) {
                Environment.log("  \(String(sizes[t]).leftPadded(6))  \(set.themes[t].id)  \(set.themes[t].label)")
                for sub in set.subthemes[t] { Environment.log("  \(String(sub.members.count).leftPadded(10))    └ \(sub.label)") }
            }
        }
        let leftOut = lines.indices.filter(tooLong)
        for i in leftOut { Environment.log("voc: line \(i + 1): longer than \(InputLines.maxLineBytes) bytes, not clustered (too long)") }
        // Done: the process ends here and its memory goes back in one piece. Freeing the documents one by
        // one first was 3-5 ms of a 100 ms run on BANKING77 (clang's -disable-free, for the same reason).
        withExtendedLifetime((documents, set)) {}
        // 1 when a line was left out, as for `voc score` and `voc run`.
        Foundation.exit(leftOut.isEmpty ? EXIT_SUCCESS : 1)
    }
}

struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "corpus", abstract: "Sample corpora with planted themes.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a multi-channel corpus in real file formats, with a ground-truth sidecar in OUT/.truth/.")

        @Option(help: "Customer messages in all.") var messages = 2_000
        @Option(help: "Weeks, ending with 2026-W47.") var weeks = 4
        @Option(help: "Seed: same seed, same bytes.") var seed: UInt64 = 7
        @Option(help: "Output folder.") var out: String

        func run() async throws {
            guard messages > 0, weeks > 0 else { throw UsageError("--messages and --weeks must be positive") }
            let summary = try SampleCorpusWriter.write(messages: messages, weeks: weeks, seed: seed, out: out)
            print(summary)
        }
    }
}
