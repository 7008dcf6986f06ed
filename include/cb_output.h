/* cb_output.h - where output goes, and what a run may never destroy.
 *
 * An output appears whole or not at all, and nothing but it is touched:
 * - a regular file (or a new one) is written to a temporary file beside it
 *   (same folder, so the rename is atomic) and renamed over it when
 *   complete, keeping the mode of the file it replaces;
 * - a symbolic link is followed to the file it names, which is replaced
 *   the same way in its own folder: the link stays, as with cp;
 * - a device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written
 *   through and never replaced by a regular file;
 * - "-" is standard output.
 * Temporary files are removed on failure and on the signals that end a
 * run (cb_output_guard_signals), after which the signal is raised again so
 * that the exit status stays true. */
#ifndef CB_OUTPUT_H
#define CB_OUTPUT_H

#include <stddef.h>

typedef struct {
    char *target;  /* the file written (links followed); NULL for stdout */
    char *tmp;     /* the temporary file beside it, or NULL (written
                      through) */
    int fd;
    int slot;      /* its place among the files removed on a signal, -1 */
} cb_output;

/* Prepares output to path ("-": standard output). Returns 0, or -1 with
 * errno set (EISDIR for a folder) and nothing created. */
int cb_output_open(cb_output *o, const char *path);
/* Writes all n bytes; -1 with errno set. */
int cb_output_write(cb_output *o, const void *p, size_t n);
/* Completes the output: closes it (a full disk shows here too) and renames
 * the temporary file over the target. -1 with errno set, and then the
 * temporary file is gone. */
int cb_output_commit(cb_output *o);
/* Abandons the output: the temporary file is removed; a file written
 * through keeps what it got. Safe on a closed or never-opened output. */
void cb_output_discard(cb_output *o);

/* mkstemp(path), the file registered at once to be removed on a signal (a
 * font for libharu, the temporary output): *slot is for cb_output_forget,
 * or -1 when all slots are taken (then the file is not guarded, nothing
 * worse). Returns the descriptor, or -1 with errno set. */
int cb_output_mkstemp(char *path, int *slot);
void cb_output_forget(int slot);

/* Removes registered temporary files on every signal that ends a process
 * (but those of a bug: SIGSEGV, SIGILL, SIGFPE, SIGTRAP), then dies of the
 * signal. A signal ignored when the program started stays ignored. */
void cb_output_guard_signals(void);

/* Whether paths a and b name the same existing file (links followed). */
int cb_output_same_file(const char *a, const char *b);
/* Whether path names the file open as descriptor fd. */
int cb_output_is_fd(const char *path, int fd);

#endif
