// LazyCurl: libcurl loaded on first use.
//
// Why: libcurl drags in two dozen shared libraries (OpenSSL, GnuTLS, Kerberos, LDAP, SSH, ...)
// and curl_global_init initializes OpenSSL. Linked normally, the dynamic loader maps and
// relocates all of them before main, and together they were about 7.5 MiB of an idle
// `purse serve`'s 35 MiB resident set, for a server that may never make a request.
//
// So libcurl is not linked. This file defines every curl_* function the process calls (Purse's
// HTTP module, and FoundationNetworking, which the MCP SDK links) as a forwarder that loads
// libcurl with dlopen, runs curl_global_init once, and calls the real function. The first call
// pays the load (a few milliseconds, once per process); later calls cost one indirect call.
//
// The variadic setters forward their single argument with its real type, which libcurl encodes
// in the option number (CURLOPTTYPE_*), exactly as libcurl itself reads it.

#define CURL_DISABLE_TYPECHECK 1
// curl_url_get's handle became `const CURLU *` in newer headers; the forwarder is defined
// without the header's declaration in sight, so it compiles against either (same ABI).
#define curl_url_get purse_header_curl_url_get
#include "shim.h"
#undef curl_url_get

#include "lazy_load.h"
#include <dlfcn.h>
#include <stdint.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_pause)(CURL *, int);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    void (*free)(void *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLU *(*url)(void);
    void (*url_cleanup)(CURLU *);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(CURLU *, CURLUPart, char **, unsigned int);
    const char *(*url_strerror)(CURLUcode);
    char *(*version)(void);
    curl_version_info_data *(*version_info)(CURLversion);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_assign)(CURLM *, curl_socket_t, void *);
    CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    const char *(*multi_strerror)(CURLMcode);
} fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int usable;
static char load_error[256];
/// Set on the thread running curl_global_init: in a process where these forwarders are exported
/// (a dynamically linked build), libcurl's own calls to its public functions may land here, and
/// must not wait for the load they are part of.
static _Thread_local int loading;

#if defined(__APPLE__)
static const char *const candidates[] = {"libcurl.4.dylib", "/usr/lib/libcurl.4.dylib", NULL};
#else
static const char *const candidates[] = {"libcurl.so.4", "libcurl.so", NULL};
#endif

/// Before curl_global_init initializes OpenSSL: asks libcrypto not to load its error-reason
/// texts (OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS), a table of thousands of strings hashed into the
/// heap that cost every process 0.56 MiB of resident memory once it had paid (libcrypto 3.08 ->
/// 2.52 MiB after ten paid requests). libssl's texts still load, so a failed handshake still
/// reads "SSL routines::wrong version number", and certificate problems come with their own
/// texts ("SSL certificate problem: ..."); only libcrypto-level reasons (PEM, X509, EVP) show as
/// numbers, which `openssl errstr` decodes. Nothing changes when libcurl uses another TLS library.
static void skip_crypto_error_strings(void *curl) {
    int (*init_ssl)(uint64_t, const void *);
    *(void **)(&init_ssl) = dlsym(curl, "OPENSSL_init_ssl"); // found among libcurl's dependencies
    if (init_ssl) init_ssl(0x00000001ULL /* OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS */, NULL);
}

static void load(void) {
    void *lib = purse_lazy_open(candidates, "libcurl", load_error, sizeof load_error);
    if (!lib) return;
#define BIND(field, symbol)                                                                                   \
    do {                                                                                                      \
        *(void **)(&fn.field) = purse_lazy_symbol(lib, symbol, "libcurl", "too old?", load_error, sizeof load_error); \
        if (!fn.field) return;                                                                                \
    } while (0)
    BIND(global_init, "curl_global_init");
    BIND(easy_init, "curl_easy_init");
    BIND(easy_cleanup, "curl_easy_cleanup");
    BIND(easy_reset, "curl_easy_reset");
    BIND(easy_perform, "curl_easy_perform");
    BIND(easy_pause, "curl_easy_pause");
    BIND(easy_setopt, "curl_easy_setopt");
    BIND(easy_getinfo, "curl_easy_getinfo");
    BIND(easy_strerror, "curl_easy_strerror");
    BIND(free, "curl_free");
    BIND(slist_append, "curl_slist_append");
    BIND(slist_free_all, "curl_slist_free_all");
    BIND(url, "curl_url");
    BIND(url_cleanup, "curl_url_cleanup");
    BIND(url_set, "curl_url_set");
    BIND(url_get, "curl_url_get");
    BIND(url_strerror, "curl_url_strerror");
    BIND(version, "curl_version");
    BIND(version_info, "curl_version_info");
    BIND(multi_init, "curl_multi_init");
    BIND(multi_cleanup, "curl_multi_cleanup");
    BIND(multi_add_handle, "curl_multi_add_handle");
    BIND(multi_remove_handle, "curl_multi_remove_handle");
    BIND(multi_setopt, "curl_multi_setopt");
    BIND(multi_assign, "curl_multi_assign");
    BIND(multi_socket_action, "curl_multi_socket_action");
    BIND(multi_info_read, "curl_multi_info_read");
    BIND(multi_strerror, "curl_multi_strerror");
#undef BIND
    skip_crypto_error_strings(lib);
    loading = 1;
    CURLcode rc = fn.global_init(CURL_GLOBAL_ALL);
    loading = 0;
    if (rc != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed (%d)", (int)rc);
        return;
    }
    usable = 1;
}

