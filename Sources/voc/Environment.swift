import Foundation
import Ingest
import Sentiment
import Themes

/// Where lexicons and configuration come from, and how `voc` talks to the terminal.
enum Environment {
    static let version = "0.1.0"

    /// The cores this process may run on: its CPU affinity (`taskset`, a container's cpuset), which
    /// Foundation's processor counts ignore. Work fanned out to more threads than that only time-shares the
    /// cores it has: `voc score` pinned to one core was 1-3% slower with its chunks in a task group than one
    /// after the other (docs/sentiment.md). Read from the kernel's "Cpus_allowed" mask in /proc/self/status
    /// (Swift's Glibc module has no `sched_getaffinity`).
    static let usableCores = cores(allowedIn: smallFile("/proc/self/status") ?? "", online: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// A small file's text (up to 64 KB), read with one system call or a few. Foundation's file reading and
    /// process information each cost a `voc` start-up a scan of the runtime's protocol conformances (the
    /// first use of a generic type they need), some 0.1 ms apiece.
    static func smallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let bytes = [UInt8](unsafeUninitializedCapacity: 1 << 16) { buffer, count in
            while count < buffer.count {
                let got = read(fd, buffer.baseAddress.unsafelyUnwrapped + count, buffer.count - count)
                if got < 0, errno == EINTR { continue }
                if got <= 0 { break }
                count += got
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The cores a /proc status text allows ("Cpus_allowed:\tff,00000003", a hex mask), at most `online`;
    /// `online` when the text has no such line.
    static func cores(allowedIn status: String, online: Int) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return online }
        let allowed = line.dropFirst("Cpus_allowed:".count).reduce(0) { count, digit in count + (digit.hexDigitValue ?? 0).nonzeroBitCount }
        return max(1, min(allowed, online))
    }

    /// Makes glibc keep the memory the program frees. By default it hands memory back to the kernel once
    /// 128 KB lie free at the top of the heap, and maps blocks of 128 KB or more apart and unmaps them when
    /// freed; every page taken again is a page fault, some 2 µs in this VM. `voc score` on 200,000 tweets
    /// took 1,200 of them, its chunks of lines allocating and freeing the same buffers. Swift's Glibc module
    /// does not declare `mallopt`, so it is looked up by name.
    static func keepFreedMemory() {
        #if os(Linux)
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        // M_TRIM_THRESHOLD, M_TOP_PAD and M_MMAP_THRESHOLD of <malloc.h>; 32 MB is the largest threshold glibc takes.
        _ = mallopt(-1, 1 << 30)
        _ = mallopt(-2, 64 << 20)
        _ = mallopt(-3, 32 << 20)
        #endif
    }

    /// `--lexicons`, else `VOC_LEXICONS`, else `lexicons/` in the working directory or above the executable.
    static func lexiconDirectory(_ given: String?) throws -> String {
        if let given { return given }
        // The C calls: the environment as a dictionary, and the file manager, cost every start their set-up.
        if let env = getenv("VOC_LEXICONS") { return String(cString: env) }
        if access("lexicons/general.tsv", F_OK) == 0 { return "lexicons" }
        let fm = FileManager.default
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("lexicons")
            if fm.fileExists(atPath: candidate.appendingPathComponent("general.tsv").path) { return candidate.path }
            url.deleteLastPathComponent()
        }
        throw UsageError("cannot find the lexicons directory; pass --lexicons DIR or set VOC_LEXICONS")
    }

    /// Where `voc score` keeps compiled images of the lexicons: `VOC_CACHE` (empty or `off`: none), else
    /// `$XDG_CACHE_HOME/voc`, else `~/.cache/voc`. The build key is the executable's identity (device, inode,
    /// size, modification time), so a rebuilt `voc` never reads an image an older build wrote.
    static var lexiconCache: LexiconCache? {
        let directory: String
        if let env = getenv("VOC_CACHE") {
            let value = String(cString: env)
            guard !value.isEmpty, value != "off" else { return nil }
            directory = value
        } else if let xdg = getenv("XDG_CACHE_HOME"), xdg.pointee != 0 {
            directory = String(cString: xdg) + "/voc"
        } else if let home = getenv("HOME"), home.pointee != 0 {
            directory = String(cString: home) + "/.cache/voc"
        } else {
            return nil
        }
        var status = stat()
        guard stat("/proc/self/exe", &status) == 0 || stat(CommandLine.arguments[0], &status) == 0 else { return nil }
        var key: [UInt8] = []
        for field in [UInt64(status.st_dev), UInt64(status.st_ino), UInt64(status.st_size), UInt64(status.st_mtim.tv_sec), UInt64(status.st_mtim.tv_nsec)] {
            withUnsafeBytes(of: field) { key += $0 }
        }
        return LexiconCache(directory: directory, buildKey: key)
    }

    /// SHA-256 (first 12 hex digits) of every lexicon file, for the run record and the method note.
    static func lexiconHashes(_ lexicons: Lexicons, taxonomyPath: String) -> [(String, String)] {
        var out = lexicons.files.map { ($0.name, Digest.hex(Digest.sha256($0.bytes), bytes: 6)) }
        if let data = FileManager.default.contents(atPath: taxonomyPath) {
            out.append(("taxonomy.yaml", Digest.hex(Digest.sha256([UInt8](data)), bytes: 6)))
        }
        return out
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes `bytes` to standard output. A failure (a full disk, or a closed pipe where SIGPIPE is ignored)
    /// is an error naming the system's reason: `FileHandle.write(_:)`, which `voc export` and `voc cluster`
    /// used, traps on one instead (the process died on SIGILL with a backtrace).
    static func writeOutput(_ bytes: some DataProtocol) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: bytes)
        } catch {
            let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            throw OutputError(description: "cannot write the output: \(posix ?? "\(error)")")
        }
    }

    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// Decoding errors (a counts file, voc.yaml) as where and what, not the Swift value's dump.
enum DecodingErrors {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text.isEmpty ? "the file" : text
        }
        // What a reader of the file calls the type the decoder wanted.
        func kind(_ type: Any.Type) -> String {
            switch "\(type)" {
            case "Double", "Float": "a number"
            case "Int", "Int64", "UInt64": "a whole number"
            case "String": "text"
            case "Bool": "true or false"
            case let name where name.hasPrefix("Sequence") || name.hasPrefix("Array"): "a list"
            case let name where name.hasPrefix("Dictionary") || name == "Mapping": "a mapping"
            case let name: name
            }
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context, key)): missing"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(kind(type))"
        case .valueNotFound(let type, let context): return "\(path(context)): no value (expected \(kind(type)))"
        @unknown default: return "\(error)"
        }
    }
}

/// Standard output could not be written: exit code 3, with the system's reason.
struct OutputError: Error, CustomStringConvertible {
    let description: String
}

/// A usage or configuration problem: exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Progress on stderr: a live line on a terminal, a line every few seconds otherwise.
final class Progress: @unchecked Sendable {
    private let label: String
    private var last = Date.distantPast
    private let lock = NSLock()

    init(_ label: String) { self.label = label }

    func update(_ text: @autoclosure () -> String) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let interval = Environment.stderrIsTerminal ? 0.2 : 5
        guard now.timeIntervalSince(last) >= interval else { return }
        last = now
        let line = "\(label): \(text())"
        FileHandle.standardError.write(Data((Environment.stderrIsTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func done() {
        if Environment.stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
