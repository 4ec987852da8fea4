#include "csecret.h"
int csecret_placeholder(void) { return 0; }
