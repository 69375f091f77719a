#include "lazy_load.h"

#include <dlfcn.h>
#include <stdio.h>

void *purse_lazy_open(const char *const *names, const char *what, char *error, size_t size) {
    void *lib = NULL;
    for (const char *const *name = names; *name && !lib; name++) lib = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(error, size, "%s could not be loaded: %s", what, why ? why : "not found");
    }
    return lib;
}

void *purse_lazy_symbol(void *lib, const char *symbol, const char *what, const char *hint, char *error, size_t size) {
    void *address = dlsym(lib, symbol);
    if (!address) snprintf(error, size, "%s has no %s (%s)", what, symbol, hint);
    return address;
}

// GnuTLS's implicit initialization, skipped. Debian's libcurl and libpq reach libgnutls only
// through librtmp and libldap, and Purse speaks neither RTMP nor LDAP (its TLS is libcurl's
// OpenSSL); yet on load libgnutls's constructor initialized GnuTLS for the whole process: its
// random generator, ASN.1 trees and the p11-kit trust modules, about 0.6 MiB resident from the
// first paid request on. This is GnuTLS's documented opt-out (GNUTLS_SKIP_GLOBAL_INIT in
// gnutls.h): the constructor calls _gnutls_global_init_skip, which the process overrides
// (Package.swift exports it, so the loader binds libgnutls's call here). Not the environment
// variable GNUTLS_NO_IMPLICIT_INIT: setting it at the first request would race other threads'
// getenv, and children (upstream MCP servers) would inherit it. A library that uses GnuTLS
// still calls gnutls_global_init itself first (librtmp and libldap both do), so nothing that
// needs GnuTLS goes without it.
int _gnutls_global_init_skip(void);
__attribute__((visibility("default"), used)) int _gnutls_global_init_skip(void) { return 1; }
