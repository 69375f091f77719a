// libpq (Debian: libpq-dev) for the PostgresClient module, plus what Swift cannot import directly.
//
// libpq is not linked: LazyPQ.c defines every PQ* function this process calls and loads libpq
// (and its TLS, Kerberos and LDAP libraries) with dlopen on the first call, so that a process
// whose ledger is a SQLite file never maps them.
#include <postgresql/libpq-fe.h>

/// Loads libpq, once per process (thread-safe). Returns 1 when it is usable; 0 otherwise, with
/// the reason in purse_pq_load_error().
int purse_pq_load(void);
/// Why libpq could not be loaded (NULL when it was).
const char *purse_pq_load_error(void);

// The PG_DIAG_* field codes are character-literal macros; these give them to Swift as ints.
static inline int purse_pq_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int purse_pq_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
static inline int purse_pq_diag_message_detail(void) { return PG_DIAG_MESSAGE_DETAIL; }
static inline int purse_pq_diag_constraint_name(void) { return PG_DIAG_CONSTRAINT_NAME; }

// libpq's default notice processor prints NOTICE/WARNING messages to stderr; Purse keeps stderr
// for its own logs, so a connection drops them.
static inline void purse_pq_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }
static inline void purse_pq_silence_notices(PGconn *conn) { PQsetNoticeProcessor(conn, purse_pq_ignore_notice, 0); }
