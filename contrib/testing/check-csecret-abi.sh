#!/bin/sh
# Checks that Sources/CSecret/libsecret_abi.h, which lets CSecret build without GLib headers,
# still matches the installed libsecret and GLib headers: struct layouts, enum values and
# function signatures. Needs libsecret-1-dev, pkg-config and a C compiler; prints "ok" or the
# first mismatch. Run it after a libsecret or GLib upgrade.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/check.c" <<'C'
#include <libsecret/secret.h>
#include <stddef.h>
#include "libsecret_abi.h"

#define SAME_LAYOUT(ours, theirs) \
    _Static_assert(sizeof(ours) == sizeof(theirs), #ours " has the size of " #theirs)
#define SAME_OFFSET(ours, theirs, ours_field, theirs_field) \
    _Static_assert(offsetof(ours, ours_field) == offsetof(theirs, theirs_field), #ours "." #ours_field)
#define SAME_VALUE(ours, theirs) _Static_assert((int)(ours) == (int)(theirs), #ours " == " #theirs)

SAME_LAYOUT(abi_SecretSchema, SecretSchema);
SAME_OFFSET(abi_SecretSchema, SecretSchema, attributes, attributes);
SAME_OFFSET(abi_SecretSchema, SecretSchema, reserved7, reserved7);
SAME_LAYOUT(abi_SecretSchemaAttribute, SecretSchemaAttribute);
SAME_LAYOUT(abi_GError, GError);
SAME_OFFSET(abi_GError, GError, message, message);
SAME_LAYOUT(abi_GList, GList);
SAME_OFFSET(abi_GList, GList, next, next);
SAME_LAYOUT(abi_GTypeInfo, GTypeInfo);
SAME_OFFSET(abi_GTypeInfo, GTypeInfo, class_init, class_init);
SAME_OFFSET(abi_GTypeInfo, GTypeInfo, instance_size, instance_size);
SAME_OFFSET(abi_GTypeInfo, GTypeInfo, value_table, value_table);
SAME_LAYOUT(abi_GTypeQuery, GTypeQuery);
SAME_OFFSET(abi_GTypeQuery, GTypeQuery, instance_size, instance_size);
SAME_OFFSET(abi_GObjectClass, GObjectClass, constructor, constructor);
SAME_LAYOUT(abi_GType, GType);
SAME_LAYOUT(abi_GQuark, GQuark);

SAME_VALUE(ABI_SECRET_SCHEMA_NONE, SECRET_SCHEMA_NONE);
SAME_VALUE(ABI_SECRET_SCHEMA_ATTRIBUTE_STRING, SECRET_SCHEMA_ATTRIBUTE_STRING);
SAME_VALUE(ABI_SECRET_SERVICE_NONE, SECRET_SERVICE_NONE);
SAME_VALUE(ABI_SECRET_COLLECTION_NONE, SECRET_COLLECTION_NONE);
SAME_VALUE(ABI_SECRET_SEARCH_ALL, SECRET_SEARCH_ALL);
SAME_VALUE(ABI_SECRET_SEARCH_LOAD_SECRETS, SECRET_SEARCH_LOAD_SECRETS);
SAME_VALUE(ABI_SECRET_ITEM_CREATE_REPLACE, SECRET_ITEM_CREATE_REPLACE);
SAME_VALUE(ABI_SECRET_ERROR_IS_LOCKED, SECRET_ERROR_IS_LOCKED);
SAME_VALUE(ABI_SECRET_ERROR_NO_SUCH_OBJECT, SECRET_ERROR_NO_SUCH_OBJECT);
SAME_VALUE(ABI_G_IO_ERROR_CANCELLED, G_IO_ERROR_CANCELLED);
SAME_VALUE(ABI_G_IO_ERROR_TIMED_OUT, G_IO_ERROR_TIMED_OUT);
SAME_VALUE(ABI_G_DBUS_ERROR_SERVICE_UNKNOWN, G_DBUS_ERROR_SERVICE_UNKNOWN);
SAME_VALUE(ABI_G_DBUS_ERROR_NAME_HAS_NO_OWNER, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
SAME_VALUE(ABI_G_DBUS_ERROR_NO_REPLY, G_DBUS_ERROR_NO_REPLY);
SAME_VALUE(ABI_G_DBUS_ERROR_NO_SERVER, G_DBUS_ERROR_NO_SERVER);
SAME_VALUE(ABI_G_DBUS_ERROR_TIMEOUT, G_DBUS_ERROR_TIMEOUT);
SAME_VALUE(ABI_G_DBUS_ERROR_DISCONNECTED, G_DBUS_ERROR_DISCONNECTED);
SAME_VALUE(ABI_G_DBUS_ERROR_TIMED_OUT, G_DBUS_ERROR_TIMED_OUT);
SAME_VALUE(ABI_G_DBUS_ERROR_SPAWN_EXEC_FAILED, G_DBUS_ERROR_SPAWN_EXEC_FAILED);
SAME_VALUE(ABI_G_DBUS_ERROR_SPAWN_FILE_INVALID, G_DBUS_ERROR_SPAWN_FILE_INVALID);
SAME_VALUE(ABI_G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT);
SAME_VALUE(ABI_G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION);
SAME_VALUE(ABI_G_BUS_TYPE_NONE, G_BUS_TYPE_NONE);

int main(void) {
    GError error = {0};
    int ok = strcmp(g_quark_to_string(G_IO_ERROR), ABI_G_IO_ERROR_DOMAIN) == 0 &&
             strcmp(g_quark_to_string(G_DBUS_ERROR), ABI_G_DBUS_ERROR_DOMAIN) == 0 &&
             strcmp(g_quark_to_string(SECRET_ERROR), ABI_SECRET_ERROR_DOMAIN) == 0;
    (void)error;
    return ok ? 0 : 1;
}
C
# Every function the table names must exist under that name in the real headers (the
# signatures use opaque stand-in types, so they are compared by eye, not by the compiler).
{
    echo '#include <libsecret/secret.h>'
    echo 'void check(void) {'
    sed -n '/One pointer per function used/,/^} abi_functions;/p' "$here/Sources/CSecret/libsecret_abi.h" |
        sed -n 's/^ *[^/(][^(]*(\*\([a-z_]*\))(.*/\1/p' |
        while read -r name; do echo "    (void)&$name;"; done
    echo '}'
} > "$work/names.c"
cc -std=c11 -Wall -Werror -I"$here/Sources/CSecret" $(pkg-config --cflags libsecret-1) \
    -c "$work/names.c" -o "$work/names.o"
cc -std=c11 -Wall -Werror -Wno-unused-function -I"$here/Sources/CSecret" $(pkg-config --cflags libsecret-1) \
    "$work/check.c" -o "$work/check" $(pkg-config --libs libsecret-1) -include string.h
"$work/check"
echo ok
