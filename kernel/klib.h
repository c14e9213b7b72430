#ifndef PTBENCH_KLIB_H
#define PTBENCH_KLIB_H

#include "types.h"

/* memset and memmove work a word at a time when the alignment allows. */
void *memset(void *dst, int c, uint64 n);
void *memmove(void *dst, const void *src, uint64 n);
void *memcpy(void *dst, const void *src, uint64 n);
int memcmp(const void *a, const void *b, uint64 n);
uint64 strlen(const char *s);
int strncmp(const char *a, const char *b, uint64 n);
/* Copy at most n-1 bytes and always NUL-terminate (n > 0). */
char *safestrcpy(char *dst, const char *src, int n);

#endif
