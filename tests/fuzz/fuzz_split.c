/* fuzz_split.c - libFuzzer target: any bytes through the splitter
 * (src/ingest_split.c). When jansson reads the bytes whole, the skeleton
 * the splitter gives it must parse too, every placeholder must stand for
 * an element that parses, and putting the elements back must give the
 * very tree jansson read whole. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_ingest_split.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *p;
    size_t left;
} memory;

static size_t pull(void *ctx, char *buf, size_t size)
{
    memory *m = ctx;
    /* small and uneven pieces, so that every state meets a boundary */
    size_t n = size < 7 ? size : 7;
    n = n < m->left ? n : m->left;
    memcpy(buf, m->p, n);
    m->p += n;
    m->left -= n;
    return n;
}

/* Puts the elements back in place of the placeholders of v; 0 when one
 * is missing or does not parse. */
static int restore(json_t *v, cb_split *s)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (!strcmp(k, "contributions") && json_is_array(x)) {
                for (size_t i = 0; i < json_array_size(x); i++) {
                    json_t *item = json_array_get(x, i);
                    if (!json_is_object(item))
                        continue;
                    json_t *n = json_object_get(item, "#");
                    size_t len;
                    int line, col;
                    const char *t = json_is_integer(n)
                                        ? cb_split_element(
                                              s, (size_t)json_integer_value(n),
                                              &len, &line, &col)
                                        : NULL;
                    if (!t || line < 1 || col < 1)
                        return 0;
                    json_t *e = json_loadb(t, len, JSON_REJECT_DUPLICATES,
                                           NULL);
                    if (!e)
                        return 0;
                    json_array_set_new(x, i, e);
                }
            } else if (!restore(x, s)) {
                return 0;
            }
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!restore(json_array_get(v, i), s))
                return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memory m = {(const char *)data, size};
    cb_split *s = cb_split_new(pull, &m);
    json_t *skeleton = json_load_callback(cb_split_feed, s,
                                          JSON_REJECT_DUPLICATES |
                                              JSON_DECODE_ANY,
                                          NULL);
    json_t *whole = json_loadb((const char *)data, size,
                               JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
    if (whole) {
        if (!skeleton || !cb_split_complete(s) || !restore(skeleton, s) ||
            !json_equal(skeleton, whole)) {
            fprintf(stderr, "split: the tree put back is not the whole\n");
            abort();
        }
    }
    json_decref(whole);
    json_decref(skeleton);
    cb_split_free(s);
    return 0;
}
