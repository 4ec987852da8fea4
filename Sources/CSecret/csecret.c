#include "csecret.h"
#include "libsecret_abi.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static abi_functions api;

// MARK: loading

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int load_status = -1;

static void *find(void *library, const char *name, int required) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL && required && load_error[0] == '\0') {
        snprintf(load_error, sizeof load_error, "libsecret-1.so.0 or the GLib it loaded lacks %s", name);
    }
    return symbol;
}

// MARK: a SecretService on a connection of our choosing

// libsecret's SecretService always reaches the session bus through GLib's process-wide
// singleton, which autolaunches an X11 bus when DBUS_SESSION_BUS_ADDRESS is unset and can serve
// only one bus per process. libsecret supports classes derived from SecretService
// (secret_service_open takes their GType); ours, after the parent constructor has chosen the
// session bus, binds the proxy to the connection we opened instead. Collections, items and
// prompts all follow the service's connection. GObject lets a constructor set construct-only
// properties, which is how the parent sets the bus in the first place.
static abi_GType bound_service_type;
static abi_GObjectConstructor parent_constructor;
static _Thread_local abi_GDBusConnection *connection_being_bound;

static void *bound_service_constructor(abi_GType type, unsigned count, void *parameters) {
    void *object = parent_constructor(type, count, parameters);
    if (object != NULL && connection_being_bound != NULL) {
        api.g_object_set(object, "g-bus-type", ABI_G_BUS_TYPE_NONE, "g-connection", connection_being_bound, NULL);
    }
    return object;
}

static void bound_service_class_init(void *klass, void *data) {
    (void)data;
    abi_GObjectClass *object_class = klass;
    parent_constructor = object_class->constructor;
    object_class->constructor = bound_service_constructor;
}

static int register_bound_service(void) {
    abi_GType parent = api.secret_service_get_type();
    abi_GTypeQuery query;
    memset(&query, 0, sizeof query);
    api.g_type_query(parent, &query);
    if (query.type == 0 || query.class_size > 0xffff || query.instance_size > 0xffff) return -1;
    abi_GTypeInfo info;
    memset(&info, 0, sizeof info);
    info.class_size = (uint16_t)query.class_size;
    info.class_init = bound_service_class_init;
    info.instance_size = (uint16_t)query.instance_size;
    bound_service_type = api.g_type_register_static(parent, "CSecretBoundService", &info, 0);
    return bound_service_type == 0 ? -1 : 0;
}

static void load(void) {
    // RTLD_NODELETE: GObject types cannot be unregistered, so the library must never go away.
    void *library = dlopen("libsecret-1.so.0", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (library == NULL) {
        snprintf(load_error, sizeof load_error, "libsecret is not installed (no libsecret-1.so.0)");
        return;
    }
#define REQUIRE(name) api.name = find(library, #name, 1)
    REQUIRE(g_quark_to_string);
    REQUIRE(g_error_free);
    REQUIRE(g_free);
    REQUIRE(g_list_free);
    REQUIRE(g_str_hash);
    REQUIRE(g_str_equal);
    REQUIRE(g_hash_table_new);
    REQUIRE(g_hash_table_insert);
    REQUIRE(g_hash_table_unref);
    REQUIRE(g_object_unref);
    REQUIRE(g_object_set);
    REQUIRE(g_type_query);
    REQUIRE(g_type_register_static);
    REQUIRE(g_cancellable_new);
    REQUIRE(g_cancellable_cancel);
    REQUIRE(g_dbus_connection_new_for_address_sync);
    REQUIRE(g_dbus_connection_close_sync);
    REQUIRE(g_dbus_error_get_remote_error);
    REQUIRE(g_dbus_proxy_get_name_owner);
    REQUIRE(g_dbus_proxy_get_object_path);
    REQUIRE(secret_service_get_type);
    REQUIRE(secret_service_open_sync);
    REQUIRE(secret_collection_for_alias_sync);
    REQUIRE(secret_collection_get_locked);
    REQUIRE(secret_service_unlock_sync);
    REQUIRE(secret_service_search_sync);
    REQUIRE(secret_item_create_sync);
    REQUIRE(secret_item_delete_sync);
    REQUIRE(secret_item_get_locked);
    REQUIRE(secret_item_get_modified);
    REQUIRE(secret_item_get_secret);
    REQUIRE(secret_value_new);
    REQUIRE(secret_value_get);
    REQUIRE(secret_value_unref);
#undef REQUIRE
    if (load_error[0] != '\0') return;
    if (register_bound_service() != 0) {
        snprintf(load_error, sizeof load_error, "cannot derive a class from libsecret's SecretService");
        return;
    }
    load_status = 0;
}

int csecret_load(char *error, size_t error_length) {
    pthread_once(&load_once, load);
    if (load_status != 0 && error != NULL && error_length > 0) {
        snprintf(error, error_length, "%s", load_error);
    }
    return load_status;
}

// MARK: the watchdog

// A thread that bounds one call. When `cancellable` is set (no prompt can be pending), it cancels
// the call at the deadline and waits a grace second for it to return; otherwise, or if the call
// ignores the cancel, it ends the process: a helper that hangs is worse than one that fails.
typedef struct {
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    int finished;
    struct timespec deadline;
    abi_GCancellable *cancellable;
    char message[1024];
} watchdog;

static const double cancel_grace_seconds = 1.0;

static void add_seconds(struct timespec *time, double seconds) {
    long long nanoseconds = (long long)(seconds * 1e9) + time->tv_nsec;
    time->tv_sec += (time_t)(nanoseconds / 1000000000LL);
    time->tv_nsec = (long)(nanoseconds % 1000000000LL);
}

static void write_all(int descriptor, const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t written = write(descriptor, text, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return;
        }
        text += written;
        length -= (size_t)written;
    }
}

