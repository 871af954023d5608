import Foundation
import Text

/// Where compiled images of the lexicons are kept, and the build they belong to.
public struct LexiconCache: Sendable {
    /// A directory of the user's (`voc` makes it when missing).
    public let directory: String
    /// What tells this build of `voc` from others (the executable's identity): an image holds the engine's
    /// tables as this build lays them out and prepares them, so another build never reads it.
    public let buildKey: [UInt8]

    public init(directory: String, buildKey: [UInt8]) {
        self.directory = directory
        self.buildKey = buildKey
    }
}

extension LexiconScorer {
    /// The scorer for the lexicons in `directory` and the user's `overrides`, from a compiled image in `cache`
    /// when one holds exactly these files' bytes and was written by this build, else read from the files (and
    /// an image written for the next start). Reading, checking and indexing some 8,300 terms took 6–8 ms of
    /// every `voc score` start, where mapping and checking the image takes 2–3 (start-up 12.5 → 9.0 ms); the
    /// image changes nothing that is scored (`CompiledLexiconsTests`). Without a cache, or when the image cannot be written, the files are read.
    public static func load(directory: String, overrides: [String] = [], explains: Bool = false, cache: LexiconCache?) throws -> LexiconScorer {
        let sources = Lexicons.sources(directory: directory, overrides: overrides)
        let files = try sources.map { source throws(LexiconError) in
            (source: source, bytes: try LexiconFile.read(source.path, name: source.name))
        }
        let path = cache.map { CompiledLexicons.path(in: $0, directory: directory, overrides: overrides) }
        if let cache, let path, let engine = CompiledLexicons.read(path, files: files, buildKey: cache.buildKey) {
            return LexiconScorer(engine: engine, explains: explains)
        }
        let engine = Engine(
            lexicons: try Lexicons.load(files.map { file throws(LexiconError) in
                (file.source, try LexiconFile(name: file.source.name, bytes: file.bytes, columns: file.source.columns))
            }))
        if let cache, let path { CompiledLexicons.write(engine, to: path, in: cache) }
        return LexiconScorer(engine: engine, explains: explains)
    }
}

/// A compiled image of the lexicons and the scorer's tables: the engine as `Engine.prepare` and its tables
/// leave it, in one file. Everything in it is checked as it is read (sizes, ids, roles, a checksum of the
/// whole), so a damaged or foreign image is refused and the files read instead, never trusted.
///
/// Layout: "VOCLEX01", the payload's length and checksum, then the payload: sections, each its byte count
/// and bytes padded to eight: the build key; the files (name, header, bytes); the term table; the entries
/// field by field; each entry's file; the phrases; the two short-term tables.
enum CompiledLexicons {
    static let magic: [UInt8] = Array("VOCLEX01".utf8)
    /// Images kept in a cache directory; older ones (other builds, other lexicon directories) are removed.
    static let kept = 8

    /// The image's file for one lexicon directory, its overrides and this build: another directory or
    /// build gets a file of its own, so two builds run side by side do not rewrite each other's.
    static func path(in cache: LexiconCache, directory: String, overrides: [String]) -> String {
        var key: [UInt8] = cache.buildKey
        for path in [directory] + overrides {
            let resolved = realpath(path, nil)
            defer { free(resolved) }
            key += (resolved.map { String(cString: $0) } ?? path).utf8 + [0]
        }
        let hash = key.withUnsafeBytes { Checksum.of($0) }
        return cache.directory + "/lexicons-" + String(hash, radix: 16) + ".image"
    }

    // MARK: Writing

