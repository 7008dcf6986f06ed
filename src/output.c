/* output.c - outputs that appear whole or not at all (see cb_output.h). */
#include "cb_output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb_util.h"

/* Symbolic links followed to find an output's file, as the kernel's own
 * limit (MAXSYMLINKS, 40): more is a loop. */
#define MAX_LINK_HOPS 40

/* Temporary files removed by the signal handler: the PDF, the dump and a
 * font subset at most are alive at once. */
#define GUARD_SLOTS 8

static char guarded[GUARD_SLOTS][PATH_MAX];
static volatile sig_atomic_t guard_used[GUARD_SLOTS];

/* Every signal whose default action ends the process, but for the ones a
 * bug raises (SIGSEGV, SIGILL, SIGFPE, SIGTRAP), left to the debugger and
 * the sanitizers. SIGABRT is an out-of-memory abort (cb_xmalloc); SIGALRM
 * and SIGUSR1 are what `timeout -s` and batch schedulers send; SIGBUS a
 * font file truncated under its mapping. */
static const int guard_sigs[] = {
    SIGINT,  SIGTERM,   SIGHUP,  SIGQUIT, SIGPIPE, SIGXCPU, SIGXFSZ,
    SIGALRM, SIGVTALRM, SIGPROF, SIGUSR1, SIGUSR2, SIGABRT, SIGBUS,
    SIGSYS,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
};
#define N_GUARD_SIGS (sizeof guard_sigs / sizeof guard_sigs[0])

static int remember(const char *path)
{
    if (strlen(path) >= PATH_MAX)
        return -1;
    for (int i = 0; i < GUARD_SLOTS; i++)
        if (!guard_used[i]) {
            memcpy(guarded[i], path, strlen(path) + 1);
            guard_used[i] = 1;
            return i;
        }
    return -1;
}

int cb_output_mkstemp(char *path, int *slot)
{
    /* the guarded signals wait until the file is registered: one arriving
     * between its creation and its registration would leave it behind */
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < N_GUARD_SIGS; i++)
        sigaddset(&block, guard_sigs[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(path);
    int saved = errno;
    *slot = fd < 0 ? -1 : remember(path);
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return fd;
}

void cb_output_forget(int slot)
{
    if (slot >= 0 && slot < GUARD_SLOTS)
        guard_used[slot] = 0;
}

/* Only async-signal-safe calls: unlink, sigaction, raise. */
static void on_signal(int sig)
{
    for (int i = 0; i < GUARD_SLOTS; i++)
        if (guard_used[i])
            unlink(guarded[i]);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
}

void cb_output_guard_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_GUARD_SIGS; i++)
        sigaddset(&sa.sa_mask, guard_sigs[i]);
    for (size_t i = 0; i < N_GUARD_SIGS; i++) {
        struct sigaction old;
        if (sigaction(guard_sigs[i], NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue; /* nohup, or a shell's background job */
        sigaction(guard_sigs[i], &sa, NULL);
    }
}

/* The file a path finally names: symbolic links followed, a relative
 * link read from the link's own folder. The file need not exist. */
static char *follow_links(const char *path)
{
    char *cur = cb_xstrdup(path);
    for (int hop = 0;; hop++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        /* a link to a device, FIFO or socket is written through as it
         * stands: /dev/stdout leads to /proc/self/fd/1, whose link to a
         * pipe reads "pipe:[1234]", a name no path has */
        if (stat(cur, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            return cur;
        if (hop == MAX_LINK_HOPS) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            free(cur);
            return NULL;
        }
        link[n] = '\0';
        char *slash = strrchr(cur, '/');
        char *next;
        if (link[0] == '/' || !slash) {
            next = cb_xstrdup(link);
        } else {
            size_t dir = (size_t)(slash - cur) + 1;
            next = cb_xmalloc(dir + (size_t)n + 1);
            memcpy(next, cur, dir);
            memcpy(next + dir, link, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
}

int cb_output_open(cb_output *o, const char *path)
{
    *o = (cb_output){NULL, NULL, -1, -1};
    if (strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        return 0;
    }
    o->target = follow_links(path);
    if (!o->target)
        return -1;
    struct stat st;
    int exists = stat(o->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        free(o->target);
        o->target = NULL;
        errno = EISDIR;
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode)) { /* a device or FIFO: through */
        o->fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (o->fd < 0) {
            int saved = errno;
            free(o->target);
            o->target = NULL;
            errno = saved;
        }
        return o->fd < 0 ? -1 : 0;
    }
    /* TARGET.tmp-XXXXXX, the name cut (at a character) where it would pass
     * NAME_MAX: a 250-byte name is a file name, its temporary one not */
    const char *slash = strrchr(o->target, '/');
    size_t dir = slash ? (size_t)(slash - o->target) + 1 : 0;
    size_t base = strlen(o->target) - dir;
    size_t room = NAME_MAX - (sizeof ".tmp-XXXXXX" - 1);
    if (base > NAME_MAX) { /* say so now, not after the work */
        free(o->target);
        *o = (cb_output){NULL, NULL, -1, -1};
        errno = ENAMETOOLONG;
        return -1;
    }
    if (base > room) {
        base = cb_utf8_cut(o->target + dir, room);
    }
    size_t n = dir + base + sizeof ".tmp-XXXXXX";
    o->tmp = cb_xmalloc(n);
    snprintf(o->tmp, n, "%.*s.tmp-XXXXXX", (int)(dir + base), o->target);
    o->fd = cb_output_mkstemp(o->tmp, &o->slot);
    if (o->fd < 0) {
        int saved = errno;
        free(o->tmp);
        free(o->target);
        *o = (cb_output){NULL, NULL, -1, -1};
        errno = saved;
        return -1;
    }
    /* mkstemp makes 0600: give the mode of the file replaced, or what any
     * new file gets */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    fchmod(o->fd, mode);
    return 0;
}

int cb_output_write(cb_output *o, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(o->fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

int cb_output_commit(cb_output *o)
{
    int rc = 0;
    if (!o->target) { /* standard output stays open */
        o->fd = -1;
        return 0;
    }
    if (o->fd >= 0 && close(o->fd) != 0)
        rc = -1;
    o->fd = -1;
    if (rc == 0 && o->tmp && rename(o->tmp, o->target) != 0)
        rc = -1;
    int saved = errno;
    if (rc != 0 && o->tmp)
        unlink(o->tmp);
    cb_output_forget(o->slot);
    free(o->tmp);
    free(o->target);
    *o = (cb_output){NULL, NULL, -1, -1};
    errno = saved;
    return rc;
}

void cb_output_discard(cb_output *o)
{
    if (o->target && o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    cb_output_forget(o->slot);
    free(o->tmp);
    free(o->target);
    *o = (cb_output){NULL, NULL, -1, -1};
}

int cb_output_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cb_output_is_fd(const char *path, int fd)
{
    struct stat sa, sb;
    return stat(path, &sa) == 0 && fstat(fd, &sb) == 0 &&
           S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}
