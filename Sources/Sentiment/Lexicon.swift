import Foundation
import Text

/// Up to four word ids, packed for hashing.
struct PhraseKey: Equatable, Sendable {
    static let maxWords = 4
    let a: Int32, b: Int32, c: Int32, d: Int32

    init(a: Int32, b: Int32, c: Int32, d: Int32) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    init(_ ids: ArraySlice<Int32>) {
        let s = ids.startIndex
        a = ids[s]
        b = ids.count > 1 ? ids[s + 1] : -1
        c = ids.count > 2 ? ids[s + 2] : -1
        d = ids.count > 3 ? ids[s + 3] : -1
    }
}

/// Multi-word entries by the ids of their words: open addressing on a multiplicative hash (the standard
/// dictionary's seeded SipHash was a twentieth of `voc score`, for a few hundred keys).
struct PhraseTable: Sendable {
    private static let empty = PhraseKey(a: -1, b: -1, c: -1, d: -1)  // a phrase's first word always has an id
    private var keys = [PhraseKey](repeating: PhraseTable.empty, count: 64)
    private var values = [Int32](repeating: -1, count: 64)
    private(set) var count = 0
    /// One bit per 12-bit hash fragment, set for every key: 512 bytes that stay in the first-level cache and
    /// answer most lookups (word runs that are no phrase) without the key load, which missed the cache.
    private var present = [UInt64](repeating: 0, count: 64)
    /// One bit per 15-bit hash of a key's first two words (4 KB). Most words that may start a phrase are
    /// followed by a word no phrase goes on with: one test turns them away, where trying each length probed
    /// the table up to three times, with a branch on each probe that no predictor learns.
    private var pairs = [UInt64](repeating: 0, count: 512)

    @inline(__always) private static func pairBit(_ a: Int32, _ b: Int32) -> (word: Int, bit: UInt64) {
        let h = (UInt64(UInt32(bitPattern: a)) | UInt64(UInt32(bitPattern: b)) << 32) &* 0x9E37_79B9_7F4A_7C15
        let fragment = Int(truncatingIfNeeded: h >> 49)
        return (fragment >> 6, 1 << UInt64(fragment & 63))
    }

    /// Whether a key may start with the words `a`, `b`: never false when one does.
    @inline(__always) func mayStart(_ a: Int32, _ b: Int32) -> Bool {
        let (word, bit) = PhraseTable.pairBit(a, b)
        return pairs.withUnsafeBufferPointer { $0[word] & bit } != 0
    }

    @inline(__always) private static func presenceBit(_ hash: Int) -> (word: Int, bit: UInt64) {
        let fragment = (hash >> 40) & 0xFFF
        return (fragment >> 6, 1 << UInt64(fragment & 63))
    }