    /// Writes the engine's image to `path` (through a temporary file renamed over it, so a reader sees a
    /// whole image or none) and removes the oldest images past `kept`. Failing quietly: it is a cache.
    static func write(_ engine: LexiconScorer.Engine, to path: String, in cache: LexiconCache) {
        let lexicons = engine.lexicons
        var out = Writer()
        out.section(cache.buildKey)
        out.section([UInt64(lexicons.files.count)])
        for file in lexicons.files {
            out.section(Array(file.name.utf8))
            out.section(Array(file.columns.joined(separator: "\t").utf8))
            out.section(file.bytes)
        }
        let terms = lexicons.terms.storage
        out.section(terms.arena)
        out.section(terms.ends.map { Int64($0) })
        out.section(terms.slots)
        out.section(terms.present)
        let entries = lexicons.entries
        out.section(entries.map { $0.valence.bitPattern })
        out.section(entries.map { Role.code(of: $0.role).kind })
        out.section(entries.map { Role.code(of: $0.role).value.bitPattern })
        out.section(entries.map { $0.longestPhrase })
        out.section(entries.map { $0.longestRolePhrase })
        out.section(entries.map { $0.markers.rawValue })
        let names = lexicons.files.map(\.name)
        out.section(lexicons.source.map { name in name.isEmpty ? UInt8.max : UInt8(names.firstIndex(of: name) ?? Int(UInt8.max)) })
        let phrases = lexicons.phrases.storage
        out.section(phrases.keys)
        out.section(phrases.values)
        for table in [engine.shortTerms, engine.mediumTerms] {
            let storage = table.storage
            out.section(storage.keys)
            out.section(storage.ids)
            out.section(storage.present)
        }
        let image = out.image()
        guard (try? FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)) != nil else { return }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        var written = 0
        image.withUnsafeBytes { bytes in
            while written < bytes.count {
                let got = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if got < 0, errno == EINTR { continue }
                if got <= 0 { break }
                written += got
            }
        }
        close(fd)
        guard written == image.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return
        }
        removeOldImages(in: cache.directory, keeping: path)
    }

    private static func removeOldImages(in directory: String, keeping path: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        let images = names.filter { $0.hasPrefix("lexicons-") && $0.hasSuffix(".image") }.map { directory + "/" + $0 }.filter { $0 != path }
        guard images.count >= kept else { return }
        func modified(_ path: String) -> Date { (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast }
        for old in images.sorted(by: { modified($0) > modified($1) }).dropFirst(kept - 1) { unlink(old) }
    }

    /// An image under construction: the header is written last, over the payload's checksum.
    struct Writer {
        private var payload: [UInt8] = []

        mutating func section<T: BitwiseCopyable>(_ values: [T]) {
            values.withUnsafeBytes { bytes in
                var count = UInt64(bytes.count)
                withUnsafeBytes(of: &count) { payload += $0 }
                payload += bytes
            }
            payload += repeatElement(0, count: (8 - payload.count % 8) % 8)
        }

        func image() -> [UInt8] {
            var header = CompiledLexicons.magic
            for word in [UInt64(payload.count), payload.withUnsafeBytes { Checksum.of($0) }] {
                withUnsafeBytes(of: word) { header += $0 }
            }
            return header + payload
        }
    }

    // MARK: Reading

    /// The engine of the image at `path` when it holds exactly `files` (in order) and was written with
    /// `buildKey`; nil when there is none or it is stale, damaged or foreign.
    static func read(_ path: String, files: [(source: Lexicons.Source, bytes: [UInt8])], buildKey: [UInt8]) -> LexiconScorer.Engine? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size >= 24 else { return nil }
        let size = Int(status.st_size)
        // Mapped, not read: the image's pages come from the page cache as they are decoded, with no copy of
        // the whole file into fresh memory first.
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        let image = UnsafeRawBufferPointer(start: base, count: size)
        guard image.prefix(8).elementsEqual(magic) else { return nil }
        let length = image.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        guard length == UInt64(size - 24) else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: image[24...])
        guard Checksum.of(payload) == image.loadUnaligned(fromByteOffset: 16, as: UInt64.self) else { return nil }
        var reader = Reader(payload)
        return decode(&reader, files: files, buildKey: buildKey)
    }

    private static func decode(_ input: inout Reader, files: [(source: Lexicons.Source, bytes: [UInt8])], buildKey: [UInt8]) -> LexiconScorer.Engine? {
        guard let key = input.array(UInt8.self), key == buildKey else { return nil }
        guard let fileCount = input.array(UInt64.self), fileCount == [UInt64(files.count)] else { return nil }
        var lexiconFiles: [LexiconFile] = []
        for (source, bytes) in files {
            let name = source.name
            guard let written = input.array(UInt8.self), written.elementsEqual(name.utf8),
                let columns = input.array(UInt8.self), columns.elementsEqual(source.columns.joined(separator: "\t").utf8),
                let held = input.bytes(), held.count == bytes.count,
                held.isEmpty || bytes.withUnsafeBytes({ memcmp($0.baseAddress!, held.baseAddress!, held.count) }) == 0
            else { return nil }
            lexiconFiles.append(LexiconFile(name: name, checkedBytes: bytes, columns: source.columns))
        }
        guard let arena = input.array(UInt8.self), let ends = input.array(Int64.self), let slots = input.bytes(),
            let present = input.array(UInt64.self), slots.count % 16 == 0,
            let terms = slots.withMemoryRebound(to: UInt64.self, { words in
                TermTable(storage: arena, ends: ends.map { Int($0) }, slots: words, present: present)
            })
        else { return nil }
        let count = terms.count
        guard let valences = input.array(UInt64.self), let kinds = input.array(UInt8.self), let values = input.array(UInt64.self),
            let longest = input.array(UInt8.self), let longestRolePhrases = input.array(UInt8.self), let markers = input.array(UInt16.self),
            let sources = input.array(UInt8.self),
            [valences.count, kinds.count, values.count, longest.count, longestRolePhrases.count, markers.count, sources.count]
                .allSatisfy({ $0 == count })
        else { return nil }
        var entries: [Lexicons.Entry] = []
        entries.reserveCapacity(count)
        let knownMarkers = Lexicons.Markers.all.rawValue
        for k in 0..<count {
            let valence = Double(bitPattern: valences[k])
            guard valence.isNaN || (-4...4).contains(valence), let role = Role.decode(kinds[k], Double(bitPattern: values[k])),
                (1...PhraseKey.maxWords).contains(Int(longest[k])), longestRolePhrases[k] <= PhraseKey.maxWords,
                markers[k] & ~knownMarkers == 0, sources[k] == UInt8.max || Int(sources[k]) < lexiconFiles.count
            else { return nil }
            entries.append(
                Lexicons.Entry(
                    valence: valence, role: role, longestPhrase: longest[k], longestRolePhrase: longestRolePhrases[k],
                    markers: Lexicons.Markers(rawValue: markers[k])))
        }
        let names = lexiconFiles.map(\.name)
        let source = sources.map { $0 == UInt8.max ? "" : names[Int($0)] }
        guard let phraseKeys = input.array(Int32.self), let phraseValues = input.array(Int32.self),
            let phrases = PhraseTable(storage: phraseKeys, values: phraseValues, terms: count)
        else { return nil }
        let lexicons = Lexicons(terms: terms, entries: entries, source: source, phrases: phrases, files: lexiconFiles)
        let templates = LexiconScorer.Engine.templates(of: lexicons)
        var tables: [ShortTerms] = []
        for _ in 0..<2 {
            guard let keys = input.array(UInt64.self), let ids = input.array(Int32.self), let present = input.array(UInt64.self),
                let table = keys.withUnsafeBufferPointer({ keys in
                    ids.withUnsafeBufferPointer { ids in ShortTerms(storage: keys, ids: ids, present: present, slots: templates) }
                })
            else { return nil }
            tables.append(table)
        }
        guard input.isAtEnd else { return nil }
        return LexiconScorer.Engine(prepared: lexicons, templates: templates, shortTerms: tables[0], mediumTerms: tables[1])
    }

    /// Sections of a payload, read in order; nil past its end or for a count the element type does not divide.
    struct Reader {
        private let payload: UnsafeRawBufferPointer
        private var offset = 0

        init(_ payload: UnsafeRawBufferPointer) { self.payload = payload }

        var isAtEnd: Bool { offset == payload.count }

        mutating func bytes() -> UnsafeRawBufferPointer? {
            guard payload.count - offset >= 8 else { return nil }
            let count = payload.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            guard count <= UInt64(payload.count - offset - 8) else { return nil }
            let start = offset + 8, end = start + Int(count)
            let padded = end + (8 - end % 8) % 8
            guard padded <= payload.count else { return nil }
            offset = padded
            return UnsafeRawBufferPointer(rebasing: payload[start..<end])
        }

        mutating func array<T: BitwiseCopyable>(_ type: T.Type) -> [T]? {
            guard let bytes = bytes(), bytes.count % MemoryLayout<T>.stride == 0 else { return nil }
            return [T](unsafeUninitializedCapacity: bytes.count / MemoryLayout<T>.stride) { buffer, count in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                count = buffer.count
            }
        }
    }

    /// A term's role as a number and a weight.
    enum Role {
        static func code(of role: Lexicons.Role) -> (kind: UInt8, value: Double) {
            switch role {
            case .none: (0, 0)
            case .negator: (1, 0)
            case .politeness(.request): (2, 0)
            case .politeness(.gratitude): (3, 0)
            case .politeness(.greeting): (4, 0)
            case .booster(let weight): (5, weight)
            case .contrast(.adversative): (6, 0)
            case .contrast(.concessive): (7, 0)
            }
        }

        static func decode(_ kind: UInt8, _ value: Double) -> Lexicons.Role? {
            switch kind {
            case 0: Lexicons.Role.none
            case 1: .negator
            case 2: .politeness(.request)
            case 3: .politeness(.gratitude)
            case 4: .politeness(.greeting)
            case 5 where (-1...1).contains(value): .booster(value)
            case 6: .contrast(.adversative)
            case 7: .contrast(.concessive)
            default: nil
            }
        }
    }
}

