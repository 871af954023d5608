import Foundation
import GRDB

/// Schema migrations: frozen SQL strings, never edited once shipped (add a new one instead).
/// They use no app types, so an old database always migrates the same way.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: v3)
        }
        // Foreign keys are off while it runs (GRDB's default), as SQLite's procedure for rebuilding a table asks.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6") { db in
            db.add(function: unhex)
            try db.execute(sql: v6)
            db.remove(function: unhex)
        }
        migrator.registerMigration("v7") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9") { db in
            try db.execute(sql: v9)
        }
        migrator.registerMigration("v10") { db in
            try db.execute(sql: v10)
        }
        migrator.registerMigration("v11") { db in
            try db.execute(sql: v11)
        }
        return migrator
    }

    /// `voc_unhex(text)`: the bytes a lowercase hex text spells (ids are `Digest.hex`); any other value as it is
    /// (SQLite 3.40, the system library here, has no `unhex`). Written out here rather than calling
    /// `Digest.appendBytes`, so the migration stays as it shipped whatever the app's code becomes.
    static let unhex = DatabaseFunction("voc_unhex", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]), !text.isEmpty, text.utf8.count % 2 == 0 else { return values[0] }
        var bytes: [UInt8] = []
        var high: UInt8?
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case 0x30...0x39: value = byte - 0x30
            case 0x61...0x66: value = byte - 0x57
            default: return values[0]
            }
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return Data(bytes)
    }

    static let v1 = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            version TEXT NOT NULL,
            command TEXT NOT NULL,
            seed INTEGER,
            lexicon_hashes TEXT NOT NULL DEFAULT '',
            parameters TEXT NOT NULL DEFAULT '',
            counts TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL CHECK (channel IN ('survey', 'email', 'chat', 'community', 'search')),
            external_id TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_position TEXT NOT NULL,
            received_at REAL NOT NULL,
            week TEXT NOT NULL CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
            customer TEXT,
            nps INTEGER CHECK (nps BETWEEN 0 AND 10),
            csat INTEGER CHECK (csat BETWEEN 1 AND 5),
            rating REAL CHECK (rating BETWEEN 0 AND 5),
            customer_value REAL,
            role TEXT CHECK (role IN ('customer', 'agent', 'bot', 'system')),
            language TEXT NOT NULL,
            set_aside TEXT,
            conversation TEXT,
            outcome TEXT CHECK (outcome IN ('unresolved', 'resolved', 'resolved_fast')),
            text TEXT NOT NULL,
            raw TEXT,
            attachments TEXT NOT NULL DEFAULT '',
            run_id INTEGER NOT NULL REFERENCES runs(id),
            UNIQUE (channel, external_id)
        );
        CREATE INDEX feedback_by_week ON feedback(week, channel);
        CREATE INDEX feedback_by_customer ON feedback(customer);
        CREATE VIRTUAL TABLE feedback_fts USING fts5(text, content='feedback', content_rowid='rowid', tokenize='porter unicode61');
        CREATE TRIGGER feedback_fts_insert AFTER INSERT ON feedback
        WHEN new.set_aside IS NULL AND (new.role IS NULL OR new.role = 'customer') BEGIN
            INSERT INTO feedback_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER feedback_fts_delete AFTER DELETE ON feedback
        WHEN old.set_aside IS NULL AND (old.role IS NULL OR old.role = 'customer') BEGIN
            INSERT INTO feedback_fts(feedback_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            channel TEXT,
            source_file TEXT NOT NULL,
            position TEXT NOT NULL,
            reason TEXT NOT NULL,
            raw BLOB NOT NULL,
            UNIQUE (source_file, position)
        );
        CREATE TABLE sentiment (
            feedback_id TEXT PRIMARY KEY REFERENCES feedback(id) ON DELETE CASCADE,
            compound REAL NOT NULL CHECK (compound BETWEEN -1 AND 1),
            positive REAL NOT NULL,
            neutral REAL NOT NULL,
            negative REAL NOT NULL,
            label TEXT NOT NULL CHECK (label IN ('positive', 'neutral', 'negative', 'unscored'))
        );
        CREATE TABLE themes (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            department TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('money_loss', 'serious', 'average', 'quality_or_treatment', 'minor')),
            curated INTEGER NOT NULL CHECK (curated IN (0, 1)),
            kind TEXT NOT NULL CHECK (kind IN ('voice', 'search')),
            keyphrases TEXT NOT NULL,
            signature TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE mentions (
            feedback_id TEXT NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
            sentence INTEGER NOT NULL,
            theme_id TEXT NOT NULL REFERENCES themes(id),
            week TEXT NOT NULL,
            compound REAL NOT NULL,
            PRIMARY KEY (feedback_id, sentence, theme_id)
        );
        CREATE INDEX mentions_by_theme ON mentions(theme_id, week);
        CREATE INDEX mentions_by_week ON mentions(week);
        CREATE TABLE theme_weeks (
            theme_id TEXT NOT NULL REFERENCES themes(id),
            week TEXT NOT NULL,
            messages INTEGER NOT NULL CHECK (messages >= 0),
            customers INTEGER NOT NULL CHECK (customers >= 0),
            negative_share REAL NOT NULL CHECK (negative_share BETWEEN 0 AND 1),
            representatives TEXT NOT NULL,
            PRIMARY KEY (theme_id, week)
        );
        CREATE TABLE impact (
            theme_id TEXT NOT NULL REFERENCES themes(id),
            week TEXT NOT NULL,
            parameters TEXT NOT NULL,
            rar_base REAL,
            figures TEXT NOT NULL,
            PRIMARY KEY (theme_id, week)
        );
        CREATE TABLE analyses (
            week TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            analysed INTEGER NOT NULL,
            not_english INTEGER NOT NULL,
            too_short INTEGER NOT NULL,
            other_theme INTEGER NOT NULL,
            set_aside INTEGER NOT NULL
        );
        """

    /// The full-text index is filled once per batch by `FeedbackStore.insert` instead of by a row trigger:
    /// measured 2.2x faster inserts (50,000 survey rows: 8,000 rows/s with the trigger, 18,100 without).
    static let v2 = """
        DROP TRIGGER feedback_fts_insert;
        """

    /// A theme's second level per week, and the history of themes merging and splitting.
    static let v3 = """
        CREATE TABLE subthemes (
            theme_id TEXT NOT NULL REFERENCES themes(id),
            week TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 1),
            label TEXT NOT NULL,
            keyphrases TEXT NOT NULL,
            messages INTEGER NOT NULL CHECK (messages >= 0),
            representatives TEXT NOT NULL,
            PRIMARY KEY (theme_id, week, position)
        );
        CREATE TABLE theme_events (
            week TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
            theme_id TEXT NOT NULL,
            other_id TEXT NOT NULL,
            similarity REAL NOT NULL,
            PRIMARY KEY (week, kind, theme_id, other_id)
        );
        """

    /// Feedback without the two indexes no query used, which were half of the store's insert time (1.7M rows
    /// copied into an empty store: 24.9 s with them, 16.3 s without). `id` is a hash of channel and natural id,
    /// so its primary key already refuses a second copy of a record; erasing a customer (`voc forget`) scans
    /// the table instead of an index. The table is rebuilt with the same rowids, which the full-text index uses.
    /// Checks against a list are written as `=` chains: an `IN` list made SQLite build a temporary table for
    /// every inserted row (the same copy: 11.8 s of CPU with `IN`, 7.5 s with `=` chains); same rule, NULL
    /// still passes. `sentiment` is rebuilt for its label check.
    static let v4 = """
        CREATE TABLE feedback_v4 (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL CHECK (channel = 'survey' OR channel = 'email' OR channel = 'chat' OR channel = 'community' OR channel = 'search'),
            external_id TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_position TEXT NOT NULL,
            received_at REAL NOT NULL,
            week TEXT NOT NULL CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
            customer TEXT,
            nps INTEGER CHECK (nps BETWEEN 0 AND 10),
            csat INTEGER CHECK (csat BETWEEN 1 AND 5),
            rating REAL CHECK (rating BETWEEN 0 AND 5),
            customer_value REAL,
            role TEXT CHECK (role = 'customer' OR role = 'agent' OR role = 'bot' OR role = 'system'),
            language TEXT NOT NULL,
            set_aside TEXT,
            conversation TEXT,
            outcome TEXT CHECK (outcome = 'unresolved' OR outcome = 'resolved' OR outcome = 'resolved_fast'),
            text TEXT NOT NULL,
            raw TEXT,
            attachments TEXT NOT NULL DEFAULT '',
            run_id INTEGER NOT NULL REFERENCES runs(id)
        );
        INSERT INTO feedback_v4(rowid, id, channel, external_id, source_file, source_position, received_at, week, customer,
            nps, csat, rating, customer_value, role, language, set_aside, conversation, outcome, text, raw, attachments, run_id)
        SELECT rowid, id, channel, external_id, source_file, source_position, received_at, week, customer,
            nps, csat, rating, customer_value, role, language, set_aside, conversation, outcome, text, raw, attachments, run_id
        FROM feedback ORDER BY rowid;
        DROP TABLE feedback;
        ALTER TABLE feedback_v4 RENAME TO feedback;
        CREATE INDEX feedback_by_week ON feedback(week, channel);
        CREATE TRIGGER feedback_fts_delete AFTER DELETE ON feedback
        WHEN old.set_aside IS NULL AND (old.role IS NULL OR old.role = 'customer') BEGIN
            INSERT INTO feedback_fts(feedback_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TABLE sentiment_v4 (
            feedback_id TEXT PRIMARY KEY REFERENCES feedback(id) ON DELETE CASCADE,
            compound REAL NOT NULL CHECK (compound BETWEEN -1 AND 1),
            positive REAL NOT NULL,
            neutral REAL NOT NULL,
            negative REAL NOT NULL,
            label TEXT NOT NULL CHECK (label = 'positive' OR label = 'neutral' OR label = 'negative' OR label = 'unscored')
        );
        INSERT INTO sentiment_v4 SELECT * FROM sentiment ORDER BY feedback_id;
        DROP TABLE sentiment;
        ALTER TABLE sentiment_v4 RENAME TO sentiment;
        """

    /// Sentiment and mentions keyed by the feedback row (its rowid) instead of its text id. Ids are hashes,
    /// so rows keyed by them landed on random index pages, and each insert also looked its feedback up by id
    /// for the foreign key: saving a week's 250,000 sentiments into the 1M store took 0.99 s keyed by id and
    /// 0.43 s by row (sqlite3 shell, the same rows in key order). The rowid of feedback is already stable: the
    /// full-text index is keyed by it, and v4 kept it when it rebuilt the table. Deleting feedback (`voc
    /// forget`) deletes its analysis rows by trigger, as the foreign key's ON DELETE CASCADE did.
    static let v5 = """
        CREATE TABLE sentiment_v5 (
            feedback INTEGER PRIMARY KEY,
            compound REAL NOT NULL CHECK (compound BETWEEN -1 AND 1),
            positive REAL NOT NULL,
            neutral REAL NOT NULL,
            negative REAL NOT NULL,
            label TEXT NOT NULL CHECK (label = 'positive' OR label = 'neutral' OR label = 'negative' OR label = 'unscored')
        );
        INSERT INTO sentiment_v5
        SELECT f.rowid, s.compound, s.positive, s.neutral, s.negative, s.label FROM sentiment s JOIN feedback f ON f.id = s.feedback_id
        ORDER BY f.rowid;
        DROP TABLE sentiment;
        ALTER TABLE sentiment_v5 RENAME TO sentiment;
        CREATE TABLE mentions_v5 (
            feedback INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            theme_id TEXT NOT NULL REFERENCES themes(id),
            week TEXT NOT NULL,
            compound REAL NOT NULL,
            PRIMARY KEY (feedback, sentence, theme_id)
        );
        INSERT INTO mentions_v5
        SELECT f.rowid, m.sentence, m.theme_id, m.week, m.compound FROM mentions m JOIN feedback f ON f.id = m.feedback_id
        ORDER BY f.rowid, m.sentence, m.theme_id;
        DROP TABLE mentions;
        ALTER TABLE mentions_v5 RENAME TO mentions;
        CREATE INDEX mentions_by_theme ON mentions(theme_id, week);
        CREATE INDEX mentions_by_week ON mentions(week);
        CREATE TRIGGER feedback_analysis_delete AFTER DELETE ON feedback BEGIN
            DELETE FROM sentiment WHERE feedback = old.rowid;
            DELETE FROM mentions WHERE feedback = old.rowid;
        END;
        """

    /// Ids stored as their 10 bytes instead of 20 hex characters. Ids are hashes, so every batch writes all
    /// over their index and every commit rewrites most of its pages (twice: WAL and checkpoint); in a store
    /// of 1.7M records that index was 11,808 pages. Rebuilt with the same rowids (the full-text index and the
    /// analysis tables use them); the two triggers go with the old table and are made again.
    static let v6 = """
        CREATE TABLE feedback_v6 (
            id BLOB PRIMARY KEY,
            channel TEXT NOT NULL CHECK (channel = 'survey' OR channel = 'email' OR channel = 'chat' OR channel = 'community' OR channel = 'search'),
            external_id TEXT NOT NULL,
            source_file TEXT NOT NULL,
            source_position TEXT NOT NULL,
            received_at REAL NOT NULL,
            week TEXT NOT NULL CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
            customer TEXT,
            nps INTEGER CHECK (nps BETWEEN 0 AND 10),
            csat INTEGER CHECK (csat BETWEEN 1 AND 5),
            rating REAL CHECK (rating BETWEEN 0 AND 5),
            customer_value REAL,
            role TEXT CHECK (role = 'customer' OR role = 'agent' OR role = 'bot' OR role = 'system'),
            language TEXT NOT NULL,
            set_aside TEXT,
            conversation TEXT,
            outcome TEXT CHECK (outcome = 'unresolved' OR outcome = 'resolved' OR outcome = 'resolved_fast'),
            text TEXT NOT NULL,
            raw TEXT,
            attachments TEXT NOT NULL DEFAULT '',
            run_id INTEGER NOT NULL REFERENCES runs(id)
        );
        INSERT INTO feedback_v6(rowid, id, channel, external_id, source_file, source_position, received_at, week, customer,
            nps, csat, rating, customer_value, role, language, set_aside, conversation, outcome, text, raw, attachments, run_id)
        SELECT rowid, voc_unhex(id), channel, external_id, source_file, source_position, received_at, week, customer,
            nps, csat, rating, customer_value, role, language, set_aside, conversation, outcome, text, raw, attachments, run_id
        FROM feedback ORDER BY rowid;
        DROP TABLE feedback;
        ALTER TABLE feedback_v6 RENAME TO feedback;
        CREATE INDEX feedback_by_week ON feedback(week, channel);
        CREATE TRIGGER feedback_fts_delete AFTER DELETE ON feedback
        WHEN old.set_aside IS NULL AND (old.role IS NULL OR old.role = 'customer') BEGIN
            INSERT INTO feedback_fts(feedback_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER feedback_analysis_delete AFTER DELETE ON feedback BEGIN
            DELETE FROM sentiment WHERE feedback = old.rowid;
            DELETE FROM mentions WHERE feedback = old.rowid;
        END;
        """

    /// The full-text index without its table of document sizes (`columnsize=0`). That table took a B-tree
    /// insert per indexed message: about half of the index's cost, and an eighth to a fifth of the work of the
    /// ingest writer (the thread a large ingest waits for). 1M corpus search logs 1.73 -> 1.53 s, surveys
    /// 4.23 -> 3.61 s. Ranking now counts the words of each matching message as it ranks (a search with
    /// 52,000 matches in a 1.3M-record store: 73 -> 138 ms). The index is made again from the customer voice
    /// already stored.
    static let v7 = """
        DROP TABLE feedback_fts;
        CREATE VIRTUAL TABLE feedback_fts USING fts5(text, content='feedback', content_rowid='rowid', tokenize='porter unicode61', columnsize=0);
        INSERT INTO feedback_fts(rowid, text) SELECT rowid, text FROM feedback WHERE set_aside IS NULL AND (role IS NULL OR role = 'customer');
        """

    /// A quarantined record is resolved, not deleted, once its file is read again in full without it (the
    /// record was repaired and stored, or removed): `seen_run` is the last run that refused it again,
    /// `resolved_run` the run that no longer met it. The raw bytes stay.
    static let v8 = """
        ALTER TABLE quarantine ADD COLUMN seen_run INTEGER REFERENCES runs(id);
        ALTER TABLE quarantine ADD COLUMN resolved_run INTEGER REFERENCES runs(id);
        """

    /// A quarantined record is known by where its file is (`source_key`, the path with symbolic links and
    /// "." and ".." resolved), not by the path that named it: read again through another path, the same
    /// record was kept twice and never resolved. `source_file` stays as given, for messages. Rows kept
    /// before take their path as their key (where it pointed then is not known).
    static let v9 = """
        CREATE TABLE quarantine_v9 (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            channel TEXT,
            source_file TEXT NOT NULL,
            source_key TEXT NOT NULL,
            position TEXT NOT NULL,
            reason TEXT NOT NULL,
            raw BLOB NOT NULL,
            seen_run INTEGER REFERENCES runs(id),
            resolved_run INTEGER REFERENCES runs(id),
            UNIQUE (source_key, position)
        );
        INSERT INTO quarantine_v9(id, run_id, channel, source_file, source_key, position, reason, raw, seen_run, resolved_run)
            SELECT id, run_id, channel, source_file, source_file, position, reason, raw, seen_run, resolved_run FROM quarantine;
        DROP TABLE quarantine;
        ALTER TABLE quarantine_v9 RENAME TO quarantine;
        """

    /// The impact parameters each week's figures were computed with, by the fingerprint `impact.parameters`
    /// holds: a report shows the parameters that made its figures, whatever configuration is found later.
    static let v10 = """
        CREATE TABLE impact_parameters (
            fingerprint TEXT PRIMARY KEY,
            parameters TEXT NOT NULL
        );
        """

    /// Settings the stored figures depend on, kept with them: `timezone`, the zone the weeks are counted in.
    static let v11 = """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
}