    @inline(__always) private static func hash(_ key: PhraseKey) -> Int {
        let low = UInt64(UInt32(bitPattern: key.a)) | UInt64(UInt32(bitPattern: key.b)) << 32
        let high = UInt64(UInt32(bitPattern: key.c)) | UInt64(UInt32(bitPattern: key.d)) << 32
        var h = (low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    private func slot(of key: PhraseKey) -> Int {
        let mask = keys.count - 1
        var slot = PhraseTable.hash(key) & mask
        while keys[slot] != PhraseTable.empty, keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    subscript(key: PhraseKey) -> Int32? {
        get {
            let (word, bit) = PhraseTable.presenceBit(PhraseTable.hash(key))
            guard present.withUnsafeBufferPointer({ $0[word] & bit }) != 0 else { return nil }
            let value = values[slot(of: key)]
            return value >= 0 ? value : nil
        }
        set {
            guard let newValue else { preconditionFailure("phrases are never removed") }
            let s = slot(of: key)
            if values[s] < 0 {
                keys[s] = key
                count += 1
                let (word, bit) = PhraseTable.presenceBit(PhraseTable.hash(key))
                present[word] |= bit
                let (pairWord, pairBit) = PhraseTable.pairBit(key.a, key.b)
                pairs[pairWord] |= pairBit
            }
            values[s] = newValue
            if count * 2 > keys.count { grow() }
        }
    }

    /// The table as plain numbers (each key's four word ids, then the values), for a compiled image.
    var storage: (keys: [Int32], values: [Int32]) {
        (keys.flatMap { [$0.a, $0.b, $0.c, $0.d] }, values)
    }

    init() {}

    /// The table holding `storage`'s keys and values, or nil when they do not make one (values no term id
    /// below `terms`, a size that is not a power of two); filed again, so the bitmaps follow from the keys.
    init?(storage keys: [Int32], values: [Int32], terms: Int) {
        guard values.count >= 64, values.count & (values.count - 1) == 0, keys.count == values.count * 4 else { return nil }
        self.keys = [PhraseKey](repeating: PhraseTable.empty, count: values.count)
        self.values = [Int32](repeating: -1, count: values.count)
        for k in 0..<values.count where values[k] >= 0 {
            let key = PhraseKey(a: keys[4 * k], b: keys[4 * k + 1], c: keys[4 * k + 2], d: keys[4 * k + 3])
            guard values[k] < terms, key.a >= 0, key.a < terms, self[key] == nil else { return nil }
            self[key] = values[k]
        }
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.1 >= 0 }
        keys = [PhraseKey](repeating: PhraseTable.empty, count: keys.count * 2)
        values = [Int32](repeating: -1, count: keys.count)
        for (key, value) in old {
            let s = slot(of: key)
            keys[s] = key
            values[s] = value
        }
    }
}

/// A lexicon file could not be loaded; names the file and line.
public struct LexiconError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let reason: String

    /// `file:line: reason`, or `file: reason` for the file as a whole (line 0).
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }
}

/// One strict TSV lexicon file: a header row, then one entry per line, no duplicates.
public struct LexiconFile: Sendable {
    /// An entry: its line, its term (normalised), and where its line's text lies in `bytes` (the columns are
    /// read from there when asked: a list of strings per row was most of the loader's allocations, and
    /// freeing them most of a short `voc` run's exit).
    public struct Row: Sendable {
        public let line: Int
        public let term: String
        let text: Range<Int>
        /// How many words the term holds (a phrase: more than one), counted as the line was read.
        let words: Int
    }

    public let name: String
    /// SHA-256 is computed by the caller from these bytes, for the run record.
    public let bytes: [UInt8]
    /// The header it was read with.
    let columns: [String]
    private let parsed: ParsedRows

    /// The entries, read with the file, or at first use for a file from a compiled image (whose bytes were
    /// read without error when the image was written: `voc score` never asks for them).
    public var rows: [Row] { parsed.rows(of: self) }

    /// Parses `text`; `columns` is the exact header expected (first column is always `term`).
    /// Works on the UTF-8 bytes: splitting the general lexicon as Strings was most of `voc score`'s start-up.
    public init(name: String, text: String, columns: [String]) throws(LexiconError) {
        try self.init(name: name, bytes: Array(text.utf8), columns: columns)
    }

    /// Parses a file's bytes; a line that is not UTF-8 is an error with its number.
    init(name: String, bytes: [UInt8], columns: [String]) throws(LexiconError) {
        self.name = name
        self.bytes = bytes
        self.columns = columns
        let rows = try bytes.withUnsafeBufferPointer { (bytes) throws(LexiconError) in try LexiconFile.rows(of: bytes, name: name, columns: columns) }
        parsed = ParsedRows(rows)
    }

    /// A file whose bytes are those of one that was read without error (a compiled image's): rows at first use.
    init(name: String, checkedBytes bytes: [UInt8], columns: [String]) {
        self.name = name
        self.bytes = bytes
        self.columns = columns
        parsed = ParsedRows(nil)
    }

    /// The rows, kept once read.
    private final class ParsedRows: @unchecked Sendable {
        private var rows: [Row]?
        private let lock = NSLock()

        init(_ rows: [Row]?) { self.rows = rows }

