import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    public func startSession(kind: String, label: String?, clientName: String?, now: Date) throws(LedgerError) -> SessionRecord {
        guard !kind.isEmpty else { throw .invalidArgument("session kind is empty") }
        let record = SessionRecord(id: SessionRecord.newID(), startedAt: Self.date(Self.millis(now)), kind: kind, label: label,
                                   clientName: clientName, pid: getpid(), machine: MachineName.current)
        try write { db in try record.insert(db) }
        return record
    }

    public func setClientName(sessionID: String, name: String) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "UPDATE session SET client_name = ? WHERE id = ?", arguments: [name, sessionID])
            if db.changesCount == 0 { throw LedgerError.unknownSession(sessionID) }
        }
    }

    public func sessions() throws(LedgerError) -> [SessionRecord] {
        try read { db in try sessionRows(db, "SELECT * FROM session ORDER BY started_at DESC, rowid DESC") }
    }
}
