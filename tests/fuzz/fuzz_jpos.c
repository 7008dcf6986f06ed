/* fuzz_jpos.c - libFuzzer target: any bytes through cb_jpos_locate; and
 * when jansson reads them, every value of the tree is found by its path
 * at a character that opens a value of its type. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_jpos.h"
#include "cb_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    char **paths;
    json_t **values;
    size_t n, cap;
} walk;

static void visit(walk *w, json_t *v, cb_buf *path)
{
    if (w->n >= 4096)
        return;
    cb_grow(&w->paths, &w->cap, w->n, sizeof *w->paths);
    w->values = realloc(w->values, w->cap * sizeof *w->values);
    w->paths[w->n] = cb_xstrdup(path->data ? path->data : "");
    w->values[w->n++] = v;
    size_t mark = path->len;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (strchr(k, '.') || strchr(k, '['))
                continue; /* such paths are not unique */
            if (path->len)
                cb_buf_putc(path, '.');
            cb_buf_puts(path, k);
            visit(w, x, path);
            path->len = mark;
            if (path->data)
                path->data[mark] = '\0';
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            cb_buf_printf(path, "[%zu]", i);
            visit(w, json_array_get(v, i), path);
            path->len = mark;
            path->data[mark] = '\0';
        }
    }
}

/* The byte at line:col of text (columns in characters). */
static const char *at(const char *text, size_t len, int line, int col)
{
    size_t i = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (int l = 1, c = 1; i < len; i++) {
        if (l == line && c == col && ((unsigned char)text[i] & 0xC0) != 0x80)
            return text + i;
        if (text[i] == '\n')
            l++, c = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            c++;
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *any[] = {"", "a", "[0]", "results[0].contributions[1].title"};
    int line[4], col[4];
    cb_jpos_locate(text, size, any, 4, line, col);
    size_t skip = size >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    json_t *root = json_loadb(text + skip, size - skip,
                              JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    if (!root)
        return 0;
    walk w = {0};
    cb_buf path = {0};
    cb_buf_puts(&path, "");
    visit(&w, root, &path);
    int *l = calloc(w.n + 1, sizeof *l), *c = calloc(w.n + 1, sizeof *c);
    cb_jpos_locate(text, size, (const char *const *)w.paths, w.n, l, c);
    for (size_t i = 0; i < w.n; i++) {
        const char *p = l[i] ? at(text, size, l[i], c[i]) : NULL;
        json_t *v = w.values[i];
        int ok = p && (json_is_object(v)   ? *p == '{'
                       : json_is_array(v)  ? *p == '['
                       : json_is_string(v) ? *p == '"'
                       : json_is_true(v)   ? *p == 't'
                       : json_is_false(v)  ? *p == 'f'
                       : json_is_null(v)   ? *p == 'n'
                                           : (*p == '-' || (*p >= '0' && *p <= '9')));
        if (!ok) {
            fprintf(stderr, "jpos: %s not found where it is\n", w.paths[i]);
            abort();
        }
        free(w.paths[i]);
    }
    free(w.paths);
    free(w.values);
    free(l);
    free(c);
    cb_buf_free(&path);
    json_decref(root);
    return 0;
}
