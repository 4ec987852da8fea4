#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// Function pointers filled by ccurl_load. The typeof() of each real declaration keeps their
// signatures in step with the installed header.
static struct {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
    __typeof__(curl_version) *version;
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int load_status = -1;

static void *find(void *library, const char *name) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL && load_error[0] == '\0') {
        snprintf(load_error, sizeof load_error, "libcurl lacks %s", name);
    }
    return symbol;
}

static void load(void) {
    // libcurl.so.4 is Debian's libcurl4 (OpenSSL); libcurl-gnutls.so.4 comes with git.
    static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && library == NULL; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        snprintf(load_error, sizeof load_error,
                 "libcurl is not installed (no libcurl.so.4); install it with: apt install libcurl4");
        return;
    }
    api.global_init = find(library, "curl_global_init");
    api.easy_init = find(library, "curl_easy_init");
    api.easy_cleanup = find(library, "curl_easy_cleanup");
    api.easy_perform = find(library, "curl_easy_perform");
    api.easy_strerror = find(library, "curl_easy_strerror");
    api.easy_setopt = find(library, "curl_easy_setopt");
    api.easy_getinfo = find(library, "curl_easy_getinfo");
    api.slist_append = find(library, "curl_slist_append");
    api.slist_free_all = find(library, "curl_slist_free_all");
    api.version = find(library, "curl_version");
    if (load_error[0] != '\0') return;
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl failed to initialise");
        return;
    }
    load_status = 0;
}

int ccurl_load(char *error, size_t error_length) {
    pthread_once(&load_once, load);
    if (load_status != 0 && error != NULL && error_length > 0) {
        snprintf(error, error_length, "%s", load_error);
    }
    return load_status;
}

CURL *ccurl_easy_init(void) { return api.easy_init(); }
void ccurl_easy_cleanup(CURL *handle) { api.easy_cleanup(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return api.easy_perform(handle); }
const char *ccurl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return api.easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return api.easy_setopt(handle, option, list);
}
CURLcode ccurl_setopt_write_function(CURL *handle, ccurl_write_callback callback, void *context) {
    CURLcode code = api.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    return code != CURLE_OK ? code : api.easy_setopt(handle, CURLOPT_WRITEDATA, context);
}

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return api.easy_getinfo(handle, info, value);
}
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return api.easy_getinfo(handle, info, value);
}

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    return api.slist_append(list, text);
}
void ccurl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }

const char *ccurl_version(void) { return api.version(); }