static void *watch(void *argument) {
    watchdog *dog = argument;
    int cancelled = 0;
    pthread_mutex_lock(&dog->mutex);
    while (!dog->finished) {
        int waited = pthread_cond_timedwait(&dog->wake, &dog->mutex, &dog->deadline);
        if (waited != ETIMEDOUT || dog->finished) continue;
        if (dog->cancellable != NULL && !cancelled) {
            cancelled = 1;
            add_seconds(&dog->deadline, cancel_grace_seconds);
            pthread_mutex_unlock(&dog->mutex);
            api.g_cancellable_cancel(dog->cancellable);
            pthread_mutex_lock(&dog->mutex);
            continue;
        }
        write_all(2, dog->message);
        _exit(4);
    }
    pthread_mutex_unlock(&dog->mutex);
    return NULL;
}

static int watchdog_start(watchdog *dog, double seconds, abi_GCancellable *cancellable, const char *message) {
    memset(dog, 0, sizeof *dog);
    snprintf(dog->message, sizeof dog->message, "%s\n", message != NULL ? message : "the Secret Service did not answer in time");
    dog->cancellable = cancellable;
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&dog->wake, &attributes);
    pthread_condattr_destroy(&attributes);
    pthread_mutex_init(&dog->mutex, NULL);
    clock_gettime(CLOCK_MONOTONIC, &dog->deadline);
    add_seconds(&dog->deadline, seconds > 0 ? seconds : 0);
    return pthread_create(&dog->thread, NULL, watch, dog);
}

static void watchdog_stop(watchdog *dog) {
    pthread_mutex_lock(&dog->mutex);
    dog->finished = 1;
    pthread_cond_signal(&dog->wake);
    pthread_mutex_unlock(&dog->mutex);
    pthread_join(dog->thread, NULL);
    pthread_cond_destroy(&dog->wake);
    pthread_mutex_destroy(&dog->mutex);
}

// A bounded call: `begin` arms the watchdog (with a cancellable when cancelling is safe),
// `end` disarms it. Without a watchdog thread we refuse to call at all.
typedef struct {
    watchdog dog;
    abi_GCancellable *cancellable;
} bounded_call;

static int bounded_begin(bounded_call *call, double seconds, int may_cancel, const char *hang_message,
                         csecret_result *result) {
    call->cancellable = may_cancel ? api.g_cancellable_new() : NULL;
    if (watchdog_start(&call->dog, seconds, call->cancellable, hang_message) != 0) {
        if (call->cancellable != NULL) api.g_object_unref(call->cancellable);
        result->status = CSECRET_FAILED;
        snprintf(result->detail, sizeof result->detail, "cannot start the time-limit thread");
        return -1;
    }
    return 0;
}

static void bounded_end(bounded_call *call) {
    watchdog_stop(&call->dog);
    if (call->cancellable != NULL) api.g_object_unref(call->cancellable);
}

