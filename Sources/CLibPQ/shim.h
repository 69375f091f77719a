// libpq (Debian: libpq-dev) for the PostgresClient module, plus what Swift cannot import directly.
#include <libpq-fe.h>

// The PG_DIAG_* field codes are character-literal macros; these give them to Swift as ints.
static inline int purse_pq_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int purse_pq_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
static inline int purse_pq_diag_message_detail(void) { return PG_DIAG_MESSAGE_DETAIL; }
static inline int purse_pq_diag_constraint_name(void) { return PG_DIAG_CONSTRAINT_NAME; }

// libpq's default notice processor prints NOTICE/WARNING messages to stderr; Purse keeps stderr
// for its own logs, so a connection drops them.
static inline void purse_pq_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }
static inline void purse_pq_silence_notices(PGconn *conn) { PQsetNoticeProcessor(conn, purse_pq_ignore_notice, 0); }
