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
