// The part of libsecret's and GLib's ABI that csecret.c uses, declared here so that building
// needs no GLib headers (their multiarch include paths would tie Package.swift to one machine).
// Names follow the real headers with an abi_ prefix; values and layouts are those of
// <libsecret/secret.h> and <gio/gio.h>, stable since libsecret 0.18 and GLib 2.40.
// contrib/testing/check-csecret-abi.sh compares them with the installed headers.
#ifndef CSECRET_LIBSECRET_ABI_H
#define CSECRET_LIBSECRET_ABI_H

#include <stddef.h>
#include <stdint.h>

typedef int abi_gboolean;
typedef uint32_t abi_GQuark;
typedef size_t abi_GType;

// Objects are only ever passed back to the library that made them.
typedef struct abi_GCancellable abi_GCancellable;
typedef struct abi_GDBusConnection abi_GDBusConnection;
typedef struct abi_GHashTable abi_GHashTable;
typedef struct abi_SecretService abi_SecretService;
typedef struct abi_SecretCollection abi_SecretCollection;
typedef struct abi_SecretItem abi_SecretItem;
typedef struct abi_SecretValue abi_SecretValue;

typedef struct {
    abi_GQuark domain;
    int code;
    char *message;
} abi_GError;

typedef struct abi_GList {
    void *data;
    struct abi_GList *next;
    struct abi_GList *prev;
} abi_GList;

// Enough of GObject's type system to derive a class from SecretService.
typedef struct {
    abi_GType g_type;
} abi_GTypeClass;

typedef void *(*abi_GObjectConstructor)(abi_GType type, unsigned count, void *parameters);

typedef struct {
    abi_GTypeClass g_type_class;
    void *construct_properties;
    abi_GObjectConstructor constructor;
    // ... further members are not touched
} abi_GObjectClass;

typedef struct {
    uint16_t class_size;
    void (*base_init)(void *klass);
    void (*base_finalize)(void *klass);
    void (*class_init)(void *klass, void *data);
    void (*class_finalize)(void *klass, void *data);
    const void *class_data;
    uint16_t instance_size;
    uint16_t n_preallocs;
    void (*instance_init)(void *instance, void *klass);
    const void *value_table;
} abi_GTypeInfo;

typedef struct {
    abi_GType type;
    const char *type_name;
    unsigned class_size;
    unsigned instance_size;
} abi_GTypeQuery;

typedef struct {
    const char *name;
    int type; // SecretSchemaAttributeType
} abi_SecretSchemaAttribute;

typedef struct {
    const char *name;
    int flags; // SecretSchemaFlags
    abi_SecretSchemaAttribute attributes[32];
    int reserved;
    void *reserved1;
    void *reserved2;
    void *reserved3;
    void *reserved4;
    void *reserved5;
    void *reserved6;
    void *reserved7;
} abi_SecretSchema;

enum {
    ABI_SECRET_SCHEMA_NONE = 0,
    ABI_SECRET_SCHEMA_ATTRIBUTE_STRING = 0,
    ABI_SECRET_SERVICE_NONE = 0,
    ABI_SECRET_COLLECTION_NONE = 0,
    ABI_SECRET_SEARCH_ALL = 1 << 1,
    ABI_SECRET_SEARCH_LOAD_SECRETS = 1 << 3,
    ABI_SECRET_ITEM_CREATE_REPLACE = 1 << 1,
    ABI_SECRET_ERROR_IS_LOCKED = 2,
    ABI_SECRET_ERROR_NO_SUCH_OBJECT = 3,
    ABI_G_IO_ERROR_CANCELLED = 19,
    ABI_G_IO_ERROR_TIMED_OUT = 24,
    ABI_G_DBUS_ERROR_SERVICE_UNKNOWN = 2,
    ABI_G_DBUS_ERROR_NAME_HAS_NO_OWNER = 3,
    ABI_G_DBUS_ERROR_NO_REPLY = 4,
    ABI_G_DBUS_ERROR_NO_SERVER = 11,
    ABI_G_DBUS_ERROR_TIMEOUT = 12,
    ABI_G_DBUS_ERROR_DISCONNECTED = 15,
    ABI_G_DBUS_ERROR_TIMED_OUT = 20,
    ABI_G_DBUS_ERROR_SPAWN_EXEC_FAILED = 23,
    ABI_G_DBUS_ERROR_SPAWN_FILE_INVALID = 33,
    ABI_G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT = 1 << 0,
    ABI_G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION = 1 << 3,
    ABI_G_BUS_TYPE_NONE = 0,
};

