import GRDB
public import Ingest

extension FeedbackStore {
    /// The time zone this store's weeks are counted in, as recorded when its first feedback came in with a
    /// `timezone` setting; nil when none was recorded (its weeks are in UTC, if it holds any).
    public func zone() throws -> LocalZone? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'timezone'")
        }.flatMap(LocalZone.init(identifier:))
    }

    /// Records the zone the store's weeks are counted in (the caller checks that none are counted yet).
    public func record(zone: LocalZone) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO settings VALUES ('timezone', ?)", arguments: [zone.identifier])
        }
    }

    /// Whether any feedback is stored (then its weeks are counted already).
    public func holdsFeedback() throws -> Bool {
        try writer.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM feedback)") ?? false }
    }
}
