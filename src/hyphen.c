/* hyphen.c - hyphenation through libhyphen (see cb_hyphen.h). */
#include "cb_hyphen.h"

#include <hyphen.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_util.h"

/* Longer words are not hyphenated: no dictionary word is this long, and
 * the buffers below stay on the stack. */
#define MAX_WORD 64
#define LEFT_MIN 2
#define RIGHT_MIN 3

/* Words already hyphenated, by their lower-case letters: a book asks for
 * the same words again and again, and libhyphen's pattern walk allocates.
 * Direct-mapped (a new word takes its slot), so its size is fixed whatever
 * the number of words; the answers are the same with or without it. */
#define CACHE_SLOTS 16384

typedef struct {
    unsigned char len; /* 0: empty */
    char word[MAX_WORD];
    uint64_t points;   /* bit i: a break before byte i */
} cache_slot;

/* A dictionary, shared by the hyphenators of the threads that set text
 * (cb_hyphen_share): libhyphen only reads it once loaded. */
typedef struct {
    HyphenDict *d;
    atomic_int refs;
} dict_ref;

struct cb_hyphenator {
    dict_ref *dict;
    cache_slot *cache; /* each hyphenator's own */
};

static size_t word_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29)) & (CACHE_SLOTS - 1);
}

static HyphenDict *load(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/hyph_%s.dic", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    HyphenDict *d = hnj_hyphen_load_file(fp);
    fclose(fp);
    return d;
}

cb_hyphenator *cb_hyphen_new(const char *lang)
{
    const char *dir = getenv("CB_HYPHEN_DIR");
    if (!dir || !*dir)
        dir = "/usr/share/hyphen";
    /* a tag as the dictionaries are named: "pt-BR" -> hyph_pt_BR.dic;
     * then its language alone, "de" -> hyph_de.dic, then hyph_de_DE.dic */
    char name[24];
    snprintf(name, sizeof name, "%s", lang);
    for (char *p = name; *p; p++)
        if (*p == '-')
            *p = '_';
    size_t n = strcspn(name, "_");
    for (size_t i = 0; i < n; i++) /* the language in lower case */
        name[i] |= (name[i] >= 'A' && name[i] <= 'Z') ? 0x20 : 0;
    HyphenDict *d = load(dir, name);
    if (!d && name[n]) {
        name[n] = '\0';
        d = load(dir, name);
    }
    if (!d && n == 2) {
        snprintf(name + 2, sizeof name - 2, "_%c%c", name[0] & ~0x20,
                 name[1] & ~0x20);
        d = load(dir, name);
    }
    if (!d)
        return NULL;
    cb_hyphenator *h = cb_xcalloc(1, sizeof *h);
    h->dict = cb_xmalloc(sizeof *h->dict);
    h->dict->d = d;
    atomic_init(&h->dict->refs, 1);
    return h;
}

cb_hyphenator *cb_hyphen_share(cb_hyphenator *h)
{
    cb_hyphenator *s = cb_xcalloc(1, sizeof *s);
    s->dict = h->dict;
    atomic_fetch_add(&h->dict->refs, 1);
    return s;
}

void cb_hyphen_free(cb_hyphenator *h)
{
    if (!h)
        return;
    if (atomic_fetch_sub(&h->dict->refs, 1) == 1) {
        hnj_hyphen_free(h->dict->d);
        free(h->dict);
    }
    free(h->cache);
    free(h);
}

/* The points of a lower-case word from the dictionary (see
 * cb_hyphen_points), as bits. */
static uint64_t dict_points(cb_hyphenator *h, const char *lower, size_t len)
{
    char hyph[MAX_WORD + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    memset(hyph, 0, sizeof hyph);
    if (hnj_hyphen_hyphenate2(h->dict->d, lower, (int)len, hyph, NULL, &rep, &pos,
                              &cut) != 0)
        return 0;
    uint64_t points = 0;
    size_t chars_before = 0, total = cb_utf8_length(lower, len);
    for (size_t i = 0; i + 1 < len; i++) {
        if (((unsigned char)lower[i] & 0xC0) != 0x80)
            chars_before++;
        int starts_char = ((unsigned char)lower[i + 1] & 0xC0) != 0x80;
        /* replacement hyphenation (Schiff=fahrt) changes the letters: skip */
        int plain = !rep || !rep[i];
        if ((hyph[i] & 1) && starts_char && plain && chars_before >= LEFT_MIN &&
            total - chars_before >= RIGHT_MIN)
            points |= (uint64_t)1 << (i + 1);
    }
    if (rep) {
        for (size_t i = 0; i < len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return points;
}

int cb_hyphen_points(cb_hyphenator *h, const char *word, size_t len,
                     unsigned char *points)
{
    memset(points, 0, len);
    if (!h || len < LEFT_MIN + RIGHT_MIN || len > MAX_WORD)
        return 0;
    /* the patterns are lower case */
    char lower[MAX_WORD + 1];
    for (size_t i = 0; i < len; i++)
        lower[i] = (word[i] >= 'A' && word[i] <= 'Z') ? word[i] + 32 : word[i];
    lower[len] = '\0';
    if (!h->cache)
        h->cache = cb_xcalloc(CACHE_SLOTS, sizeof *h->cache);
    cache_slot *c = &h->cache[word_hash(lower, len)];
    if (c->len != len || memcmp(c->word, lower, len) != 0) {
        c->len = (unsigned char)len;
        memcpy(c->word, lower, len);
        c->points = dict_points(h, lower, len);
    }
    int n = 0;
    for (size_t i = 1; i < len; i++)
        if (c->points >> i & 1) {
            points[i] = 1;
            n++;
        }
    return n;
}