int purse_curl_load(void) {
    if (loading) return 1;
    pthread_once(&once, load);
    return usable;
}

const char *purse_curl_load_error(void) { return purse_curl_load() ? NULL : load_error; }

// ---- The forwarders ------------------------------------------------------------------------

#define READY(failure)                                                                         \
    do {                                                                                       \
        if (!purse_curl_load()) return failure;                                                \
    } while (0)

CURLcode curl_global_init(long flags) {
    (void)flags; // purse_curl_load runs it once, with CURL_GLOBAL_ALL
    return purse_curl_load() ? CURLE_OK : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void) { READY(NULL); return fn.easy_init(); }
void curl_easy_cleanup(CURL *h) { if (purse_curl_load()) fn.easy_cleanup(h); }
void curl_easy_reset(CURL *h) { if (purse_curl_load()) fn.easy_reset(h); }
CURLcode curl_easy_perform(CURL *h) { READY(CURLE_FAILED_INIT); return fn.easy_perform(h); }
CURLcode curl_easy_pause(CURL *h, int mask) { READY(CURLE_FAILED_INIT); return fn.easy_pause(h, mask); }

CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...) {
    READY(CURLE_FAILED_INIT);
    va_list ap;
    va_start(ap, option);
    CURLcode rc;
    if (option < CURLOPTTYPE_OBJECTPOINT) rc = fn.easy_setopt(h, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT) rc = fn.easy_setopt(h, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T) rc = fn.easy_setopt(h, option, va_arg(ap, void (*)(void)));
    else if (option < CURLOPTTYPE_BLOB) rc = fn.easy_setopt(h, option, va_arg(ap, curl_off_t));
    else rc = fn.easy_setopt(h, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...) {
    READY(CURLE_FAILED_INIT);
    va_list ap;
    va_start(ap, info);
    void *out = va_arg(ap, void *); // every CURLINFO takes a pointer to where the answer goes
    va_end(ap);
    return fn.easy_getinfo(h, info, out);
}

const char *curl_easy_strerror(CURLcode code) { READY("libcurl could not be loaded"); return fn.easy_strerror(code); }
void curl_free(void *p) { if (purse_curl_load()) fn.free(p); }
struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s) { READY(NULL); return fn.slist_append(list, s); }
void curl_slist_free_all(struct curl_slist *list) { if (purse_curl_load()) fn.slist_free_all(list); }

CURLU *curl_url(void) { READY(NULL); return fn.url(); }
void curl_url_cleanup(CURLU *u) { if (purse_curl_load()) fn.url_cleanup(u); }
CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags) {
    READY(CURLUE_OUT_OF_MEMORY);
    return fn.url_set(u, what, part, flags);
}
CURLUcode curl_url_get(CURLU *u, CURLUPart what, char **part, unsigned int flags) {
    READY(CURLUE_OUT_OF_MEMORY);
    return fn.url_get(u, what, part, flags);
}
const char *curl_url_strerror(CURLUcode code) { READY("libcurl could not be loaded"); return fn.url_strerror(code); }

char *curl_version(void) { READY((char *)"libcurl (not loaded)"); return fn.version(); }
curl_version_info_data *curl_version_info(CURLversion v) { READY(NULL); return fn.version_info(v); }

CURLM *curl_multi_init(void) { READY(NULL); return fn.multi_init(); }
CURLMcode curl_multi_cleanup(CURLM *m) { READY(CURLM_INTERNAL_ERROR); return fn.multi_cleanup(m); }
CURLMcode curl_multi_add_handle(CURLM *m, CURL *h) { READY(CURLM_INTERNAL_ERROR); return fn.multi_add_handle(m, h); }
CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h) { READY(CURLM_INTERNAL_ERROR); return fn.multi_remove_handle(m, h); }

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption option, ...) {
    READY(CURLM_INTERNAL_ERROR);
    va_list ap;
    va_start(ap, option);
    CURLMcode rc;
    if (option < CURLOPTTYPE_OBJECTPOINT) rc = fn.multi_setopt(m, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT) rc = fn.multi_setopt(m, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T) rc = fn.multi_setopt(m, option, va_arg(ap, void (*)(void)));
    else rc = fn.multi_setopt(m, option, va_arg(ap, curl_off_t));
    va_end(ap);
    return rc;
}

CURLMcode curl_multi_assign(CURLM *m, curl_socket_t s, void *p) { READY(CURLM_INTERNAL_ERROR); return fn.multi_assign(m, s, p); }
CURLMcode curl_multi_socket_action(CURLM *m, curl_socket_t s, int mask, int *running) {
    READY(CURLM_INTERNAL_ERROR);
    return fn.multi_socket_action(m, s, mask, running);
}
CURLMsg *curl_multi_info_read(CURLM *m, int *left) { READY(NULL); return fn.multi_info_read(m, left); }
const char *curl_multi_strerror(CURLMcode code) { READY("libcurl could not be loaded"); return fn.multi_strerror(code); }
