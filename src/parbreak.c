/* parbreak.c - total-fit line breaking (see cb_parbreak.h). */
#include "cb_parbreak.h"

#include <math.h>
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
    size_t keep = 0;
    for (size_t i = 0; i < k->n_active; i++) {
        size_t a = k->active[i];
        node *nd = &k->nodes[a];
        double len =
            k->sw[b] - nd->w + (it->kind == CB_KP_PENALTY ? it->width : 0);
        double measure = nd->line == 0 ? first_width : width;
        double ratio = 0, judged = 0;
        if (len < measure) {
            double y = k->sy[b] - nd->y;
            ratio = y > 0 ? (measure - len) / y : INFINITY;
            /* \emergencystretch: badness is judged with extra stretch, so
             * looseness spreads over lines instead of one awful line */
            judged = y + emergency > 0 ? (measure - len) / (y + emergency)
                                       : INFINITY;
        } else if (len > measure) {
            double z = k->sz[b] - nd->z;
            ratio = z > 0 ? (measure - len) / z : -INFINITY;
            judged = ratio;
        }
        /* a line that must shrink past its limit only gets longer later */
        if (!(ratio < -1 || forced))
            k->active[keep++] = a;
        int bad = badness(judged);
        if (ratio < -1 || bad > tolerance)
            continue;
        double d = (double)(LINE_PENALTY + bad) * (LINE_PENALTY + bad);
        if (pen > 0)
            d += (double)pen * pen;
        else if (pen > -CB_KP_INFINITY)
            d -= (double)pen * pen;
        int prev_flagged = nd->item < n &&
                           items[nd->item].kind == CB_KP_PENALTY &&
                           items[nd->item].flagged;
        if (flagged && prev_flagged)
            d += DOUBLE_HYPHEN_DEMERITS;
        else if (forced && prev_flagged)
            d += FINAL_HYPHEN_DEMERITS;
        int fit = fitness_of(judged);
        if (abs(fit - nd->fitness) > 1)
            d += ADJ_DEMERITS;
        d += nd->demerits;
        if (d < best[fit].demerits)
            best[fit] = (candidate){d, (long)a, (float)ratio};
    }
    k->n_active = keep;
    double w, y, z;
    after_break(k, items, n, b, &w, &y, &z);
    for (int c = 0; c < 4; c++) {
        if (best[c].demerits == INFINITY)
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
    k.sw = cb_xcalloc(n + 1, sizeof *k.sw);
    k.sy = cb_xcalloc(n + 1, sizeof *k.sy);
    k.sz = cb_xcalloc(n + 1, sizeof *k.sz);
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
    free(k.sy);
    free(k.sz);
    return lines;
}
