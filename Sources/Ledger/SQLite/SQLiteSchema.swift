import GRDB

/// The ledger's migrations; identifiers are `v1`, `v2`, ... and never change once shipped.
enum SQLiteSchema {
    /// The migrator with every known migration.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id TEXT PRIMARY KEY NOT NULL,
                    started_at INTEGER NOT NULL,          -- Unix milliseconds
                    kind TEXT NOT NULL,
                    label TEXT,
                    client_name TEXT,
                    pid INTEGER NOT NULL
                );
                CREATE INDEX session_started_at ON session(started_at);
                CREATE TABLE payment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES session(id),
                    created_at INTEGER NOT NULL,          -- Unix milliseconds
                    updated_at INTEGER NOT NULL,
                    method TEXT NOT NULL,
                    url TEXT NOT NULL,
                    host TEXT NOT NULL,                   -- lower-case
                    network TEXT NOT NULL,                -- CAIP-2
                    asset TEXT NOT NULL,
                    asset_symbol TEXT NOT NULL,
                    decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 36),
                    pay_to TEXT NOT NULL,
                    amount_atomic INTEGER NOT NULL CHECK (amount_atomic >= 0),
                    micros INTEGER NOT NULL CHECK (micros >= 0),
                    scheme TEXT NOT NULL,
                    x402_version INTEGER NOT NULL,
                    nonce TEXT NOT NULL,
                    valid_before INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('reserved','sent','settled','failed','unknown')),
                    tx_hash TEXT,
                    payer TEXT NOT NULL,
                    error TEXT,
                    http_status INTEGER
                );
                CREATE INDEX payment_created_at ON payment(created_at);
                CREATE INDEX payment_session_id ON payment(session_id);
                CREATE INDEX payment_host_created_at ON payment(host, created_at);
                CREATE INDEX payment_status ON payment(status);
                """)
        }
        // The budget sums run inside every reservation's write lock: covering indexes let each
        // SUM read only the index (status and micros included) instead of one table row per
        // payment in the window, which shortens the time the lock is held under contention.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                DROP INDEX payment_created_at;
                DROP INDEX payment_session_id;
                DROP INDEX payment_host_created_at;
                CREATE INDEX payment_created_at ON payment(created_at, status, micros);
                CREATE INDEX payment_session_id ON payment(session_id, status, micros);
                CREATE INDEX payment_host_created_at ON payment(host, created_at, status, micros);
                """)
        }
        // Sessions record the machine that ran them, so that a ledger shared by several
        // machines (or copied into PostgreSQL) can say where each spend came from.
        m.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE session ADD COLUMN machine TEXT")
        }
        // x402 extensions: the payment-identifier id and the resource (origin + path, for
        // sign-in lookups) are stored with the reservation, before anything is signed; the exact
        // signed payload when it leaves; the seller's signed offer and receipt as evidence.
        // Plain text columns, so every ledger backend can hold the same state.
        m.registerMigration("v4") { db in
            try db.execute(sql: """
                ALTER TABLE payment ADD COLUMN payment_id TEXT;
                ALTER TABLE payment ADD COLUMN resource TEXT;
                ALTER TABLE payment ADD COLUMN offer TEXT;
                ALTER TABLE payment ADD COLUMN signed_payload TEXT;
                ALTER TABLE payment ADD COLUMN receipt TEXT;
                CREATE INDEX payment_resource ON payment(resource, payer, status);
                """)
        }
        // Terminal approvals (`purse approve`): payments above confirmAbove that a human approves
        // from a shell because the MCP client cannot ask. They live in the ledger so that the CLI
        // and any `serve` process (including one started after a restart) see the same answer,
        // and so that using one is atomic with every other process. Plain columns: integer money
        // in the token's smallest unit, UTC milliseconds.
        m.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE approval (
                    id TEXT PRIMARY KEY NOT NULL,         -- apr_ + 24 hex
                    session_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,          -- Unix milliseconds
                    expires_at INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending','approved','denied','used')),
                    decided_at INTEGER,
                    used_at INTEGER,
                    used_nonce TEXT,
                    method TEXT NOT NULL,
                    url TEXT NOT NULL,
                    host TEXT NOT NULL,
                    network TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    asset_symbol TEXT NOT NULL,
                    decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 36),
                    pay_to TEXT NOT NULL,
                    payer TEXT NOT NULL,
                    amount_atomic INTEGER NOT NULL CHECK (amount_atomic >= 0),
                    micros INTEGER NOT NULL CHECK (micros >= 0),
                    payment_flow TEXT NOT NULL
                );
                CREATE INDEX approval_status_created_at ON approval(status, created_at);
                """)
        }
        // Payments of other schemes and chains: the authorization reference's kind (`eip3009`,
        // `permit2`; its value stays in `nonce`), and for payments settled for their actual amount
        // (`upto`) the signed maximum, whose word the settled amount is, and why. Existing rows are
        // EIP-3009 with a fixed amount. Plain columns, so every ledger backend can hold the same state.
        m.registerMigration("v6") { db in
            try db.execute(sql: """
                ALTER TABLE payment ADD COLUMN authorization_kind TEXT NOT NULL DEFAULT 'eip3009';
                ALTER TABLE payment ADD COLUMN max_amount_atomic INTEGER CHECK (max_amount_atomic IS NULL OR max_amount_atomic >= 0);
                ALTER TABLE payment ADD COLUMN amount_source TEXT CHECK (amount_source IS NULL OR amount_source IN ('receipt','chain','maximum'));
                ALTER TABLE payment ADD COLUMN amount_note TEXT;
                """)
        }
        // Reconcile claims (`claimUnresolved`): which reconcile handles an unresolved row, until
        // when, so that several reconciles never handle one row twice.
        m.registerMigration("v7") { db in
            try db.execute(sql: """
                ALTER TABLE payment ADD COLUMN claimed_by TEXT;
                ALTER TABLE payment ADD COLUMN claimed_until INTEGER;
                """)
        }
        // Running budget totals (`BudgetTotalsSQL`), kept by triggers: a reservation read every
        // counting payment of its session and of the rolling 24 hours, three sums inside the
        // write lock, so its time grew with the day's payments. Triggers keep the totals in the
        // same transaction as every insert and every change of status or amount, whoever writes
        // (this build, an older one still running, `ledger copy`), so nothing can forget them.
        // The minute totals are keyed minute first: the day's sum reads a range of minutes.
        m.registerMigration("v8") { db in
            try db.execute(sql: """
                CREATE TABLE budget_minute (
                    minute INTEGER NOT NULL,              -- created_at / 60000 of the payments counted
                    host TEXT NOT NULL,
                    micros INTEGER NOT NULL,
                    PRIMARY KEY (minute, host)
                ) WITHOUT ROWID;
                ALTER TABLE session ADD COLUMN spent_micros INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE session ADD COLUMN pending_micros INTEGER NOT NULL DEFAULT 0;
                INSERT INTO budget_minute (minute, host, micros) SELECT minute, host, micros FROM (\(BudgetTotalsSQL.minuteSums));
                UPDATE session SET
                    spent_micros = COALESCE((SELECT t.spent FROM (\(BudgetTotalsSQL.sessionSums)) t WHERE t.session_id = session.id), 0),
                    pending_micros = COALESCE((SELECT t.pending FROM (\(BudgetTotalsSQL.sessionSums)) t WHERE t.session_id = session.id), 0);
                \(totalsTriggers)
                """)
        }
        // Fewer index pages per write (`PaymentIndexSQL`): `reserved → sent`, on the paid
        // request's path, wrote six b-tree pages, and the durable reservation's commit nine; now
        // two and seven.
        m.registerMigration("v9") { db in
            try db.execute(sql: """
                DROP INDEX payment_created_at;
                DROP INDEX payment_session_id;
                DROP INDEX payment_host_created_at;
                DROP INDEX payment_status;
                DROP INDEX payment_resource;
                \(PaymentIndexSQL.create)
                """)
        }
        // Status conditions spelled as equalities (`PaymentStatusSQL`): SQLite built a temporary
        // b-tree for each `IN` list of three statuses, every time it ran, about fifteen per paid
        // request between the totals' triggers and the open-rows index. Both are restated; what
        // they compute and which rows the index holds are unchanged.
        m.registerMigration("v10") { db in
            try db.execute(sql: """
                DROP INDEX payment_open;
                \(PaymentIndexSQL.createOpen)
                \(["insert", "update", "delete"].map { "DROP TRIGGER budget_minute_\($0); DROP TRIGGER session_totals_\($0);" }.joined(separator: "\n"))
                \(totalsTriggers)
                """)
        }
        return m
    }()

    /// The totals' triggers on every change of a payment (migration v8, restated by v10).
    private static let totalsTriggers = """
        \(totalsTrigger("insert", on: "AFTER INSERT ON payment", new: "NEW", old: nil))
        \(totalsTrigger("update", on: "AFTER UPDATE OF status, micros ON payment", new: "NEW", old: "OLD"))
        \(totalsTrigger("delete", on: "AFTER DELETE ON payment", new: nil, old: "OLD"))
        """

    /// The two triggers that move the totals by what a payment's change adds (`new`) and takes
    /// away (`old`): the minute total only when what the row counts changes, the session's when
    /// what it counts or has pending does (so `reserved → sent` writes no total at all).
    private static func totalsTrigger(_ name: String, on event: String, new: String?, old: String?) -> String {
        let row = new ?? old!
        func delta(_ micros: (String) -> String) -> String {
            "(\(new.map(micros) ?? "0") - \(old.map(micros) ?? "0"))"
        }
        let counted = delta(BudgetTotalsSQL.countedMicros), pending = delta(BudgetTotalsSQL.pendingMicros)
        return """
            CREATE TRIGGER budget_minute_\(name) \(event) WHEN \(counted) <> 0 BEGIN
                INSERT INTO budget_minute (minute, host, micros) VALUES (\(row).created_at / 60000, \(row).host, \(counted))
                    ON CONFLICT (minute, host) DO UPDATE SET micros = micros + excluded.micros;
            END;
            CREATE TRIGGER session_totals_\(name) \(event) WHEN \(counted) <> 0 OR \(pending) <> 0 BEGIN
                UPDATE session SET spent_micros = spent_micros + \(counted), pending_micros = pending_micros + \(pending)
                    WHERE id = \(row).session_id;
            END;
            """
    }

    /// The identifiers this build knows.
    static var known: Set<String> { Set(migrator.migrations) }
}
