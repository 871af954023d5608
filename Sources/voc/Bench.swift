import Foundation
import Impact
import Themes
import Ingest
import Report
import Store

/// Times the stages on cached generated corpora. Each run of each size is a child process of its own, so
/// its peak memory is that run's (a process that ran the 1M pipeline before keeps heap from it) and no run
/// starts with another's caches warm in its heap.
struct Bench {
    let sizes: [Int]
    let runs: Int
    let cache: String
    let stage: String?
    let json: Bool
    let options: PipelineOptions
    /// Set: measure one large mailbox instead of the corpora (issue: <= 300 MB peak while ingesting 2 GB).
    var mailboxMB: Int? = nil
    /// Another voc executable whose runs alternate with this build's (same children, same corpora).
    var baseline: String? = nil

    struct Figures: Codable {
        var messages: Int
        var megabytes: Double
        var seconds: [String: Double]
        var perChannel: [String: Int]
        var peakRSSMB: Double
    }

    func run() async throws {
        if let mailboxMB { return try await runMailbox(megabytes: mailboxMB) }
        if ProcessInfo.processInfo.environment["VOC_BENCH_CHILD"] != nil, sizes.count == 1 {
            let figures = try await measure(size: sizes[0])
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
            return
        }
        var samples = [[Figures]](repeating: [], count: sizes.count), baselineSamples = samples
        // Round by round, every size once a round: the machine's hour moves the figures more than most changes
        // do, and a slow spell that fell on all the 1M runs and none of the 100k runs moved the scaling ratio
        // across its target (the same build 8.88 and 11.86). A baseline's run sits beside each of this build's,
        // first in every other round, so that a drift of the machine within a round (one build against itself,
        // five rounds: stages from 0.91 to 1.03 of each other) falls on both builds alike.
        for round in 0..<max(1, runs) {
            for (i, size) in sizes.enumerated() {
                let arguments = ["--sizes", "\(size)"] + (stage.map { ["--stage", $0] } ?? [])
                func runBaseline() throws {
                    guard let baseline else { return }
                    let data = try child(arguments, runs: 1, what: "\(size) messages (baseline)", executable: baseline)
                    baselineSamples[i].append(try JSONDecoder().decode(Figures.self, from: data))
                }
                if round % 2 == 1 { try runBaseline() }
                samples[i].append(try JSONDecoder().decode(Figures.self, from: child(arguments, runs: 1, what: "\(size) messages")))
                if round % 2 == 0 { try runBaseline() }
            }
        }
        let all = samples.map(Figures.init(median:))
        let baselineAll = baseline == nil ? [] : baselineSamples.map(Figures.init(median:))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try baseline == nil ? encoder.encode(all) : encoder.encode(["this": all, "baseline": baselineAll])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(table(all))
            if let rounds = Self.scalingByRound(samples) { print(rounds) }
            if let baseline {
                print("\nbaseline: \(baseline), run beside each run above (after it in odd rounds, before it in even ones)\n")
                print(table(baselineAll, header: false))
                print("\n" + ratios(all, baselineAll))
            }
        }
    }

    /// Each stage's median time with this build over the baseline's, per size (below 1: this build is faster).
    func ratios(_ mine: [Figures], _ theirs: [Figures]) -> String {
        var lines = ["this / baseline (time)      " + mine.map { "\($0.messages)".leftPadded(24) }.joined()]
        for stage in Self.stages where mine.contains(where: { $0.seconds[stage] != nil }) {
            var line = stage.padding(toLength: 28, withPad: " ", startingAt: 0)
            for (a, b) in zip(mine, theirs) {
                guard let x = a.seconds[stage], let y = b.seconds[stage], y > 0 else {
                    line += "-".leftPadded(24)
                    continue
                }
                line += String(format: "%.3f", x / y).leftPadded(24)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Runs `voc bench` (this executable, or `executable`) with these arguments in a child process (its peak
    /// memory is its own); its stdout.
    func child(_ arguments: [String], runs: Int, what: String, executable: String? = nil) throws -> Data {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["bench"] + arguments + ["--runs", "\(runs)", "--cache", cache] + (options.lexicons.map { ["--lexicons", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["VOC_BENCH_CHILD"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw UsageError("bench child for \(what) failed (exit \(process.terminationStatus))") }
        return data
    }

    static let stages = [
        "ingest.survey", "ingest.email", "ingest.chat", "ingest.community", "ingest.search", "ingest", "store read", "tokenize+sentiment", "themes",
        "impact", "store write", "analyze", "report", "drill", "end-to-end",
    ]

    func table(_ all: [Figures], header: Bool = true) -> String {
        var lines = header ? [
            "voc \(Environment.version) bench — median of \(runs) run(s); machine: \(Machine.describe())",
            "command: voc " + CommandLine.arguments.dropFirst().joined(separator: " "),
            "",
        ] : []
        lines.append("stage                       " + all.map { "\($0.messages)".leftPadded(24) }.joined())
        for stage in Self.stages where all.contains(where: { $0.seconds[stage] != nil }) {
            var line = stage.padding(toLength: 28, withPad: " ", startingAt: 0)
            for f in all {
                guard let s = f.seconds[stage] else {
                    line += "-".leftPadded(24)
                    continue
                }
                let channel = stage.hasPrefix("ingest.") ? String(stage.dropFirst(7)) : nil
                let n = channel.map { f.perChannel[$0] ?? 0 } ?? f.messages
                let rate = s > 0 ? Double(n) / s : 0
                line += String(format: "%7.2fs %9.0f msg/s", s, rate).leftPadded(24)
            }
            lines.append(line)
        }
        lines.append("input MB                    " + all.map { String(format: "%.1f", $0.megabytes).leftPadded(24) }.joined())
        lines.append("ingest MB/s                 " + all.map { f in String(format: "%.1f", f.megabytes / max(1e-9, f.seconds["ingest"] ?? 1)).leftPadded(24) }.joined())
        lines.append("peak RSS MB (highest run)   " + all.map { String(format: "%.0f", $0.peakRSSMB).leftPadded(24) }.joined())
        if let a = all.first(where: { $0.messages == 100_000 }), let b = all.first(where: { $0.messages == 1_000_000 }),
            let ta = a.seconds["end-to-end"], let tb = b.seconds["end-to-end"]
        {
            lines.append(String(format: "scaling 100k -> 1M: time ratio %.2f (10 is linear)", tb / ta))
        }
        return lines.joined(separator: "\n")
    }

    /// Each round's 1M end-to-end time over the same round's 100k time, and their median: the ratio with both
    /// sides measured minutes apart, not one size's runs an hour's weather away from the other's.
    static func scalingByRound(_ samples: [[Figures]]) -> String? {
        func times(_ n: Int) -> [Double]? { samples.first { $0.first?.messages == n }?.compactMap { $0.seconds["end-to-end"] } }
        guard let small = times(100_000), let large = times(1_000_000), !small.isEmpty, small.count == large.count else { return nil }
        let ratios = zip(large, small).map { $0 / max(1e-9, $1) }
        let median = ratios.sorted()[ratios.count / 2]
        let each = ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        return String(format: "scaling 100k -> 1M per round (1M run over the 100k run of its round): %@; median %.2f", each, median)
    }

    /// One size, in this process: generate (cached), then `runs` fresh runs of the real pipeline.
    func measure(size: Int) async throws -> Figures {
        let weeks = 4
        let directory = (cache as NSString).appendingPathComponent("corpus-\(size)")
        if !FileManager.default.fileExists(atPath: directory + "/.truth") {
            _ = try SampleCorpus(messages: size, weeks: weeks, seed: 11).write(to: directory)
        }
        let megabytes = Double(try directorySize(directory)) / 1_048_576
        var samples: [String: [Double]] = [:]
        var perChannel: [String: Int] = [:]
        for _ in 0..<max(1, runs) {
            let dbPath = NSTemporaryDirectory() + "voc-bench-\(getpid())-\(size).sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
            let clock = StageClock()
            var pipeline = try options.pipeline(near: [directory])
            pipeline.clock = clock
            let store = try FeedbackStore(path: dbPath)
            let run = try store.beginRun(version: Environment.version, command: "bench", seed: pipeline.seed, lexiconHashes: "", parameters: "")
            let start = Date()
            for channel in ["surveys", "email", "chat", "community", "search"] {
                let t0 = Date()
                let summary = try await pipeline.ingest([directory + "/" + channel], channel: nil, store: store, run: run)
                let name = channel == "surveys" ? "survey" : channel
                clock.add("ingest.\(name)", Date().timeIntervalSince(t0))
                perChannel[name] = summary.read
            }
            clock.add("ingest", Date().timeIntervalSince(start))
            if stage == nil || stage == "analyze" || stage == "report" {
                let t0 = Date()
                try await pipeline.analyze(try store.weeks(), store: store, run: run)
                clock.add("analyze", Date().timeIntervalSince(t0))
            }
            if stage == nil || stage == "report" {
                let t0 = Date()
                let week = try ReportBuilder.defaultWeek(store)
                let report = try pipeline.report(week, store: store, run: RunInfo(id: run, version: Environment.version, seed: pipeline.seed, lexiconHashes: []))
                _ = MarkdownReport().render(report)
                _ = HTMLReport().render(report)
                clock.add("report", Date().timeIntervalSince(t0))
                let t1 = Date()
                let builder = ReportBuilder(store: store, taxonomy: pipeline.taxonomy, parameters: pipeline.costModel.parameters)
                let rows = try builder.rows(week, includeAbsent: true)
                if let top = rows.max(by: { $0.rankValue < $1.rankValue }) {
                    // What `voc drill` asks of the store for the costliest theme.
                    _ = try store.mentionBreakdown(theme: top.theme.id, weeks: (0..<8).map { week.adding(-$0) })
                    let (examples, rest) = try DrillCommand.verbatimIDs(of: top.theme.id, week: week, channel: nil, in: store)
                    _ = try store.feedback(ids: examples + rest)
                }
                clock.add("drill", Date().timeIntervalSince(t1))
            }
            clock.add("end-to-end", Date().timeIntervalSince(start))
            for (k, v) in clock.totals { samples[k, default: []].append(v) }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Figures(
            messages: size, megabytes: megabytes, seconds: samples.mapValues { $0.sorted()[$0.count / 2] }, perChannel: perChannel,
            peakRSSMB: Double(usage.ru_maxrss) / 1024)
    }

    struct MailboxFigures: Codable {
        var megabytes: Double
        var messages: Int
        var seconds: Double
        var peakRSSMB: Double
    }

    /// One large mbox, ingested `runs` times, each in a child process of its own (so each peak is one
    /// ingest's); the median time and the highest peak are reported.
    func runMailbox(megabytes: Int) async throws {
        let path = try mailbox(megabytes: megabytes)
        if ProcessInfo.processInfo.environment["VOC_BENCH_CHILD"] != nil {
            var seconds: [Double] = []
            var messages = 0
            for _ in 0..<max(1, runs) {
                let dbPath = NSTemporaryDirectory() + "voc-bench-\(getpid())-mailbox.sqlite"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
                let pipeline = try options.pipeline(near: [path])
                let store = try FeedbackStore(path: dbPath)
                let run = try store.beginRun(version: Environment.version, command: "bench", seed: pipeline.seed, lexiconHashes: "", parameters: "")
                let start = Date()
                messages = try await pipeline.ingest([path], channel: .email, store: store, run: run).read
                seconds.append(Date().timeIntervalSince(start))
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
            let figures = MailboxFigures(
                megabytes: size, messages: messages, seconds: seconds.sorted()[seconds.count / 2], peakRSSMB: Double(usage.ru_maxrss) / 1024)
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
            return
        }
        // A child process per run, so that each peak is one ingest's: runs in one process kept the heap of
        // the runs before (309 MB against 275 MB for the same mailbox).
        let each = try (0..<max(1, runs)).map { _ in
            try JSONDecoder().decode(MailboxFigures.self, from: child(["--mailbox-mb", "\(megabytes)"], runs: 1, what: "the mailbox"))
        }
        var f = each[0]
        f.seconds = each.map(\.seconds).sorted()[each.count / 2]
        f.peakRSSMB = each.map(\.peakRSSMB).max() ?? f.peakRSSMB
        if json {
            print(String(decoding: try JSONEncoder().encode(f), as: UTF8.self))
            return
        }
        print("voc \(Environment.version) bench — median of \(runs) run(s); machine: \(Machine.describe())")
        print("command: voc " + CommandLine.arguments.dropFirst().joined(separator: " "))
        print("")
        print(String(format: "mailbox %.0f MB, %d messages: ingest %.1f s, %.1f MB/s, %.0f msg/s, peak RSS %.0f MB",
                     f.megabytes, f.messages, f.seconds, f.megabytes / max(1e-9, f.seconds), Double(f.messages) / max(1e-9, f.seconds), f.peakRSSMB))
    }

    /// A cached mbox of at least `megabytes` MB: the 100k corpus's mail repeated, each copy with its own
    /// Message-IDs so that nothing is a duplicate.
    func mailbox(megabytes: Int) throws -> String {
        let path = (cache as NSString).appendingPathComponent("mailbox-\(megabytes)mb.mbox")
        let target = megabytes << 20
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size >= target { return path }
        let directory = (cache as NSString).appendingPathComponent("corpus-100000")
        if !FileManager.default.fileExists(atPath: directory + "/.truth") {
            _ = try SampleCorpus(messages: 100_000, weeks: 4, seed: 11).write(to: directory)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/email").filter { $0.hasSuffix(".mbox") }.sorted()
        var source: [UInt8] = []
        for file in files { source += try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/email/" + file))) }
        // The copy is cut at each Message-ID's "<", where a copy-number prefix goes in.
        let marker = Array("Message-ID: <".utf8)
        var cuts: [Int] = []
        var i = 0
        while i + marker.count <= source.count {
            if source[i] == marker[0], source[i..<(i + marker.count)].elementsEqual(marker) {
                cuts.append(i + marker.count)
                i += marker.count
            } else {
                i += 1
            }
        }
        guard FileManager.default.createFile(atPath: path + ".part", contents: nil) else { throw UsageError("cannot write \(path).part") }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path + ".part"))
        var written = 0
        var copy = 0
        while written < target {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(source.count + cuts.count * 8)
            var from = 0
            for cut in cuts {
                chunk += source[from..<cut]
                chunk += Array("c\(copy)-".utf8)
                from = cut
            }
            chunk += source[from...]
            try out.write(contentsOf: chunk)
            written += chunk.count
            copy += 1
        }
        try out.close()
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        return path
    }

    func directorySize(_ path: String) throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let next = enumerator?.nextObject() as? String {
            if next.hasPrefix(".") { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + next)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }
}

/// Accumulates seconds per stage; shared by the pipeline's stages during a bench run.
final class StageClock: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var totals: [String: Double] = [:]

    func add(_ stage: String, _ seconds: Double) {
        lock.lock()
        totals[stage, default: 0] += seconds
        lock.unlock()
    }

    func time<T>(_ stage: String, _ body: () async throws -> T) async rethrows -> T {
        let start = Date()
        defer { add(stage, Date().timeIntervalSince(start)) }
        return try await body()
    }
}

enum Machine {
    static func describe() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory / 1_073_741_824
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(model), \(memory) GiB, \(allocator())"
    }

    /// The malloc the process runs with: jemalloc, mimalloc or tcmalloc when one is linked (the release build
    /// links jemalloc where the system has it) or preloaded (`LD_PRELOAD`), else glibc's. It moves the 1M
    /// figures by a tenth (docs/scaling.md), so a table says which it had.
    static func allocator() -> String {
        if dlsym(nil, "mallctl") != nil { return "jemalloc" }
        if dlsym(nil, "mi_version") != nil { return "mimalloc" }
        if dlsym(nil, "tc_version") != nil { return "tcmalloc" }
        return "glibc malloc"
    }
}

extension Bench.Figures {
    /// Several runs as one: each stage's median time, the highest of the runs' peaks.
    init(median runs: [Bench.Figures]) {
        var seconds: [String: [Double]] = [:]
        for run in runs { for (stage, value) in run.seconds { seconds[stage, default: []].append(value) } }
        self.init(
            messages: runs[0].messages, megabytes: runs[0].megabytes, seconds: seconds.mapValues { $0.sorted()[$0.count / 2] },
            perChannel: runs[0].perChannel, peakRSSMB: runs.map(\.peakRSSMB).max() ?? 0)
    }
}
