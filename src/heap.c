/* heap.c - the heap in huge pages, where the kernel gives them.
 *
 * A run touches most of its memory once, and every 4 KB page touched for
 * the first time is a page fault: 3,300 of them on the 1,000-contribution
 * input, each an exit to the host on a virtual machine. The kernel's
 * transparent huge pages back memory marked MADV_HUGEPAGE with 2 MB pages
 * (in their "madvise" mode, the measuring machine's; "always" needs no
 * mark, "never" ignores it). glibc marks its heap
 * itself under the tunable glibc.malloc.hugetlb=1, which a program cannot
 * set for itself once it runs; this does the same for the first HEAP_HUGE
 * bytes of the heap, which is all that most books need: they are made at
 * start and marked, and blocks up to that size come from the heap rather
 * than from a mapping of their own. The pages are touched only when used.
 * Measured (doc/scale.md): 16 % less CPU for the FEL2022 report, 8 % for
 * 1,000 contributions, 3 MiB more peak memory; 4 % more CPU at 20,000,
 * whose heap outgrows the part marked, and where the fixed thresholds
 * (glibc's own move with the blocks freed) cost more than the faults
 * saved.
 *
 * Under a malloc that is not glibc's (valgrind, AddressSanitizer) the
 * block made is not in the heap, and nothing is marked. */
#define _DEFAULT_SOURCE /* madvise, sbrk */

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cb_util.h"

/* The heap made at start: 32 MiB, glibc's largest mmap threshold on a
 * 64-bit machine (a block that size or larger is mapped by itself). */
#define HEAP_HUGE ((size_t)32 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

int cb_heap_prepare(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    if (!mallopt(M_MMAP_THRESHOLD, (int)HEAP_HUGE) ||
        !mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_HUGE)))
        return 0;
    /* just under the threshold, so from the heap: it grows by that much,
     * untouched but for the block's header, and the block given back
     * stays as the heap's top (below the trim threshold) */
    size_t size = HEAP_HUGE - 4096;
    char *p = malloc(size);
    uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t end = (uintptr_t)sbrk(0);
    int marked = p && (uintptr_t)p + size <= end && end > from &&
                 madvise((void *)from, end - from, MADV_HUGEPAGE) == 0;
    free(p);
    return marked;
#else
    return 0;
#endif
}