        func rows(of file: LexiconFile) -> [Row] {
            lock.withLock {
                if let rows { return rows }
                do {
                    let read = try file.bytes.withUnsafeBufferPointer { (bytes) throws(LexiconError) in
                        try LexiconFile.rows(of: bytes, name: file.name, columns: file.columns)
                    }
                    rows = read
                    return read
                } catch {
                    preconditionFailure("\(file.name) was read without error when its image was written, and is the same bytes: \(error)")
                }
            }
        }
    }

    /// The entries of a file's bytes, read on a buffer: every `voc` process reads every byte of the lexicons.
    private static func rows(of bytes: UnsafeBufferPointer<UInt8>, name: String, columns: [String]) throws(LexiconError) -> [Row] {
        // Sized up front (a line is rarely under 16 bytes): grown from empty, they were copied a dozen times
        // over the general lexicon's 7,500 lines at every start of `voc score`.
        var rows: [Row] = []
        rows.reserveCapacity(bytes.count / 16)
        // Duplicates are found through a term table (its first line by id), not a dictionary of strings.
        var seen = TermTable(capacity: bytes.count / 32)
        var firstLines: [Int] = []
        firstLines.reserveCapacity(bytes.count / 16)
        var line = 0
        var start = 0
        while start <= bytes.count {
            var end = start, high: UInt8 = 0
            while end < bytes.count, bytes[end] != 0x0A {
                high |= bytes[end]
                end += 1
            }
            defer { start = end + 1 }
            line += 1
            // Every line, comments too, must be UTF-8 text; only a line with a non-ASCII byte is decoded to tell.
            if high >= 0x80, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) == nil {
                throw LexiconError(file: name, line: line, reason: "not UTF-8 text")
            }
            let contentEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
            if line == 1 {
                guard LexiconFile.header(bytes[start..<contentEnd], is: columns) else {
                    throw LexiconError(file: name, line: 1, reason: "header must be \(columns.joined(separator: "<TAB>"))")
                }
                continue
            }
            if contentEnd == start || bytes[start] == 0x23 { continue }  // empty or a # comment
            var fieldCount = 1, termEnd = contentEnd
            for k in start..<contentEnd where bytes[k] == 0x09 {
                if fieldCount == 1 { termEnd = k }
                fieldCount += 1
            }
            guard fieldCount == columns.count else {
                throw LexiconError(file: name, line: line, reason: "expected \(columns.count) columns, found \(fieldCount)")
            }
            // Most terms are lowercase ASCII already, their own key: told on the bytes, without a String to
            // normalise (a String per term, normalised twice, was most of the loader's instructions).
            var plain = true, words = 0, inWord = false
            for k in start..<termEnd {
                let b = bytes[k]
                if TermTable.changesWhenNormalized(b) { plain = false }
                if b != 0x20, !inWord { words += 1 }
                inWord = b != 0x20
            }
            let termBytes = UnsafeBufferPointer(rebasing: bytes[start..<termEnd])
            let written = String(decoding: termBytes, as: UTF8.self)
            let term = plain ? written : TermTable.normalized(written)
            guard !term.isEmpty else { throw LexiconError(file: name, line: line, reason: "empty term") }
            let id = plain ? seen.intern(normalizedKey: termBytes) : seen.intern(term)  // (normalising it again: rare)
            if Int(id) < firstLines.count {
                throw LexiconError(file: name, line: line, reason: "duplicate term \"\(term)\" (first at line \(firstLines[Int(id)]))")
            }
            firstLines.append(line)
            rows.append(Row(line: line, term: term, text: start..<contentEnd, words: words))
        }
        return rows
    }

    /// Whether `line` is `columns` joined by tabs: told on the bytes, as splitting them into an array of
    /// slices cost every start a scan of the runtime's protocol conformances (that array's first use).
    private static func header(_ line: Slice<UnsafeBufferPointer<UInt8>>, is columns: [String]) -> Bool {
        var k = line.startIndex
        for (index, column) in columns.enumerated() {
            if index > 0 {
                guard k < line.endIndex, line[k] == 0x09 else { return false }
                k += 1
            }
            for byte in column.utf8 {
                guard k < line.endIndex, line[k] == byte else { return false }
                k += 1
            }
        }
        return k == line.endIndex
    }

    /// The tab-separated fields of one line.
    private static func fields<Line: Collection<UInt8>>(_ line: Line) -> [String] {
        line.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every column of `row`, the term as written first.
    public func columns(of row: Row) -> [String] { LexiconFile.fields(bytes[row.text]) }

    /// Column `index` of `row` as written.
    public func column(_ index: Int, of row: Row) -> String {
        String(decoding: bytes[field(index, of: row)], as: UTF8.self)
    }

    /// Where column `index` of `row` lies in `bytes` (empty at the line's end when the row has fewer).
    private func field(_ index: Int, of row: Row) -> Range<Int> {
        bytes.withUnsafeBufferPointer { bytes in
            var field = 0, start = row.text.lowerBound
            for k in row.text where bytes[k] == 0x09 {
                if field == index { return start..<k }
                field += 1
                start = k + 1
            }
            return field == index ? start..<row.text.upperBound : row.text.upperBound..<row.text.upperBound
        }
    }

    /// Column `index` of `row` when it is a plain decimal of up to fifteen digits ("-1.5", "2", "0.25"),
    /// read from the bytes: making a string of it and parsing that was a quarter of loading the lexicons.
    /// Exact: the digits as an integer and the power of ten are both exact doubles, and one correctly rounded
    /// division gives the correctly rounded value (Clinger 1990), as `Double(String)` does. Nil for anything
    /// else, which the general parser reads.
    private func plainDecimal(_ index: Int, of row: Row) -> Double? {
        let text = field(index, of: row)
        guard !text.isEmpty else { return nil }
        return bytes.withUnsafeBufferPointer { bytes in LexiconFile.plainDecimal(UnsafeBufferPointer(rebasing: bytes[text])) }
    }

    /// `plainDecimal` of a field's bytes (not empty).
    private static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var k = 0
        let negative = bytes[k] == 0x2D
        if negative || bytes[k] == 0x2B { k += 1 }
        var digits: Int64 = 0, count = 0, fraction = -1
        while k < bytes.count {
            let b = bytes[k]
            if b == 0x2E, fraction < 0 {
                fraction = 0
            } else if b &- 0x30 < 10, count < 15 {
                digits = digits * 10 + Int64(b &- 0x30)
                count += 1
                if fraction >= 0 { fraction += 1 }
            } else {
                return nil
            }
            k += 1
        }
        guard count > 0 else { return nil }
        let value = Double(digits) / LexiconFile.powersOfTen[max(fraction, 0)]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

    public init(contentsOf path: String, columns: [String]) throws(LexiconError) {
        let name = (path as NSString).lastPathComponent
        try self.init(name: name, bytes: try LexiconFile.read(path, name: name), columns: columns)
    }

    /// The file's bytes, read once into the array that keeps them (`rows` checks that they are UTF-8). Read as
    /// a String and copied out of it, the lexicons were three copies in fresh pages at every start of `voc`.
    static func read(_ path: String, name: String) throws(LexiconError) -> [UInt8] {
        func failure(_ what: String) -> LexiconError {
            LexiconError(file: name, line: 0, reason: "cannot \(what) \(path): \(String(cString: strerror(errno)))")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure("open") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw failure("read") }
        let size = Int(status.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = Foundation.read(fd, buffer.baseAddress.unsafelyUnwrapped + count, size - count)
                if got < 0, errno == EINTR { continue }
                if got < 0 { failed = true }
                if got <= 0 { break }
                count += got
            }
        }
        if failed { throw failure("read") }
        // A byte order mark (editors on Windows write one) is not part of the header.
        return bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    /// A numeric column, checked to lie in `range`.
    func number(_ row: Row, column: Int, in range: ClosedRange<Double>) throws(LexiconError) -> Double {
        if let value = plainDecimal(column, of: row), range.contains(value) { return value }
        let text = self.column(column, of: row)
        guard let value = Double(text) ?? Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw LexiconError(file: name, line: row.line, reason: "\"\(text)\" is not a number in \(range)")
        }
        return value
    }
}

