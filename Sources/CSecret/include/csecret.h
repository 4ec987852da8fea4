// libsecret, loaded at run time. The helper links neither libsecret nor GLib, so that it starts
// where they are not installed (servers, containers) and a cached `get` never pays for loading
// them; the Secret Service store calls csecret_load() first. GLib, GObject and GIO functions are
// found through the libsecret handle, whose dependencies they are.
//
// Every call that talks to the daemon takes a time limit. A watchdog thread enforces it: where no
// prompt can be pending it first cancels the call (a clean error), and if the call still has not
// returned one second later, or at once where a prompt may be pending (cancelling a pending
// prompt hangs libsecret 0.20.5 for good), it writes `hang_message` to stderr and ends the
// process with status 4.
//
// No GLib header is needed to build this: the few types and constants used are declared in
// csecret.c, after libsecret's and GLib's stable ABI. Only the csecret_* names below may be
// used from Swift.
#ifndef CSECRET_H
#define CSECRET_H

#include <stddef.h>

typedef enum {
    CSECRET_OK = 0,
    // No item matched (and no matching item was locked).
    CSECRET_NOT_FOUND,
    // The bus address could not be reached.
    CSECRET_NO_BUS,
    // Nothing on the bus owns org.freedesktop.secrets, and D-Bus activation did not start it.
    CSECRET_NO_SERVICE,
    CSECRET_NO_DEFAULT_COLLECTION,
    CSECRET_LOCKED,
    // The person dismissed the unlock prompt.
    CSECRET_DISMISSED,
    CSECRET_TIMED_OUT,
    CSECRET_FAILED,
} csecret_status;

// What went wrong: the category, and libsecret's or D-Bus's own words for `-v` and for
// failures no category covers. Never holds a secret.
typedef struct {
    csecret_status status;
    char detail[512];
} csecret_result;

typedef enum {
    CSECRET_COLLECTION_MISSING = 0,
    CSECRET_COLLECTION_LOCKED = 1,
    CSECRET_COLLECTION_UNLOCKED = 2,
} csecret_collection_state;

// One connection to the Secret Service on one bus, with its default collection.
typedef struct csecret_connection csecret_connection;

// A secret read from an item, in libsecret's wiped, non-pageable memory.
typedef struct csecret_secret csecret_secret;

// Loads libsecret-1.so.0 once. Returns 0 on success; otherwise writes a reason into `error` and
// returns -1. Safe to call repeatedly and from several threads.
int csecret_load(char *error, size_t error_length);

// Connects to the bus at `bus_address` (never autolaunching one), reaches the Secret Service
// and looks up its default collection. NULL on failure, with `result` saying why.
csecret_connection *csecret_connect(const char *bus_address, double seconds, const char *hang_message,
                                    csecret_result *result);

// Ends the connection; `connection` may be NULL.
void csecret_disconnect(csecret_connection *connection);

// The default collection as seen at connect time (or after csecret_unlock).
csecret_collection_state csecret_default_collection_state(const csecret_connection *connection);

// Shows the Secret Service's unlock prompt for the default collection and waits for the person.
// Never cancelled: only the watchdog bounds it.
csecret_status csecret_unlock(csecret_connection *connection, double seconds, const char *hang_message,
                              csecret_result *result);

// Items are described by a schema name and attributes given as a NULL-terminated list of
// name, value, name, value... (at most 31 pairs). `may_cancel` is 0 when a prompt may be pending.

// The secret of the most recently modified unlocked item that matches, without ever unlocking
// (a matching locked item gives CSECRET_LOCKED, never CSECRET_NOT_FOUND).
csecret_status csecret_lookup(csecret_connection *connection, const char *schema, const char *const *attributes,
                              double seconds, int may_cancel, const char *hang_message, csecret_secret **secret,
                              csecret_result *result);

const unsigned char *csecret_secret_bytes(const csecret_secret *secret, size_t *length);

// Wipes and frees; `secret` may be NULL.
void csecret_secret_free(csecret_secret *secret);

// Stores an item in the default collection, replacing the one with the same attributes, then
// removes other items that match `match_attributes` (an older item for the same profile with
// other attributes), so exactly one remains. The new item is written before any old one goes.
csecret_status csecret_store(csecret_connection *connection, const char *schema, const char *const *attributes,
                             const char *const *match_attributes, const char *label, const void *secret,
                             size_t secret_length, const char *content_type, double seconds, int may_cancel,
                             const char *hang_message, csecret_result *result);

// Deletes every item that matches; CSECRET_OK when none did. Deletes nothing when a matching item
// is locked (CSECRET_LOCKED), since deleting it could prompt.
csecret_status csecret_clear(csecret_connection *connection, const char *schema, const char *const *attributes,
                             double seconds, int may_cancel, const char *hang_message, csecret_result *result);

#endif
