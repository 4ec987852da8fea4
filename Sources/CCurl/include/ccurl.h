// placeholder
int ccurl_placeholder(void);