// The error domains, by the names their quarks carry.
#define ABI_G_IO_ERROR_DOMAIN "g-io-error-quark"
#define ABI_G_DBUS_ERROR_DOMAIN "g-dbus-error-quark"
#define ABI_SECRET_ERROR_DOMAIN "secret-error"

// One pointer per function used, filled by csecret_load().
typedef struct {
    // GLib
    const char *(*g_quark_to_string)(abi_GQuark quark);
    void (*g_error_free)(abi_GError *error);
    void (*g_free)(void *memory);
    void (*g_list_free)(abi_GList *list);
    unsigned (*g_str_hash)(const void *key);
    abi_gboolean (*g_str_equal)(const void *a, const void *b);
    abi_GHashTable *(*g_hash_table_new)(unsigned (*hash)(const void *), abi_gboolean (*equal)(const void *, const void *));
    abi_gboolean (*g_hash_table_insert)(abi_GHashTable *table, void *key, void *value);
    void (*g_hash_table_unref)(abi_GHashTable *table);
    // GObject
    void (*g_object_unref)(void *object);
    void (*g_object_set)(void *object, const char *first_property, ...);
    void (*g_type_query)(abi_GType type, abi_GTypeQuery *query);
    abi_GType (*g_type_register_static)(abi_GType parent, const char *name, const abi_GTypeInfo *info, int flags);
    // GIO
    abi_GCancellable *(*g_cancellable_new)(void);
    void (*g_cancellable_cancel)(abi_GCancellable *cancellable);
    abi_GDBusConnection *(*g_dbus_connection_new_for_address_sync)(const char *address, int flags, void *observer,
                                                                   abi_GCancellable *cancellable, abi_GError **error);
    abi_gboolean (*g_dbus_connection_close_sync)(abi_GDBusConnection *connection, abi_GCancellable *cancellable,
                                                 abi_GError **error);
    char *(*g_dbus_error_get_remote_error)(const abi_GError *error);
    char *(*g_dbus_proxy_get_name_owner)(void *proxy);
    const char *(*g_dbus_proxy_get_object_path)(void *proxy);
    // libsecret
    abi_GType (*secret_service_get_type)(void);
    abi_SecretService *(*secret_service_open_sync)(abi_GType type, const char *bus_name, int flags,
                                                   abi_GCancellable *cancellable, abi_GError **error);
    abi_SecretCollection *(*secret_collection_for_alias_sync)(abi_SecretService *service, const char *alias, int flags,
                                                             abi_GCancellable *cancellable, abi_GError **error);
    abi_gboolean (*secret_collection_get_locked)(abi_SecretCollection *collection);
    int (*secret_service_unlock_sync)(abi_SecretService *service, abi_GList *objects, abi_GCancellable *cancellable,
                                      abi_GList **unlocked, abi_GError **error);
    abi_GList *(*secret_service_search_sync)(abi_SecretService *service, const abi_SecretSchema *schema,
                                             abi_GHashTable *attributes, int flags, abi_GCancellable *cancellable,
                                             abi_GError **error);
    abi_SecretItem *(*secret_item_create_sync)(abi_SecretCollection *collection, const abi_SecretSchema *schema,
                                               abi_GHashTable *attributes, const char *label, abi_SecretValue *value,
                                               int flags, abi_GCancellable *cancellable, abi_GError **error);
    abi_gboolean (*secret_item_delete_sync)(abi_SecretItem *item, abi_GCancellable *cancellable, abi_GError **error);
    abi_gboolean (*secret_item_get_locked)(abi_SecretItem *item);
    uint64_t (*secret_item_get_modified)(abi_SecretItem *item);
    abi_SecretValue *(*secret_item_get_secret)(abi_SecretItem *item);
    abi_SecretValue *(*secret_value_new)(const char *secret, ptrdiff_t length, const char *content_type);
    const char *(*secret_value_get)(abi_SecretValue *value, size_t *length);
    void (*secret_value_unref)(void *value);
} abi_functions;

#endif
