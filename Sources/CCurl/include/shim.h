// Typed wrappers around libcurl's variadic setopt/getinfo, which Swift cannot call directly.
//
// libcurl is not linked: LazyCurl.c defines every curl_* function this process calls and loads
// libcurl (and its TLS and auth libraries) with dlopen on the first call, so that a process that
// never makes a request (an idle `purse serve`) never maps them.
#include <curl/curl.h>

/// Loads libcurl and runs curl_global_init(CURL_GLOBAL_ALL), once per process (thread-safe).
/// Returns 1 when libcurl is usable; 0 otherwise, with the reason in purse_curl_load_error().
int purse_curl_load(void);
/// Why libcurl could not be loaded (NULL when it was).
const char *purse_curl_load_error(void);

static inline CURLcode purse_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode purse_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode purse_curl_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode purse_curl_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode purse_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*purse_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode purse_curl_setopt_datacb(CURL *h, CURLoption o, purse_curl_data_cb v) { return curl_easy_setopt(h, o, v); }
typedef int (*purse_curl_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode purse_curl_setopt_xferinfocb(CURL *h, CURLoption o, purse_curl_xferinfo_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode purse_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode purse_curl_getinfo_str(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode purse_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
// Called once a connection is established or reused, just before the request is sent (7.80+).
// The HTTP module uses it to know whether any request bytes may have left.
typedef int (*purse_curl_prereq_cb)(void *clientp, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port, int conn_local_port);
static inline CURLcode purse_curl_setopt_prereqcb(CURL *h, CURLoption o, purse_curl_prereq_cb v) { return curl_easy_setopt(h, o, v); }
