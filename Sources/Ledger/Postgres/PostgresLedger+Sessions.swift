import Foundation
import PurseCore

extension PostgresLedger {
    public func startSession(kind: String, label: String?, clientName: String?, now: Date) throws(LedgerError) -> SessionRecord {
        guard !kind.isEmpty else { throw .invalidArgument("session kind is empty") }
        let record = SessionRecord(id: SessionRecord.newID(), startedAt: LedgerTime.date(LedgerTime.millis(now)), kind: kind, label: label,
                                   clientName: clientName, pid: getpid(), machine: MachineName.current)
        try transaction { tx in
            try tx.query("""
                INSERT INTO session (id, started_at, kind, label, client_name, pid, machine) VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [record.id, Self.text(LedgerTime.millis(record.startedAt)), kind, label, clientName, Self.text(Int(record.pid)),
                      record.machine])
        }
        return record
    }

    public func setClientName(sessionID: String, name: String) throws(LedgerError) {
        let changed = try transaction { tx in
            try tx.query("UPDATE session SET client_name = $1 WHERE id = $2", [name, sessionID]).affectedRows ?? 0
        }
        if changed == 0 { throw .unknownSession(sessionID) }
    }

    public func sessions() throws(LedgerError) -> [SessionRecord] {
        let rows = try read("SELECT * FROM session ORDER BY started_at DESC, id DESC")
        var out: [SessionRecord] = []
        for row in rows.stored(location: location) { out.append(try SessionRowDecoder.record(row, location: location)) }
        return out
    }
}
