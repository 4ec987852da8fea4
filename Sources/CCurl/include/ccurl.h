// libcurl, loaded at run time. The helper links no libcurl so that a cached `get` (most calls)
// does not pay for loading it and its TLS stack; the first exchange calls ccurl_load().
// curl_easy_setopt/getinfo are C-variadic, which Swift cannot call: each argument type gets a
// typed wrapper here. Only the ccurl_* functions may be called from Swift.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>
#include <stddef.h>

// Loads libcurl.so.4 (or Debian's libcurl-gnutls.so.4) once and initialises it. Returns 0 on
// success; otherwise writes a reason into `error` and returns -1. Safe to call repeatedly.
int ccurl_load(char *error, size_t error_length);

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
CURLcode ccurl_easy_perform(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list);

// The body sink: `callback` gets each piece of the response body with `context`.
typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *context);
CURLcode ccurl_setopt_write_function(CURL *handle, ccurl_write_callback callback, void *context);

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
void ccurl_slist_free_all(struct curl_slist *list);

// "libcurl/7.88.1 OpenSSL/3.0.x ..." for `doctor` and -v.
const char *ccurl_version(void);

#endif