/// Every lexicon the scorer uses, loaded from `lexicons/` and any user override file.
///
/// All terms share one `TermTable`, so a token is looked up once and its id gives both its valence and
/// its role (negator, booster, contrast word, politeness word).
public struct Lexicons: Sendable {
    public enum ContrastKind: String, Sendable { case adversative, concessive }

    public enum PolitenessKind: String, Sendable { case request, gratitude, greeting }

    enum Role: Sendable, Equatable {
        case none, negator
        case politeness(PolitenessKind)
        case booster(Double)
        case contrast(ContrastKind)
    }

    /// What the scorer reads of a term, side by side: a word's lookup then touches one entry, where parallel
    /// arrays cost a cache miss each (the first of them was a sixth of the scorer's own time).
    struct Entry: Sendable {
        /// Valence on the -4..+4 scale, NaN when the term has none; later layers override earlier ones.
        var valence = Double.nan
        var role = Role.none
        /// Longest multi-word entry (in words) starting with this term, 1 when none.
        var longestPhrase: UInt8 = 1
        /// Longest multi-word booster ("kind of", "a bit") or negator ("far from") starting with this term, 0 when none.
        var longestRolePhrase: UInt8 = 0
        /// Words that rules look for by id; the scorer sets them.
        var markers: Markers = []
    }

