/* ingest_merge.c - several inputs as one event: late contributions from a
 * spreadsheet added to an Indico export (see cb_ingest.h). */
#include "cb_ingest.h"
#include "cb_order.h"

#include <stdlib.h>
#include <string.h>

/* An id that two inputs both use, reported at the later place (in input
 * order) with the earlier one named. `from` is where each input's
 * contributions start in e. Returns whether there was one. */
static int check_ids(const cb_event *e, const size_t *from, size_t n_inputs,
                     cb_diag *diag)
{
    const cb_contribution **k = cb_order_by_id(e);
    int bad = 0;
    for (size_t i = 1; i < e->n_contribs; i++) {
        if (strcmp(k[i - 1]->id, k[i]->id) != 0)
            continue;
        /* the input each came from: duplicates within one input are that
         * input's own business, as before */
        size_t a = 0, b = 0, ia = (size_t)(k[i - 1] - e->contribs),
               ib = (size_t)(k[i] - e->contribs);
        while (a + 1 < n_inputs && from[a + 1] <= ia)
            a++;
        while (b + 1 < n_inputs && from[b + 1] <= ib)
            b++;
        if (a == b)
            continue;
        cb_buf other = {0};
        cb_place_text(&other, k[i - 1]->where);
        cb_diag_error(diag, k[i]->where, "contribution id \"%s\" is also "
                      "used at %s: ids must be unique across the inputs",
                      k[i]->id, other.data);
        cb_buf_free(&other);
        bad = 1;
    }
    free(k);
    return bad;
}

/* The kept files of the n inputs m (the first's arena holds the list;
 * each file's bytes stay in its own model's), their names made unique. */
static void gather_files(cb_model *first, cb_model *const *m, size_t n)
{
    cb_source_file *all = cb_arena_alloc(first->arena, n * sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const cb_model *x = i ? m[i] : first;
        if (!x->n_files)
            continue;
        all[k] = x->files[0];
        for (size_t j = 0, again = 1; j < k; j++)
            if (!strcmp(all[j].name, all[k].name)) { /* a.json (2) */
                all[k].name = cb_arena_printf(first->arena, "%s (%zu)",
                                              x->files[0].name, ++again);
                j = (size_t)-1;
            }
        k++;
    }
    first->files = all;
    first->n_files = k;
}

/* Hands inputs m[1..n) to first, whose contributions or events point into
 * them: their kept files listed in first's, the models themselves freed
 * with it (m[0] is first, already taken out of m). */
static void adopt(cb_model *first, cb_model **m, size_t n, unsigned flags)
{
    if (flags & CB_INGEST_KEEP_FILES)
        gather_files(first, m, n);
    /* the others' strings stay theirs: the first owns them from now */
    for (size_t i = n; i-- > 1;) {
        m[i]->merged = first->merged;
        first->merged = m[i];
        m[i] = NULL;
    }
}

/* The events of all n inputs, in order, in the first's model, which owns
 * the others from then on. */
static cb_model *events_side_by_side(cb_model **m, size_t n, unsigned flags)
{
    cb_model *first = m[0];
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += m[i]->n_events;
    cb_event *all = cb_arena_alloc(first->arena,
                                   (total ? total : 1) * sizeof *all);
    for (size_t i = 0, at = 0; i < n; i++) {
        memcpy(all + at, m[i]->events, m[i]->n_events * sizeof *all);
        at += m[i]->n_events;
    }
    first->events = all;
    first->n_events = total;
    m[0] = NULL;
    adopt(first, m, n, flags);
    return first;
}

cb_model *cb_ingest_load_all(const char *const *paths, size_t n,
                             cb_format format, unsigned flags, cb_diag *diag,
                             int *io_error)
{
    cb_model **m = cb_xcalloc(n ? n : 1, sizeof *m);
    cb_model *first = NULL;
    int failed = 0, io = 0;
    /* every input is read, so one run reports the problems of all */
    for (size_t i = 0; i < n; i++) {
        int e = 0;
        m[i] = cb_ingest_load_kept(paths[i], format, flags, diag, &e);
        failed |= !m[i];
        io |= e;
    }
    if (io_error)
        *io_error = io;
    if (!failed && n > 1 && (flags & CB_INGEST_EVENTS)) {
        first = events_side_by_side(m, n, flags);
        goto out;
    }
    if (!failed && n > 1 && m[0]->n_events != 1) {
        cb_diag_error(diag, m[0]->source, "holds %zu events: with several "
                      "inputs, the first gives the one event they make",
                      m[0]->n_events);
        failed = 1;
    }
    if (failed)
        goto out;
    first = m[0];
    m[0] = NULL;
    if (n == 1)
        goto out;
    /* the first event's contributions, then each further input's */
    cb_event *e = &first->events[0];
    size_t total = e->n_contribs;
    size_t *from = cb_xmalloc(n * sizeof *from);
    for (size_t i = 1; i < n; i++)
        for (size_t k = 0; k < m[i]->n_events; k++)
            total += m[i]->events[k].n_contribs;
    cb_contribution *all = cb_arena_alloc(first->arena,
                                          (total ? total : 1) * sizeof *all);
    memcpy(all, e->contribs, e->n_contribs * sizeof *all);
    from[0] = 0;
    for (size_t i = 1, at = e->n_contribs; i < n; i++) {
        from[i] = at;
        for (size_t k = 0; k < m[i]->n_events; k++) {
            const cb_event *ek = &m[i]->events[k];
            memcpy(all + at, ek->contribs, ek->n_contribs * sizeof *all);
            at += ek->n_contribs;
        }
    }
    e->contribs = all;
    e->n_contribs = total;
    adopt(first, m, n, flags);
    if (check_ids(e, from, n, diag)) {
        cb_model_free(first);
        first = NULL;
    }
    free(from);
out:
    for (size_t i = 0; i < n; i++)
        cb_model_free(m[i]);
    free(m);
    return first;
}
