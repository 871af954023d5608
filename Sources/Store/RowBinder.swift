import Foundation
internal import GRDB
internal import GRDBSQLite
import Ingest

/// Binds one row's values to a prepared statement through SQLite's C API and steps it.
///
/// The ingest writer inserts every record of a batch through one statement, and at a million records it is
/// the single thread that sets the pace; saving an analysed week inserts a row per message and mention.
/// GRDB's per-row `StatementArguments` (an array of boxed values, then a recursive bind per value) were
/// about a third of that thread's work; this binds each value directly. Bind a row's values in column
/// order, then `step()` or `execute()`, which leaves the statement ready for the next row.
///
/// A NUL byte inside a text is stored as U+FFFD, like any other byte that is not text: SQLite's text
/// functions and GRDB's reads stop at a NUL, so binding it as is (or as a C string, as GRDB did) cut the
/// rest of the message off without a word.
struct RowBinder {
    /// Held so the statement outlives the binder's use of its handle (GRDB finalizes it on release).
    private let owner: Statement
    private let statement: SQLiteStatement
    private let connection: SQLiteConnection
    private var index: Int32 = 0
    /// The row's texts, back to back, bound in place when the row is stepped. Binding each text as
    /// SQLITE_TRANSIENT made SQLite allocate and copy it first, once per text column of every row: a tenth
    /// of the ingest writer's time. The buffer is reused from row to row.
    private var texts: [UInt8] = []
    private var textBindings: [(index: Int32, start: Int, count: Int, blob: Bool)] = []
    private static let empty: StaticString = ""
    /// Rows the last step inserted.
    private var changes = 0

    init(_ statement: Statement, in db: Database) {
        owner = statement
        self.statement = statement.sqliteStatement
        connection = db.sqliteConnection!
        // A cached statement may come as its last user left it. Cleared, every parameter is NULL, as it is
        // again after every step: a NULL is bound by binding nothing.
        sqlite3_reset(self.statement)
        sqlite3_clear_bindings(self.statement)
        texts.reserveCapacity(4_096)
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard var value else { return bindNull() }
        let start = texts.count
        value.withUTF8 { Self.appendText($0, to: &texts) }
        textBindings.append((index, start, texts.count - start, false))
    }

    /// A text's bytes as the store keeps them: each NUL as U+FFFD (see the type's comment).
    static func appendText(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let base = text.baseAddress, memchr(base, 0, text.count) != nil else { return out.append(contentsOf: text) }
        for byte in text { if byte == 0 { out += [0xEF, 0xBF, 0xBD] } else { out.append(byte) } }
    }

    mutating func bind(_ value: Int?) {
        index += 1
        guard let value else { return bindNull() }
        sqlite3_bind_int64(statement, index, Int64(value))
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(statement, index, value)
    }

    mutating func bind(_ value: Double?) {
        index += 1
        guard let value else { return bindNull() }
        sqlite3_bind_double(statement, index, value)
    }

    /// A value of `FeedbackRows`, whose bytes start at `bytes` and stay put until the row is stepped.
    mutating func bind(_ value: FeedbackRows.Value, bytes: UnsafePointer<UInt8>) {
        index += 1
        let base = UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)
        switch value.kind {
        case .null: return
        case .integer: sqlite3_bind_int64(statement, index, value.payload)
        case .real: sqlite3_bind_double(statement, index, Double(bitPattern: UInt64(bitPattern: value.payload)))
        // SQLITE_STATIC (nil): bound in place, as `step` binds its own texts.
        case .text: sqlite3_bind_text(statement, index, base + Int(value.payload), value.length, nil)
        case .blob: sqlite3_bind_blob(statement, index, base + Int(value.payload), value.length, nil)
        }
    }

    /// Nothing to do: the parameter is NULL since the last step (or `init`) cleared every binding.
    private func bindNull() {}

    /// What stepping the bound row did.
    enum Outcome {
        case inserted, ignored
        /// A constraint refused the row; SQLite's message says which.
        case refused(String)
    }

    /// Runs the statement with the bound values; any failure, a refused constraint included, is thrown.
    mutating func execute() throws {
        if case .refused(let message) = try step() { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: message) }
    }

    /// Runs a statement of several rows: how many it inserted, or nil when a constraint refused it (SQLite
    /// has then undone all of it). Other errors are thrown.
    mutating func stepCountingChanges() throws -> Int? {
        switch try step() {
        case .inserted, .ignored: changes
        case .refused: nil
        }
    }

    /// Runs the statement with the bound values; errors other than a refused constraint are thrown.
    mutating func step() throws -> Outcome {
        let code = texts.withUnsafeBufferPointer { texts in
            // SQLITE_STATIC: the bytes stay put until the step is done; every binding is cleared below, so
            // none outlives the buffer.
            // A nil pointer would bind NULL: an empty text needs an address too.
            let base = UnsafeRawPointer(texts.baseAddress ?? RowBinder.empty.utf8Start).assumingMemoryBound(to: CChar.self)
            for (index, start, count, blob) in textBindings {
                if blob { sqlite3_bind_blob(statement, index, base + start, Int32(count), nil) } else { sqlite3_bind_text(statement, index, base + start, Int32(count), nil) }
            }
            return sqlite3_step(statement)
        }
        changes = code == SQLITE_DONE ? Int(sqlite3_changes(connection)) : 0
        let outcome: Outcome? = code == SQLITE_DONE ? (changes == 1 ? .inserted : .ignored) : nil
        let message = outcome == nil ? String(cString: sqlite3_errmsg(connection)) : ""
        // Reset at once (its repeat of a failed step's code is already known): the next row starts clean, and
        // no statement is left mid-step when the transaction commits.
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        texts.removeAll(keepingCapacity: true)
        textBindings.removeAll(keepingCapacity: true)
        index = 0
        if let outcome { return outcome }
        if code & 0xFF == SQLITE_CONSTRAINT { return .refused(message) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
}