    struct Markers: OptionSet, Sendable {
        let rawValue: UInt16
        /// "yet", "though", "while": contrast words only at the start of a clause.
        static let clauseInitialOnly = Markers(rawValue: 1)
        /// A wish or condition marker ("would", "if", "wish").
        static let irrealis = Markers(rawValue: 2)
        /// A remedy the customer asks for (`Negation.remedies`).
        static let remedy = Markers(rawValue: 4)
        /// A verb of fixing, which takes a negation for itself (`Negation.remedyVerbs`).
        static let remedyVerb = Markers(rawValue: 8)
        /// A comparative ("better", "worse", "happier"), for "couldn't be better" (`Unsurpassed`).
        static let comparative = Markers(rawValue: 16)
        /// "more", "any" before a word, for "couldn't be more helpful" (`Unsurpassed`).
        static let degree = Markers(rawValue: 32)
        /// "or", which carries a negation over a list (`Negation.coordinators`).
        static let coordinator = Markers(rawValue: 64)
        /// "again", which closes "never … again" (`Churn`).
        static let again = Markers(rawValue: 128)
        /// "took", "take", "takes", "taking", which may say how long something took (`Delay`).
        static let takesTime = Markers(rawValue: 256)
        /// Every marker above.
        static let all = Markers(rawValue: 511)
    }

    /// Sized for the shipped lexicons (some 8,300 terms with the rules' words) and a user's additions: grown
    /// from 8,192 it was rehashed at every start of `voc score`.
    var terms: TermTable
    var entries: [Entry] = []
    /// The file each valence came from (for explanations).
    var source: [String] = []
    /// Multi-word entries by the ids of their words, so phrases are matched on ids, never on rebuilt text.
    var phrases: PhraseTable
    /// Every file that went in, for provenance (name and bytes).
    public private(set) var files: [LexiconFile] = []

    public init() {
        terms = TermTable(capacity: 16_384)
        phrases = PhraseTable()
    }

    /// One file of the standard set: where it is, its header, and what it adds.
    struct Source {
        enum Layer { case valences, spellings, roles }
        let path: String
        let columns: [String]
        let layer: Layer

        /// The file's name, as errors and the run record give it.
        var name: String { (path as NSString).lastPathComponent }
    }