/// A 64-bit checksum of bytes, 32 at a time in four independent lanes (the image is read at every start of
/// `voc score`: one multiply after another cost a third of a millisecond on its 1.8 MB). Not cryptographic:
/// it tells a damaged or truncated file; the image holds the lexicons' bytes themselves to compare.
enum Checksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let m: UInt64 = 0x9E37_79B9_7F4A_7C15
        var a: UInt64 = 0x243F_6A88_85A3_08D3, b: UInt64 = 0x1319_8A2E_0370_7344
        var c: UInt64 = 0xA409_3822_299F_31D0, d: UInt64 = 0x082E_FA98_EC4E_6C89
        var k = 0
        while k + 32 <= bytes.count {
            a = (a ^ bytes.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* m
            b = (b ^ bytes.loadUnaligned(fromByteOffset: k + 8, as: UInt64.self)) &* m
            c = (c ^ bytes.loadUnaligned(fromByteOffset: k + 16, as: UInt64.self)) &* m
            d = (d ^ bytes.loadUnaligned(fromByteOffset: k + 24, as: UInt64.self)) &* m
            a ^= a >> 29
            b ^= b >> 29
            c ^= c >> 29
            d ^= d >> 29
            k += 32
        }
        var tail = UInt64(bytes.count)
        while k < bytes.count {
            tail = (tail ^ UInt64(bytes[k])) &* m
            tail ^= tail >> 29
            k += 1
        }
        var h = a
        for lane in [b, c, d, tail] { h = (h ^ (h >> 31) ^ lane) &* m }
        return h ^ (h >> 32)
    }
}
