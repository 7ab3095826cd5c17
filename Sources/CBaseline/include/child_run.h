#ifndef CHILD_RUN_H
#define CHILD_RUN_H

/*
 * Runs `argv` (argv[0] a path) with its output discarded and waits for it: a fork and an exec, so that the
 * resident set the child reports is its own (posix_spawn's child shares the parent's memory until its exec, and
 * the kernel counts those pages in its peak). Returns the exit status (-1 when it could not start or was killed),
 * with the child's peak resident set in `max_resident_kib`.
 */
int child_run(char *const argv[], long *max_resident_kib);

#endif
