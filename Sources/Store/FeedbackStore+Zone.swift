import GRDB
public import Ingest

extension FeedbackStore {
    /// The time zone this store's weeks are counted in: the one recorded when its first feedback came in with
    /// a `timezone` setting, else UTC (a store filled before the setting, or an empty one).
    public func zone() throws -> LocalZone {
        try writer.read(Self.zone)
    }

    static func zone(_ db: Database) throws -> LocalZone {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'timezone'").flatMap(LocalZone.init(identifier:)) ?? .utc
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
