// Placeholder: the libsecret loader (dlopen of libsecret-1.so.0) lands with the Secret Service store.
int csecret_placeholder(void);
