/* Wide-character ncurses for Swift: SwiftPM drops pkg-config's -D flags, so the wide API is switched on here. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* stdscr is a mutable C global, which Swift 6 refuses to read without an accessor. */
static inline WINDOW *cn_stdscr(void) { return stdscr; }
/* Glibc's stdout/stdin are mutable globals too. */
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }
/* The A_* attributes are cast-and-shift macros that do not import. */
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
/* Whether the terminal type in $TERM can move the cursor (terminfo `cup`): 1 yes, 0 no, -1 an unknown type.
   Reads the terminfo entry only, so nothing is written to the terminal. Declared here rather than by including
   term.h, whose capability macros would clash with ordinary names. */
struct term;
extern int setupterm(const char *, int, int *);
extern struct term *set_curterm(struct term *);
extern int del_curterm(struct term *);
static inline int cn_terminal_can_address(int fd) {
    int error = 0;
    if (setupterm(NULL, fd, &error) != OK) return -1;
    const char *cup = tigetstr("cup");
    int result = cup != NULL && cup != (char *)-1;
    del_curterm(set_curterm(NULL));
    return result;
}
