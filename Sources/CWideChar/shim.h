#ifndef CWIDECHAR_SHIM_H
#define CWIDECHAR_SHIM_H
#include <wchar.h>

/* wcwidth is declared only under _XOPEN_SOURCE, which the Swift importer does not set. It is in the C library,
   so nothing more is linked. */
extern int wcwidth(wchar_t c);
static inline int cw_wcwidth(wchar_t c) { return wcwidth(c); }

#endif