    /// The files `load` reads, in order: the valence layers, spellings, the user's `overrides`, the roles.
    static func sources(directory: String, overrides: [String]) -> [Source] {
        let valenceColumns = ["term", "valence", "notes"]
        var sources = ["general.tsv", "evaluative.tsv", "customer_service.tsv", "emoji.tsv"].map {
            Source(path: directory + "/" + $0, columns: valenceColumns, layer: .valences)
        }
        // Optional, unlike the others: it came in a later version, and a directory of lexicons a user copied
        // before then rates fewer words without it, none wrongly (the report's lexicon list shows which loaded).
        let spellings = directory + "/spellings.tsv"
        if access(spellings, F_OK) == 0 { sources.append(Source(path: spellings, columns: ["term", "as", "notes"], layer: .spellings)) }
        sources += overrides.map { Source(path: $0, columns: valenceColumns, layer: .valences) }
        return sources + [
            Source(path: directory + "/negators.tsv", columns: ["term", "notes"], layer: .roles),
            Source(path: directory + "/boosters.tsv", columns: ["term", "weight", "notes"], layer: .roles),
            Source(path: directory + "/contrast.tsv", columns: ["term", "kind", "notes"], layer: .roles),
            Source(path: directory + "/politeness.tsv", columns: ["term", "kind", "notes"], layer: .roles),
        ]
    }

    /// Loads the standard set from a directory; `overrides` are user valence files applied last.
    public static func load(directory: String, overrides: [String] = []) throws -> Lexicons {
        try load(sources(directory: directory, overrides: overrides).map { source throws(LexiconError) in
            (source, try LexiconFile(contentsOf: source.path, columns: source.columns))
        })
    }

    /// The lexicons of files already read, each with its source, in the order of `sources`.
    static func load(_ files: [(Source, LexiconFile)]) throws(LexiconError) -> Lexicons {
        var lexicons = Lexicons()
        var roles: [LexiconFile] = []
        for (source, file) in files {
            switch source.layer {
            case .valences: try lexicons.addValences(file)
            case .spellings: try lexicons.addSpellings(file)
            case .roles: roles.append(file)
            }
        }
        try lexicons.addRoles(negators: roles[0], boosters: roles[1], contrast: roles[2], politeness: roles[3])
        return lexicons
    }

    /// Lexicons from a compiled image's parts (`CompiledLexicons`), which checked them.
    init(terms: TermTable, entries: [Entry], source: [String], phrases: PhraseTable, files: [LexiconFile]) {
        self.terms = terms
        self.entries = entries
        self.source = source
        self.phrases = phrases
        self.files = files
    }

    /// Makes sure a term has an id (rules look some words up by id even when no lexicon lists them).
    mutating func ensure(_ term: String) { _ = id(forNormalized: TermTable.normalized(term)) }

    /// The id of a row's term (normalised as the file was read), made when new.
    private mutating func id(for row: LexiconFile.Row) -> Int { id(forNormalized: row.term, words: row.words) }

    /// The id of a normalised term, made when new with its entry; a phrase's words get theirs too, and the
    /// phrase is filed under their ids. `words`: how many the term holds, when the caller has counted them.
    private mutating func id(forNormalized term: String, words: Int? = nil) -> Int {
        var key = term
        let id = Int(key.withUTF8 { terms.intern(normalizedKey: $0) })
        if id == entries.count {
            entries.append(Entry())
            source.append("")
        }
        guard words.map({ $0 > 1 }) ?? term.utf8.contains(0x20) else { return id }
        let parts = term.utf8.split(separator: 0x20)
        if parts.count > 1, parts.count <= PhraseKey.maxWords {
            var wordIDs: [Int32] = []
            for part in parts {
                // A single word: an id and an entry, nothing more.
                wordIDs.append(Int32(self.id(forNormalized: String(decoding: part, as: UTF8.self), words: 1)))
            }
            entries[Int(wordIDs[0])].longestPhrase = max(entries[Int(wordIDs[0])].longestPhrase, UInt8(parts.count))
            phrases[PhraseKey(wordIDs[...])] = Int32(id)
        }
        return id
    }

    /// A phrase longer than the scorer matches would load and never score: refused instead, with its line.
    private static func checkPhraseLength(_ row: LexiconFile.Row, in file: LexiconFile) throws(LexiconError) {
        if row.words > PhraseKey.maxWords {
            throw LexiconError(file: file.name, line: row.line, reason: "\"\(row.term)\" has \(row.words) words; a phrase holds at most \(PhraseKey.maxWords)")
        }
    }