// MARK: errors

static csecret_status set_result(csecret_result *result, csecret_status status, const char *detail) {
    result->status = status;
    snprintf(result->detail, sizeof result->detail, "%s", detail != NULL ? detail : "");
    return status;
}

// Sorts a GError into a category; `otherwise` is the category for errors no rule covers at
// this step (for example, any I/O error while connecting means the bus cannot be reached).
static csecret_status take_error(abi_GError *error, csecret_status otherwise, csecret_result *result) {
    if (error == NULL) return set_result(result, otherwise, "no reason given");
    const char *domain = api.g_quark_to_string(error->domain);
    csecret_status status = otherwise;
    if (domain != NULL && strcmp(domain, ABI_G_IO_ERROR_DOMAIN) == 0) {
        if (error->code == ABI_G_IO_ERROR_CANCELLED || error->code == ABI_G_IO_ERROR_TIMED_OUT) status = CSECRET_TIMED_OUT;
    } else if (domain != NULL && strcmp(domain, ABI_G_DBUS_ERROR_DOMAIN) == 0) {
        int code = error->code;
        if (code == ABI_G_DBUS_ERROR_SERVICE_UNKNOWN || code == ABI_G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
            code == ABI_G_DBUS_ERROR_DISCONNECTED ||
            (code >= ABI_G_DBUS_ERROR_SPAWN_EXEC_FAILED && code <= ABI_G_DBUS_ERROR_SPAWN_FILE_INVALID)) {
            status = CSECRET_NO_SERVICE;
        } else if (code == ABI_G_DBUS_ERROR_NO_REPLY || code == ABI_G_DBUS_ERROR_TIMEOUT ||
                   code == ABI_G_DBUS_ERROR_TIMED_OUT) {
            status = CSECRET_TIMED_OUT;
        } else if (code == ABI_G_DBUS_ERROR_NO_SERVER) {
            status = CSECRET_NO_BUS;
        }
    } else if (domain != NULL && strcmp(domain, ABI_SECRET_ERROR_DOMAIN) == 0) {
        if (error->code == ABI_SECRET_ERROR_IS_LOCKED) status = CSECRET_LOCKED;
    }
    char *remote = api.g_dbus_error_get_remote_error(error);
    char detail[sizeof result->detail];
    snprintf(detail, sizeof detail, "%s%s%s", error->message != NULL ? error->message : "unknown error",
             remote != NULL ? " | " : "", remote != NULL ? remote : "");
    if (remote != NULL) api.g_free(remote);
    api.g_error_free(error);
    return set_result(result, status, detail);
}

// MARK: items

// A schema naming exactly the given attributes, all strings.
static int make_schema(abi_SecretSchema *schema, const char *name, const char *const *attributes) {
    memset(schema, 0, sizeof *schema);
    schema->name = name;
    schema->flags = ABI_SECRET_SCHEMA_NONE;
    size_t count = 0;
    for (const char *const *pair = attributes; pair[0] != NULL; pair += 2) {
        if (pair[1] == NULL || count >= 31) return -1;
        schema->attributes[count].name = pair[0];
        schema->attributes[count].type = ABI_SECRET_SCHEMA_ATTRIBUTE_STRING;
        count++;
    }
    return 0;
}

static abi_GHashTable *make_attribute_table(const char *const *attributes) {
    abi_GHashTable *table = api.g_hash_table_new(api.g_str_hash, api.g_str_equal);
    for (const char *const *pair = attributes; pair[0] != NULL; pair += 2) {
        api.g_hash_table_insert(table, (void *)pair[0], (void *)pair[1]);
    }
    return table;
}

static void free_items(abi_GList *items) {
    for (abi_GList *node = items; node != NULL; node = node->next) api.g_object_unref(node->data);
    api.g_list_free(items);
}

// MARK: the connection

struct csecret_connection {
    abi_GDBusConnection *bus;
    abi_SecretService *service;
    abi_SecretCollection *collection;
    csecret_collection_state state;
    char hang_message[1024];
};

static const double disconnect_seconds = 2.0;

struct csecret_secret {
    abi_SecretValue *value;
};

static const char *const service_name = "org.freedesktop.secrets";

