/* parbreak.c - total-fit line breaking (see cb_parbreak.h). */
#include "cb_parbreak.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cb_util.h"

/* TeX's plain values: \linepenalty, \doublehyphendemerits,
 * \finalhyphendemerits (a hyphen ending the last full line), \adjdemerits. */
#define LINE_PENALTY 10
#define DOUBLE_HYPHEN_DEMERITS 10000
#define FINAL_HYPHEN_DEMERITS 5000
#define ADJ_DEMERITS 10000
/* Badness is capped where TeX caps it: "infinitely bad". */
#define INF_BAD 10000

typedef struct {
    size_t item;          /* break position (item index; n for the start) */
    int line;             /* lines before this break */
    int fitness;          /* 0 tight, 1 decent, 2 loose, 3 very loose */
    double demerits;      /* total up to here */
    float ratio;          /* of the line ending here */
    long prev;            /* node of the previous break, -1 at the start */
    double w, y, z;       /* sums of width/stretch/shrink after the break */
} node;

typedef struct {
    node *nodes;           /* every break found, for the way back */
    size_t n_nodes, cap_nodes;
    size_t *active;        /* indices of the nodes a line may start at */
    size_t n_active, cap_active;
    double *sw, *sy, *sz;  /* prefix sums before each item */
} breaker;

static int badness(double ratio)
{
    if (ratio < -1)
        return INF_BAD + 1;
    double b = 100.0 * fabs(ratio) * ratio * ratio;
    return b > INF_BAD ? INF_BAD : (int)(b + 0.5);
}

static int fitness_of(double ratio)
{
    return ratio < -0.5 ? 0 : ratio <= 0.5 ? 1 : ratio <= 1 ? 2 : 3;
}

/* Sums just after a break at item b: the glue and penalties that follow a
 * break vanish at the start of the next line. */
static void after_break(const breaker *k, const cb_kp_item *items, size_t n,
                        size_t b, double *w, double *y, double *z)
{
    size_t i = b;
    *w = k->sw[b], *y = k->sy[b], *z = k->sz[b];
    for (; i < n; i++) {
        if (items[i].kind == CB_KP_BOX)
            break;
        if (items[i].kind == CB_KP_PENALTY && i > b &&
            items[i].penalty <= -CB_KP_INFINITY)
            break;
        *w += items[i].kind == CB_KP_GLUE ? items[i].width : 0;
        *y += items[i].kind == CB_KP_GLUE ? items[i].stretch : 0;
        *z += items[i].kind == CB_KP_GLUE ? items[i].shrink : 0;
    }
}

static void add_node(breaker *k, node nd)
{
    cb_grow(&k->nodes, &k->cap_nodes, k->n_nodes, sizeof *k->nodes);
    cb_grow(&k->active, &k->cap_active, k->n_active, sizeof *k->active);
    k->active[k->n_active++] = k->n_nodes;
    k->nodes[k->n_nodes++] = nd;
}

typedef struct {
    double demerits;
    long from;
    float ratio;
} candidate;

/* Tries every active node against a break at item b and adds the best new
 * node of each fitness class. */