    /// Adds a valence layer; an entry here replaces the same term from earlier layers.
    public mutating func addValences(_ file: LexiconFile) throws(LexiconError) {
        for row in file.rows {
            try Lexicons.checkPhraseLength(row, in: file)
            let value = try file.number(row, column: 1, in: -4...4)
            let id = id(for: row)
            entries[id].valence = value
            source[id] = file.name
        }
        files.append(file)
    }

    /// Adds other spellings of rated words ("favourite" as "favorite"): each takes the valence its `as` word
    /// has in the layers so far, so the general lexicon's American spellings rate British and Commonwealth
    /// customers' words too without a second copy of each value to keep in step. A spelling must be one
    /// word, its `as` word rated, and the spelling itself rated by no layer (else which value holds is unclear).
    public mutating func addSpellings(_ file: LexiconFile) throws(LexiconError) {
        for row in file.rows {
            guard row.words == 1 else {
                throw LexiconError(file: file.name, line: row.line, reason: "\"\(row.term)\" is not one word")
            }
            let written = file.column(1, of: row)
            guard let target = terms.find(written).map(Int.init), !entries[target].valence.isNaN else {
                throw LexiconError(file: file.name, line: row.line, reason: "\"\(written)\" is rated by no lexicon")
            }
            let id = id(for: row)
            guard entries[id].valence.isNaN else {
                throw LexiconError(file: file.name, line: row.line, reason: "\"\(row.term)\" is rated already (\(source[id]))")
            }
            entries[id].valence = entries[target].valence
            source[id] = file.name
        }
        files.append(file)
    }

    /// Adds the role files; a term may have one role only.
    public mutating func addRoles(negators: LexiconFile, boosters: LexiconFile, contrast: LexiconFile, politeness: LexiconFile)
        throws(LexiconError)
    {
        // Who claimed each term, by id: a dictionary of strings here cost every start a scan of the runtime's
        // protocol conformances (its first use).
        var claimed: [(file: String, line: Int)?] = []
        func claim(_ file: LexiconFile, _ row: LexiconFile.Row, _ newRole: Role) throws(LexiconError) {
            let termID = self.id(for: row)
            if termID < claimed.count, let (other, line) = claimed[termID] {
                throw LexiconError(file: file.name, line: row.line, reason: "\"\(row.term)\" conflicts with \(other):\(line)")
            }
            try Lexicons.checkPhraseLength(row, in: file)
            if termID >= claimed.count { claimed += repeatElement(nil, count: termID + 1 - claimed.count) }
            claimed[termID] = (file.name, row.line)
            entries[termID].role = newRole
            let actsAsOneWord = switch newRole { case .booster, .negator: true; default: false }
            if actsAsOneWord, row.words > 1, row.words <= PhraseKey.maxWords {
                let first = id(forNormalized: String(decoding: row.term.utf8.prefix(while: { $0 != 0x20 }), as: UTF8.self), words: 1)
                entries[first].longestRolePhrase = max(entries[first].longestRolePhrase, UInt8(row.words))
            }
        }
        for row in negators.rows { try claim(negators, row, .negator) }
        for row in boosters.rows { try claim(boosters, row, .booster(try boosters.number(row, column: 1, in: -1...1))) }
        for row in contrast.rows {
            guard let kind = ContrastKind(rawValue: contrast.column(1, of: row)) else {
                throw LexiconError(file: contrast.name, line: row.line, reason: "kind must be adversative or concessive")
            }
            try claim(contrast, row, .contrast(kind))
        }
        for row in politeness.rows {
            guard let kind = PolitenessKind(rawValue: politeness.column(1, of: row)) else {
                throw LexiconError(file: politeness.name, line: row.line, reason: "kind must be request, gratitude or greeting")
            }
            try claim(politeness, row, .politeness(kind))
        }
        files += [negators, boosters, contrast, politeness]
    }
}