void csecret_disconnect(csecret_connection *connection) {
    if (connection == NULL) return;
    if (connection->collection != NULL) api.g_object_unref(connection->collection);
    if (connection->service != NULL) api.g_object_unref(connection->service);
    if (connection->bus != NULL) {
        // Closed explicitly, not by the last unref: callbacks still queued on GLib's main context
        // may hold the connection. Closing flushes what is queued, so it too is bounded.
        csecret_result ignored;
        bounded_call call;
        if (bounded_begin(&call, disconnect_seconds, 1, connection->hang_message, &ignored) == 0) {
            api.g_dbus_connection_close_sync(connection->bus, call.cancellable, NULL);
            bounded_end(&call);
        }
        api.g_object_unref(connection->bus);
    }
    free(connection);
}

csecret_connection *csecret_connect(const char *bus_address, double seconds, const char *hang_message,
                                    csecret_result *result) {
    set_result(result, CSECRET_OK, NULL);
    if (load_status != 0) {
        set_result(result, CSECRET_FAILED, "csecret_load was not called, or failed");
        return NULL;
    }
    csecret_connection *connection = calloc(1, sizeof *connection);
    if (connection == NULL) {
        set_result(result, CSECRET_FAILED, "out of memory");
        return NULL;
    }
    snprintf(connection->hang_message, sizeof connection->hang_message, "%s",
             hang_message != NULL ? hang_message : "the Secret Service did not answer in time");
    bounded_call call;
    if (bounded_begin(&call, seconds, 1, hang_message, result) != 0) {
        free(connection);
        return NULL;
    }
    abi_GError *error = NULL;
    // Our own connection to the given address, not GLib's session-bus singleton: GLib would
    // autolaunch an X11 bus when the address is missing, and tests use several buses at once.
    connection->bus = api.g_dbus_connection_new_for_address_sync(
        bus_address,
        ABI_G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | ABI_G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL,
        call.cancellable, &error);
    if (connection->bus == NULL) {
        take_error(error, CSECRET_NO_BUS, result);
        goto failed;
    }
    connection_being_bound = connection->bus;
    connection->service = api.secret_service_open_sync(bound_service_type, service_name, ABI_SECRET_SERVICE_NONE,
                                                       call.cancellable, &error);
    connection_being_bound = NULL;
    if (connection->service == NULL) {
        take_error(error, CSECRET_NO_SERVICE, result);
        goto failed;
    }
    // A proxy is made even when nobody owns the name (and activation failed): check.
    char *owner = api.g_dbus_proxy_get_name_owner(connection->service);
    if (owner == NULL) {
        set_result(result, CSECRET_NO_SERVICE, "nothing owns org.freedesktop.secrets on this bus");
        goto failed;
    }
    api.g_free(owner);
    connection->collection = api.secret_collection_for_alias_sync(connection->service, "default",
                                                                  ABI_SECRET_COLLECTION_NONE, call.cancellable, &error);
    if (connection->collection == NULL && error != NULL) {
        take_error(error, CSECRET_FAILED, result);
        goto failed;
    }
    if (connection->collection == NULL) {
        connection->state = CSECRET_COLLECTION_MISSING;
    } else {
        connection->state = api.secret_collection_get_locked(connection->collection) ? CSECRET_COLLECTION_LOCKED
                                                                                     : CSECRET_COLLECTION_UNLOCKED;
    }
    bounded_end(&call);
    return connection;

failed:
    bounded_end(&call);
    csecret_disconnect(connection);
    return NULL;
}

csecret_collection_state csecret_default_collection_state(const csecret_connection *connection) {
    return connection->state;
}

csecret_status csecret_unlock(csecret_connection *connection, double seconds, const char *hang_message,
                              csecret_result *result) {
    set_result(result, CSECRET_OK, NULL);
    if (connection->state == CSECRET_COLLECTION_MISSING) {
        return set_result(result, CSECRET_NO_DEFAULT_COLLECTION, "the Secret Service has no default collection");
    }
    if (connection->state == CSECRET_COLLECTION_UNLOCKED) return CSECRET_OK;
    bounded_call call;
    // No cancellable: cancelling while the prompt is shown hangs libsecret 0.20.5.
    if (bounded_begin(&call, seconds, 0, hang_message, result) != 0) return result->status;
    abi_GList objects = {connection->collection, NULL, NULL};
    abi_GList *unlocked = NULL;
    abi_GError *error = NULL;
    api.secret_service_unlock_sync(connection->service, &objects, NULL, &unlocked, &error);
    bounded_end(&call);
    if (error != NULL) {
        free_items(unlocked);
        return take_error(error, CSECRET_FAILED, result);
    }
    // A dismissed prompt is no error to libsecret: it just unlocks nothing.
    int done = 0;
    for (abi_GList *node = unlocked; node != NULL; node = node->next) {
        if (node->data != NULL && strcmp(api.g_dbus_proxy_get_object_path(node->data),
                                         api.g_dbus_proxy_get_object_path(connection->collection)) == 0) {
            done = 1;
        }
    }
    free_items(unlocked);
    if (!done) return set_result(result, CSECRET_DISMISSED, "the unlock prompt was dismissed");
    connection->state = CSECRET_COLLECTION_UNLOCKED;
    return CSECRET_OK;
}

