import Foundation
internal import GRDB
internal import GRDBSQLite

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
    private let statement: SQLiteStatement
    private let connection: SQLiteConnection
    private var index: Int32 = 0
    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement, in db: Database) {
        self.statement = statement.sqliteStatement
        connection = db.sqliteConnection!
        sqlite3_reset(self.statement)  // a cached statement may come as its last user left it
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard let value else { return bindNull() }
        let length = value.utf8.count
        let bound = value.withCString { text in
            // strlen stops at the first NUL: shorter than the string means the text holds one.
            guard strlen(text) == length else { return false }
            sqlite3_bind_text(statement, index, text, Int32(length), Self.transient)
            return true
        }
        if !bound {
            var bytes: [UInt8] = []
            for byte in value.utf8 { if byte == 0 { bytes += [0xEF, 0xBF, 0xBD] } else { bytes.append(byte) } }  // U+FFFD
            let replaced = String(decoding: bytes, as: UTF8.self)
            replaced.withCString { _ = sqlite3_bind_text(statement, index, $0, Int32(replaced.utf8.count), Self.transient) }
        }
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

    private func bindNull() { sqlite3_bind_null(statement, index) }

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

    /// Runs the statement with the bound values; errors other than a refused constraint are thrown.
    mutating func step() throws -> Outcome {
        let code = sqlite3_step(statement)
        let outcome: Outcome? = code == SQLITE_DONE ? (sqlite3_changes(connection) == 1 ? .inserted : .ignored) : nil
        let message = outcome == nil ? String(cString: sqlite3_errmsg(connection)) : ""
        // Reset at once (its repeat of a failed step's code is already known): the next row starts clean, and
        // no statement is left mid-step when the transaction commits.
        sqlite3_reset(statement)
        index = 0
        if let outcome { return outcome }
        if code & 0xFF == SQLITE_CONSTRAINT { return .refused(message) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
}