static void try_break(breaker *k, const cb_kp_item *items, size_t n, size_t b,
                      float first_width, float width, int tolerance,
                      float emergency)
{
    const cb_kp_item *it = &items[b];
    int pen = it->kind == CB_KP_PENALTY ? it->penalty : 0;
    int forced = pen <= -CB_KP_INFINITY;
    int flagged = it->kind == CB_KP_PENALTY && it->flagged;
    candidate best[4];
    for (int c = 0; c < 4; c++)
        best[c].demerits = INFINITY;
    /* The nodes made at one break follow each other in the active list
     * and share the length, badness and fitness of a line from them to b
     * (their line numbers differ, but all but the start's use `width`):
     * worked out once per break, not once per node. In the emergency pass
     * every node is feasible, so that is four times fewer divisions. */
    size_t group = SIZE_MAX;
    int group_first = 0, overfull = 0, skip = 0, fit = 0;
    double base = 0, room = 0, give = 0;
    size_t keep = 0;
    for (size_t i = 0; i < k->n_active; i++) {
        size_t a = k->active[i];
        const node *nd = &k->nodes[a];
        if (nd->item != group || (nd->line == 0) != group_first) {
            group = nd->item;
            group_first = nd->line == 0;
            double len = k->sw[b] - nd->w +
                         (it->kind == CB_KP_PENALTY ? it->width : 0);
            double measure = group_first ? first_width : width;
            double judged = 0;
            room = give = 0;
            overfull = 0;
            if (len < measure) {
                room = measure - len;
                give = k->sy[b] - nd->y;
                /* \emergencystretch: badness is judged with extra
                 * stretch, so looseness spreads over lines instead of one
                 * awful line */
                judged = give + emergency > 0 ? room / (give + emergency)
                                              : INFINITY;
            } else if (len > measure) {
                room = measure - len;
                give = k->sz[b] - nd->z;
                judged = give > 0 ? room / give : -INFINITY;
                overfull = judged < -1; /* shrinks past its limit */
            }
            int bad = badness(judged);
            skip = overfull || bad > tolerance;
            fit = fitness_of(judged);
            base = (double)(LINE_PENALTY + bad) * (LINE_PENALTY + bad);
            if (pen > 0)
                base += (double)pen * pen;
            else if (pen > -CB_KP_INFINITY)
                base -= (double)pen * pen;
            int prev_flagged = nd->item < n &&
                               items[nd->item].kind == CB_KP_PENALTY &&
                               items[nd->item].flagged;
            if (flagged && prev_flagged)
                base += DOUBLE_HYPHEN_DEMERITS;
            else if (forced && prev_flagged)
                base += FINAL_HYPHEN_DEMERITS;
        }
        /* a line that must shrink past its limit only gets longer later */
        if (!(overfull || forced))
            k->active[keep++] = a;
        if (skip)
            continue;
        double d = base;
        if (abs(fit - nd->fitness) > 1)
            d += ADJ_DEMERITS;
        d += nd->demerits;
        if (d < best[fit].demerits) {
            /* the line's own ratio (without emergency stretch), worked
             * out only for a line that may be kept */
            double ratio = room == 0 ? 0
                           : give > 0 ? room / give
                           : room > 0 ? INFINITY : -INFINITY;
            best[fit] = (candidate){d, (long)a, (float)ratio};
        }
    }
    k->n_active = keep;
    /* A node whose demerits exceed another's at the same break by more
     * than the adjacency demerits can never be the better start of a
     * line (both see the same lines ahead), nor the better end: it is
     * not made. In the emergency pass, where every node stays until its
     * lines overflow, this keeps the active list short. */
    double least = INFINITY;
    for (int c = 0; c < 4; c++)
        least = best[c].demerits < least ? best[c].demerits : least;
    if (least == INFINITY)
        return;
    double w, y, z;
    after_break(k, items, n, b, &w, &y, &z);
    for (int c = 0; c < 4; c++) {
        if (best[c].demerits == INFINITY ||
            best[c].demerits > least + ADJ_DEMERITS)
            continue;
        node nd = {b, k->nodes[best[c].from].line + 1, c, best[c].demerits,
                   best[c].ratio, best[c].from, w, y, z};
        add_node(k, nd);
    }
}

static int legal_break(const cb_kp_item *items, size_t b)
{
    if (items[b].kind == CB_KP_GLUE)
        return b > 0 && items[b - 1].kind == CB_KP_BOX;
    return items[b].kind == CB_KP_PENALTY &&
           items[b].penalty < CB_KP_INFINITY;
}

static long collect(const breaker *k, size_t n, cb_kp_break **breaks)
{
    long best = -1;
    for (size_t a = 0; a < k->n_nodes; a++)
        if (k->nodes[a].item == n - 1 &&
            (best < 0 || k->nodes[a].demerits < k->nodes[best].demerits))
            best = (long)a;
    if (best < 0)
        return -1;
    long lines = k->nodes[best].line;
    *breaks = cb_xcalloc((size_t)lines + 1, sizeof **breaks);
    for (long a = best, i = lines - 1; a > 0 && i >= 0;
         a = k->nodes[a].prev, i--)
        (*breaks)[i] = (cb_kp_break){k->nodes[a].item, k->nodes[a].ratio};
    return lines;
}

long cb_kp_break_lines(const cb_kp_item *items, size_t n, float first_width,
                       float width, int tolerance, float emergency,
                       cb_kp_break **breaks)
{
    *breaks = NULL;
    if (n == 0)
        return 0;
    breaker k = {0};
    /* the three prefix sums in one block, each written before it is read */
    k.sw = cb_xmalloc(3 * (n + 1) * sizeof *k.sw);
    k.sy = k.sw + n + 1;
    k.sz = k.sy + n + 1;
    k.sw[0] = k.sy[0] = k.sz[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int counts = items[i].kind != CB_KP_PENALTY;
        k.sw[i + 1] = k.sw[i] + (counts ? items[i].width : 0);
        k.sy[i + 1] =
            k.sy[i] + (items[i].kind == CB_KP_GLUE ? items[i].stretch : 0);
        k.sz[i + 1] =
            k.sz[i] + (items[i].kind == CB_KP_GLUE ? items[i].shrink : 0);
    }
    /* the start of the paragraph is node 0 */
    add_node(&k, (node){n, 0, 1, 0, 0, -1, 0, 0, 0});
    for (size_t b = 0; b < n && k.n_active; b++)
        if (legal_break(items, b))
            try_break(&k, items, n, b, first_width, width, tolerance,
                      emergency);
    long lines = collect(&k, n, breaks);
    free(k.nodes);
    free(k.active);
    free(k.sw);
    return lines;
}