csecret_status csecret_lookup(csecret_connection *connection, const char *schema_name, const char *const *attributes,
                              double seconds, int may_cancel, const char *hang_message, csecret_secret **secret,
                              csecret_result *result) {
    set_result(result, CSECRET_OK, NULL);
    *secret = NULL;
    abi_SecretSchema schema;
    if (make_schema(&schema, schema_name, attributes) != 0) {
        return set_result(result, CSECRET_FAILED, "too many or unpaired attributes");
    }
    bounded_call call;
    if (bounded_begin(&call, seconds, may_cancel, hang_message, result) != 0) return result->status;
    abi_GHashTable *table = make_attribute_table(attributes);
    abi_GError *error = NULL;
    // No SECRET_SEARCH_UNLOCK: a locked match must come back as locked, never prompt.
    abi_GList *items = api.secret_service_search_sync(connection->service, &schema, table,
                                                      ABI_SECRET_SEARCH_ALL | ABI_SECRET_SEARCH_LOAD_SECRETS,
                                                      call.cancellable, &error);
    api.g_hash_table_unref(table);
    bounded_end(&call);
    if (error != NULL) return take_error(error, CSECRET_FAILED, result);

    abi_SecretItem *newest = NULL;
    int saw_locked = 0;
    for (abi_GList *node = items; node != NULL; node = node->next) {
        abi_SecretItem *item = node->data;
        if (api.secret_item_get_locked(item)) {
            saw_locked = 1;
        } else if (newest == NULL || api.secret_item_get_modified(item) > api.secret_item_get_modified(newest)) {
            newest = item;
        }
    }
    csecret_status status = CSECRET_OK;
    if (newest != NULL) {
        abi_SecretValue *value = api.secret_item_get_secret(newest);
        if (value == NULL) {
            status = set_result(result, CSECRET_FAILED, "the Secret Service returned the item without its secret");
        } else if ((*secret = malloc(sizeof **secret)) == NULL) {
            api.secret_value_unref(value);
            status = set_result(result, CSECRET_FAILED, "out of memory");
        } else {
            (*secret)->value = value;
        }
    } else if (saw_locked) {
        status = set_result(result, CSECRET_LOCKED, "the matching item is in a locked collection");
    } else if (connection->state == CSECRET_COLLECTION_LOCKED) {
        // A locked collection may hide items from a search: "not found" would be a guess.
        status = set_result(result, CSECRET_LOCKED, "the default collection is locked");
    } else {
        status = set_result(result, CSECRET_NOT_FOUND, "no item matches");
    }
    free_items(items);
    return status;
}

const unsigned char *csecret_secret_bytes(const csecret_secret *secret, size_t *length) {
    return (const unsigned char *)api.secret_value_get(secret->value, length);
}

void csecret_secret_free(csecret_secret *secret) {
    if (secret == NULL) return;
    // libsecret keeps secrets in its secure memory and wipes them when the last reference goes.
    api.secret_value_unref(secret->value);
    free(secret);
}

// Items matching `attributes`, without secrets; NULL with `result` set on failure.
static abi_GList *search_without_secrets(csecret_connection *connection, const abi_SecretSchema *schema,
                                         const char *const *attributes, abi_GCancellable *cancellable,
                                         csecret_result *result) {
    abi_GHashTable *table = make_attribute_table(attributes);
    abi_GError *error = NULL;
    abi_GList *items = api.secret_service_search_sync(connection->service, schema, table, ABI_SECRET_SEARCH_ALL,
                                                      cancellable, &error);
    api.g_hash_table_unref(table);
    if (error != NULL) take_error(error, CSECRET_FAILED, result);
    return items;
}

