/* heap.c - the heap in huge pages, where the kernel gives them.
 *
 * A run touches most of its memory once, and every 4 KB page touched for
 * the first time is a page fault: 3,300 of them on the 1,000-contribution
 * input, each an exit to the host on a virtual machine. The kernel's
 * transparent huge pages back memory marked MADV_HUGEPAGE with 2 MB pages
 * (in their "madvise" mode, the measuring machine's; "always" needs no
 * mark, "never" ignores it). glibc marks its heap itself under the
 * tunable glibc.malloc.hugetlb=1, which a program cannot set for itself
 * once it runs. So, at start, the heap is grown by HEAP_BLOCKS blocks,
 * untouched, and marked: blocks below glibc's largest mmap threshold come
 * from it, and what is freed is kept for the next blocks rather than
 * given back and faulted in again. Only the pages used are memory; the
 * rest is address space. Measured in doc/scale.md (a tenth to a fifth
 * less CPU for an event's book).
 *
 * Under a malloc that is not glibc's (valgrind, AddressSanitizer) the
 * blocks made are not in the heap, and nothing is marked. */
#define _DEFAULT_SOURCE /* madvise, sbrk */

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cb_util.h"

/* Blocks of HEAP_BLOCK, glibc's largest mmap threshold on a 64-bit
 * machine (a block that size or larger is mapped by itself), and
 * HEAP_BLOCKS of them: 256 MiB, more than 20,000 contributions take
 * (140 MiB). Freed memory is given back to the system past HEAP_TRIM. */
#define HEAP_BLOCK ((size_t)32 << 20)
#define HEAP_BLOCKS 8
#define HEAP_TRIM (1 << 30)
#define HUGE_PAGE ((uintptr_t)2 << 20)

int cb_heap_prepare(void)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    if (!mallopt(M_MMAP_THRESHOLD, (int)HEAP_BLOCK) ||
        !mallopt(M_TRIM_THRESHOLD, HEAP_TRIM))
        return 0;
    /* just under the threshold, so from the heap, which grows by that
     * much each time, untouched but for the blocks' headers */
    size_t size = HEAP_BLOCK - 4096;
    char *block[HEAP_BLOCKS];
    int in_heap = 1;
    for (int i = 0; i < HEAP_BLOCKS; i++)
        block[i] = malloc(size);
    uintptr_t end = (uintptr_t)sbrk(0);
    for (int i = 0; i < HEAP_BLOCKS; i++)
        in_heap &= block[i] && (uintptr_t)block[i] + size <= end;
    uintptr_t from = ((uintptr_t)block[0] + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    int marked = in_heap && end > from &&
                 madvise((void *)from, end - from, MADV_HUGEPAGE) == 0;
    for (int i = 0; i < HEAP_BLOCKS; i++)
        free(block[i]);
    return marked;
#else
    return 0;
#endif
}
