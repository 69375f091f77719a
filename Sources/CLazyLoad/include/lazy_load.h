// Loading a shared library on first use (dlopen), for the C libraries that drag in TLS,
// Kerberos and LDAP stacks that an idle process must not map: libcurl (CCurl/LazyCurl.c) and
// libpq (CLibPQ/LazyPQ.c). Each keeps its own table of functions; this is the part they share.
#ifndef PURSE_LAZY_LOAD_H
#define PURSE_LAZY_LOAD_H

#include <stddef.h>

/// Opens the first of `names` (NULL-terminated) that loads, with RTLD_NOW | RTLD_LOCAL. On
/// failure returns NULL and writes "<what> could not be loaded: <the loader's reason>" to `error`.
void *purse_lazy_open(const char *const *names, const char *what, char *error, size_t size);

/// The address of `symbol` in `lib`, or NULL after writing "<what> has no <symbol> (<hint>)" to
/// `error` (a library too old for what this process calls).
void *purse_lazy_symbol(void *lib, const char *symbol, const char *what, const char *hint, char *error, size_t size);

#endif