// Deletes the matching items except the one at `keep_path`. Deletes nothing if one is locked.
static csecret_status delete_matching(csecret_connection *connection, const abi_SecretSchema *schema,
                                      const char *const *attributes, const char *keep_path,
                                      abi_GCancellable *cancellable, csecret_result *result) {
    abi_GList *items = search_without_secrets(connection, schema, attributes, cancellable, result);
    if (result->status != CSECRET_OK) return result->status;
    for (abi_GList *node = items; node != NULL; node = node->next) {
        if (api.secret_item_get_locked(node->data)) {
            free_items(items);
            return set_result(result, CSECRET_LOCKED, "a matching item is in a locked collection");
        }
    }
    csecret_status status = CSECRET_OK;
    for (abi_GList *node = items; node != NULL && status == CSECRET_OK; node = node->next) {
        const char *path = api.g_dbus_proxy_get_object_path(node->data);
        if (keep_path != NULL && path != NULL && strcmp(path, keep_path) == 0) continue;
        abi_GError *error = NULL;
        if (!api.secret_item_delete_sync(node->data, cancellable, &error)) {
            status = error != NULL ? take_error(error, CSECRET_FAILED, result)
                                   : set_result(result, CSECRET_DISMISSED, "the keyring's prompt was dismissed");
        }
    }
    free_items(items);
    return status;
}

csecret_status csecret_store(csecret_connection *connection, const char *schema_name, const char *const *attributes,
                             const char *const *match_attributes, const char *label, const void *secret,
                             size_t secret_length, const char *content_type, double seconds, int may_cancel,
                             const char *hang_message, csecret_result *result) {
    set_result(result, CSECRET_OK, NULL);
    if (connection->state == CSECRET_COLLECTION_MISSING) {
        return set_result(result, CSECRET_NO_DEFAULT_COLLECTION, "the Secret Service has no default collection");
    }
    if (connection->state == CSECRET_COLLECTION_LOCKED) {
        return set_result(result, CSECRET_LOCKED, "the default collection is locked");
    }
    abi_SecretSchema schema, match_schema;
    if (make_schema(&schema, schema_name, attributes) != 0 ||
        make_schema(&match_schema, schema_name, match_attributes) != 0) {
        return set_result(result, CSECRET_FAILED, "too many or unpaired attributes");
    }
    bounded_call call;
    if (bounded_begin(&call, seconds, may_cancel, hang_message, result) != 0) return result->status;
    abi_GHashTable *table = make_attribute_table(attributes);
    abi_SecretValue *value = api.secret_value_new(secret, (ptrdiff_t)secret_length, content_type);
    abi_GError *error = NULL;
    abi_SecretItem *item = api.secret_item_create_sync(connection->collection, &schema, table, label, value,
                                                       ABI_SECRET_ITEM_CREATE_REPLACE, call.cancellable, &error);
    api.secret_value_unref(value);
    api.g_hash_table_unref(table);
    csecret_status status;
    if (item == NULL && error == NULL) {
        // What libsecret returns when the keyring asked the person to confirm and was told no.
        status = set_result(result, CSECRET_DISMISSED, "the keyring's prompt was dismissed; nothing was stored");
    } else if (item == NULL) {
        status = take_error(error, CSECRET_FAILED, result);
    } else {
        status = delete_matching(connection, &match_schema, match_attributes,
                                 api.g_dbus_proxy_get_object_path(item), call.cancellable, result);
        api.g_object_unref(item);
    }
    bounded_end(&call);
    return status;
}

csecret_status csecret_clear(csecret_connection *connection, const char *schema_name, const char *const *attributes,
                             double seconds, int may_cancel, const char *hang_message, csecret_result *result) {
    set_result(result, CSECRET_OK, NULL);
    abi_SecretSchema schema;
    if (make_schema(&schema, schema_name, attributes) != 0) {
        return set_result(result, CSECRET_FAILED, "too many or unpaired attributes");
    }
    bounded_call call;
    if (bounded_begin(&call, seconds, may_cancel, hang_message, result) != 0) return result->status;
    csecret_status status = delete_matching(connection, &schema, attributes, NULL, call.cancellable, result);
    bounded_end(&call);
    return status;
}
