/* pdf_tags.c - the structure tree of a tagged PDF (see pdf_tags.h).
 *
 * libharu 2.3.0 writes no structure, and its own objects cost too much
 * for a tree of one element per paragraph and link (a dictionary of three
 * keys takes over 500 bytes and the writer looks keys up one by one: a
 * 2,000-contribution book took 27 % more CPU and 100 MB more memory). The
 * tree is kept here in plain arrays and written by pdf_tags_write as
 * compact objects; the writer (pdf.c) numbers them, and writes the
 * catalog's entries and the pages' and annotations' keys. The marked
 * content is written into the page streams by the caller with the other
 * raw operators.
 *
 * The display list says what each block is (its role, set by the
 * composer); the tree groups them as the booklet reads:
 *
 *   Document
 *     Part      a part of the front or back matter, its title an H1, then
 *               its TOC (of TOCI) or Index (of P)
 *     Sect      a group of contributions (a day, a session; H1), and a
 *       Sect    subgroup within it (H2)
 *         Sect  one contribution: its title (H1, or H2, H3 inside groups),
 *               its fields and text (P), headings inside its text, lists
 *               (L of LI, each a Lbl and an LBody), formulas (Formula,
 *               with /Alt), code, links (Link, with the annotation's
 *               object reference)
 *
 * Blocks come in reading order (the composer numbers them as it places
 * them), so the tree's order is the reading order, across columns and
 * pages; a block that goes on to the next page is one element with
 * marked content on both. Anything drawn outside a block (running heads,
 * footers, folios) and every rule and decoration is an artifact. */
#include "pdf_tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_unicode.h"
#include "cb_util.h"

/* A structure element. Element 0 is the Document; as an element number
 * elsewhere, 0 means none. */
typedef struct {
    const char *type; /* its role: a static name */
    int parent;       /* -1 for the Document, whose parent is the root */
    int pg;           /* the page of its first content, -1 while none */
    char *alt;        /* a formula's text, or NULL */
    const char *lang; /* its language, when not its parent's, or NULL */
} elem;

/* One kid of an element, in the order they come. */
enum { KID_ELEM, KID_MCID, KID_OBJR };
typedef struct {
    int elem, kind;
    int a, b; /* KID_ELEM: the kid; KID_MCID: page, MCID; KID_OBJR: the
                 annotation's object number (its page is the Link's) */
    int page; /* the page it came on: kids are in the order of their
                 pages in the document (front matter, drawn after the
                 body, is read before it), then as they came */
} kid;

/* The parent tree is a number tree of leaves of at most NUMS_MAX keys (a
 * page, or a link): a viewer reads one leaf to find an element. */
#define NUMS_MAX 1000

typedef struct {
    int elem;     /* the block's element (a list item: its LBody) */
    int label;    /* a list item's Lbl, for its marker */
    int labelled; /* the marker has been drawn */
} block_elem;

enum { OPEN_NONE, OPEN_ARTIFACT, OPEN_ELEM };

struct pdf_tags {
    const char *lang;
    char **langs;      /* the other languages met, each kept once: a
                        * page's items are freed once it is written */
    size_t n_langs, cap_langs;
    elem *elems;
    size_t n_elems, cap_elems;
    kid *kids;
    size_t n_kids, cap_kids;
    /* the open groups */
    int part, group[2], sect, list, toc, index;
    int n_groups;
    int titled;            /* the open contribution has its title */
    block_elem *blocks;    /* by block number */
    size_t cap_blocks;
    int cur;               /* the block being drawn, 0 for none */
    int span;              /* the element of the open span in it, or 0 */
    /* the pages: object numbers, and where each one's MCIDs begin in mc
     * (the element of each, in order) */
    unsigned *page_obj;
    size_t *page_mc;
    size_t n_pages, cap_pages, cap_page_mc;
    int *mc;
    size_t n_mc, cap_mc;
    int open;              /* what marked content is open */
    int open_elem;
    /* the Link element of every link item, in drawing order, and the
     * ones whose annotations have come (pdf_tags_annot) */
    int *links;
    size_t n_links, cap_links, next_link;
};

static void add_kid(pdf_tags *t, int e, int kind, int a, int b)
{
    cb_grow(&t->kids, &t->cap_kids, t->n_kids + 1, sizeof *t->kids);
    t->kids[t->n_kids++] =
        (kid){e, kind, a, b, t->n_pages ? (int)t->n_pages - 1 : 0};
}

/* A new element of role type (a static name), the last kid of parent. */
static int new_elem(pdf_tags *t, int parent, const char *type)
{
    cb_grow(&t->elems, &t->cap_elems, t->n_elems + 1, sizeof *t->elems);
    int e = (int)t->n_elems++;
    t->elems[e] = (elem){type, parent, -1, NULL, NULL};
    if (parent >= 0)
        add_kid(t, parent, KID_ELEM, e, 0);
    return e;
}

pdf_tags *pdf_tags_new(const char *lang)
{
    pdf_tags *t = cb_xcalloc(1, sizeof *t);
    t->lang = lang;
    new_elem(t, -1, "Document");
    return t;
}

/* The element blocks of role `role` go into, opening the groups it
 * starts. */
static int container(pdf_tags *t, const char *role)
{
    if (!strcmp(role, "LI")) {
        if (!t->list)
            t->list = new_elem(t, container(t, "P"), "L");
        return t->list;
    }
    t->list = 0;
    if (!strcmp(role, "TOCI")) {
        if (!t->toc)
            t->toc = new_elem(t, t->part, "TOC");
        return t->toc;
    }
    if (!strcmp(role, "Index")) {
        if (!t->index)
            t->index = new_elem(t, t->part, "Index");
        return t->index;
    }
    if (t->sect)
        return t->sect;
    if (t->n_groups)
        return t->group[t->n_groups - 1];
    return t->part; /* or the Document */
}

static const char *heading_type(int level)
{
    static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    return h[level < 1 ? 0 : level > 6 ? 5 : level - 1];
}

/* Formula or Figure e's /Alt, what a screen reader says: the plain text
 * of the formula its span carries (items[i] or the first after it), an
 * image's alt text, or else the text of the items after items[i], to the
 * next block or span end. */
static void set_alt(pdf_tags *t, int e, const cb_item *items, size_t n,
                    size_t i)
{
    cb_buf alt = {0};
    for (size_t j = i; j < n; j++) {
        const cb_item *it = &items[j];
        if (j > i && (it->kind == CB_ITEM_BLOCK ||
                      (it->kind == CB_ITEM_SPAN && !it->text)))
            break;
        if ((it->kind == CB_ITEM_SPAN && it->text && it->actual) ||
            (it->kind == CB_ITEM_IMAGE && it->actual)) {
            alt.len = 0;
            cb_buf_puts(&alt, it->actual);
            break;
        }
        if (j > i && it->kind == CB_ITEM_TEXT && it->text)
            cb_buf_puts(&alt, it->text);
    }
    if (alt.len)
        t->elems[e].alt = alt.data;
    else
        cb_buf_free(&alt);
}

/* lang, kept as long as t. */
static const char *keep_lang(pdf_tags *t, const char *lang)
{
    if (t->lang && !strcmp(lang, t->lang))
        return t->lang;
    for (size_t i = 0; i < t->n_langs; i++)
        if (!strcmp(t->langs[i], lang))
            return t->langs[i];
    cb_grow(&t->langs, &t->cap_langs, t->n_langs, sizeof *t->langs);
    return t->langs[t->n_langs++] = cb_xstrdup(lang);
}

/* The language of element e, inherited. */
static const char *lang_of(const pdf_tags *t, int e)
{
    for (; e >= 0; e = t->elems[e].parent)
        if (t->elems[e].lang)
            return t->elems[e].lang;
    return t->lang;
}

/* Gives element e the language lang (NULL: the document's) when it is
 * not the one it inherits. */
static void set_lang(pdf_tags *t, int e, const char *lang)
{
    const char *up = lang_of(t, t->elems[e].parent);
    if (!lang)
        lang = t->lang;
    if (lang && (!up || strcmp(lang, up)))
        t->elems[e].lang = keep_lang(t, lang);
}

/* Creates the element(s) of block `id` when it is first drawn; lang is
 * its language when not the document's. */
static void open_block(pdf_tags *t, int id, const char *role, const char *lang,
                       const cb_item *items, size_t n, size_t i)
{
    if ((size_t)id >= t->cap_blocks) { /* new slots empty */
        size_t cap = t->cap_blocks ? t->cap_blocks : 256;
        while (cap <= (size_t)id)
            cap *= 2;
        t->blocks = cb_xrealloc(t->blocks, cap * sizeof *t->blocks);
        memset(t->blocks + t->cap_blocks, 0,
               (cap - t->cap_blocks) * sizeof *t->blocks);
        t->cap_blocks = cap;
    }
    block_elem *b = &t->blocks[id];
    if (!strcmp(role, "Part")) { /* contents, an index, a preface */
        t->part = new_elem(t, 0, "Part");
        t->n_groups = 0;
        t->sect = t->list = t->toc = t->index = 0;
        b->elem = new_elem(t, t->part, "H1");
        return;
    }
    if (!strcmp(role, "Group0") || !strcmp(role, "Group1")) {
        int level = role[5] - '0';
        if (level > t->n_groups)
            level = t->n_groups;
        t->part = 0; /* the body begins */
        t->sect = t->list = t->toc = t->index = 0;
        t->group[level] = new_elem(t, level ? t->group[level - 1] : 0,
                                   "Sect");
        t->n_groups = level + 1;
        b->elem = new_elem(t, t->group[level], heading_type(level + 1));
        return;
    }
    if (!strcmp(role, "IdLine") || !strcmp(role, "Title")) {
        /* one contribution: its id line (a report's) or its title opens
         * it, and a title after an id line joins the id line's */
        int join = !strcmp(role, "Title") && t->sect && !t->titled;
        t->part = 0; /* the body begins */
        t->list = t->toc = t->index = 0;
        if (!join) {
            t->sect = 0;
            t->sect = new_elem(t, container(t, "Sect"), "Sect");
            set_lang(t, t->sect, lang); /* a contribution's language */
        }
        t->titled = !strcmp(role, "Title");
        b->elem = new_elem(t, t->sect,
                           t->titled ? heading_type(t->n_groups + 1) : "P");
        return;
    }
    int parent = container(t, role);
    if (!strcmp(role, "H")) { /* a heading inside a contribution's text */
        b->elem = new_elem(t, parent, heading_type(t->n_groups + 2));
    } else if (!strcmp(role, "LI")) {
        int li = new_elem(t, parent, "LI");
        b->label = new_elem(t, li, "Lbl");
        b->elem = new_elem(t, li, "LBody");
    } else if (!strcmp(role, "TOCI")) {
        b->elem = new_elem(t, parent, "TOCI");
    } else if (!strcmp(role, "Formula")) {
        b->elem = new_elem(t, parent, "Formula");
        set_alt(t, b->elem, items, n, i);
    } else if (!strcmp(role, "Figure")) {
        b->elem = new_elem(t, parent, "Figure");
        set_alt(t, b->elem, items, n, i);
    } else if (!strcmp(role, "Code")) {
        b->elem = new_elem(t, parent, "Code");
    } else {
        b->elem = new_elem(t, parent, "P");
    }
    set_lang(t, b->elem, lang);
    if (b->label)
        set_lang(t, b->label, lang);
}

long pdf_tags_annot(pdf_tags *t, int page, unsigned annot)
{
    if (t->next_link >= t->n_links)
        return -1;
    int link = t->links[t->next_link++];
    t->elems[link].pg = page; /* the page of its annotation */
    add_kid(t, link, KID_OBJR, (int)annot, 0);
    /* its key in the parent tree: after the pages' (whose count is not
     * known yet: the writer adds it, see pdf_tags_write) */
    return (long)t->next_link - 1;
}

int pdf_tags_begin_page(pdf_tags *t, unsigned page)
{
    cb_grow(&t->page_obj, &t->cap_pages, t->n_pages + 1, sizeof *t->page_obj);
    cb_grow(&t->page_mc, &t->cap_page_mc, t->n_pages + 2, sizeof *t->page_mc);
    t->page_obj[t->n_pages] = page;
    t->page_mc[t->n_pages] = t->n_mc;
    t->n_pages++;
    t->open = OPEN_NONE;
    t->open_elem = 0;
    t->cur = 0;
    return (int)t->n_pages - 1;
}

static void close_open(pdf_tags *t, cb_buf *ops)
{
    if (t->open != OPEN_NONE)
        cb_buf_puts(ops, "EMC\n");
    t->open = OPEN_NONE;
    t->open_elem = 0;
}

/* Marked content for element e on this page: a new MCID, recorded in the
 * element and in the page's parent tree entry. */
static void open_elem(pdf_tags *t, int e, cb_buf *ops)
{
    int page = (int)t->n_pages - 1;
    int mcid = (int)(t->n_mc - t->page_mc[page]);
    cb_buf_putc(ops, '/');
    cb_buf_puts(ops, t->elems[e].type);
    cb_buf_puts(ops, " <</MCID ");
    cb_buf_uint(ops, (unsigned)mcid);
    cb_buf_puts(ops, ">> BDC\n");
    if (t->elems[e].pg < 0)
        t->elems[e].pg = page;
    add_kid(t, e, KID_MCID, page, mcid);
    cb_grow(&t->mc, &t->cap_mc, t->n_mc + 1, sizeof *t->mc);
    t->mc[t->n_mc++] = e;
    t->open = OPEN_ELEM;
    t->open_elem = e;
}

int pdf_tags_item(pdf_tags *t, const cb_item *items, size_t n, size_t i,
                  cb_buf *ops)
{
    const cb_item *it = &items[i];
    size_t before = ops->len;
    if (!t->n_pages)
        return 0;
    if (it->kind == CB_ITEM_BLOCK) {
        if ((size_t)it->block >= t->cap_blocks ||
            !t->blocks[it->block].elem)
            open_block(t, it->block, it->text ? it->text : "P", it->actual,
                       items, n, i);
        t->cur = it->block;
        t->span = 0;
        return 0;
    }
    if (it->kind == CB_ITEM_SPAN) {
        /* a formula in a line of text: a Formula in the block's element
         * (a formula block is one already) */
        int in = t->cur ? t->blocks[t->cur].elem : 0;
        t->span = 0;
        if (it->text && in && strcmp(t->elems[in].type, it->text)) {
            t->span = new_elem(t, in, "Formula");
            set_alt(t, t->span, items, n, i);
        }
        return 0;
    }
    if (it->kind == CB_ITEM_LINK_URI || it->kind == CB_ITEM_LINK_PAGE) {
        /* a Link in the block it is in; its annotation comes later */
        int in = t->cur ? t->blocks[t->cur].elem : 0;
        cb_grow(&t->links, &t->cap_links, t->n_links + 1, sizeof *t->links);
        t->links[t->n_links++] = new_elem(t, in, "Link");
        return 0;
    }
    int content = (it->kind == CB_ITEM_TEXT && !it->artifact) ||
                  (it->kind == CB_ITEM_IMAGE && it->actual);
    if (content && t->cur) {
        block_elem *b = &t->blocks[t->cur];
        int e = t->span ? t->span : b->elem;
        if (b->label && !b->labelled) { /* a list item's marker, first */
            e = b->label;
            b->labelled = 1;
        }
        if (t->open != OPEN_ELEM || t->open_elem != e) {
            close_open(t, ops);
            open_elem(t, e, ops);
        }
    } else if (t->open != OPEN_ARTIFACT) {
        /* running heads, footers, folios, rules, decorations */
        close_open(t, ops);
        cb_buf_puts(ops, "/Artifact BMC\n");
        t->open = OPEN_ARTIFACT;
    }
    return ops->len > before;
}

int pdf_tags_end_page(pdf_tags *t, cb_buf *ops)
{
    size_t before = ops->len;
    close_open(t, ops);
    t->cur = t->span = 0;
    return ops->len > before;
}

/* A UTF-16 unit as four upper-case hex digits. */
static void put_unit(cb_buf *b, unsigned v)
{
    static const char digits[] = "0123456789ABCDEF";
    char s[4] = {digits[(v >> 12) & 15], digits[(v >> 8) & 15],
                 digits[(v >> 4) & 15], digits[v & 15]};
    cb_buf_add(b, s, 4);
}

void pdf_utf16_hex(cb_buf *b, const char *s)
{
    for (size_t n = strlen(s); *s;) {
        int len;
        long cp = cb_utf8_decode(s, n, &len);
        s += len, n -= (size_t)len;
        if (cp < 0)
            cp = 0xFFFD;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_unit(b, (unsigned)(0xD800 + (cp >> 10)));
            put_unit(b, (unsigned)(0xDC00 + (cp & 0x3FF)));
        } else {
            put_unit(b, (unsigned)cp);
        }
    }
}

void pdf_text_string(cb_buf *b, const char *s)
{
    cb_buf_puts(b, "<FEFF");
    pdf_utf16_hex(b, s);
    cb_buf_putc(b, '>');
}

/* "num 0 R" */
static void put_ref(cb_buf *b, unsigned num)
{
    cb_buf_uint(b, num);
    cb_buf_puts(b, " 0 R");
}

/* One kid in an element's /K. */
static void put_kid(pdf_tags *t, cb_buf *b, const elem *e, const kid *k,
                    unsigned first)
{
    switch (k->kind) {
    case KID_ELEM:
        put_ref(b, first + (unsigned)k->a);
        break;
    case KID_MCID:
        if (k->a == e->pg) /* its page is the element's /Pg */
            cb_buf_uint(b, (unsigned)k->b);
        else
            cb_buf_printf(b, "<</Type/MCR/Pg %u 0 R/MCID %d>>",
                          t->page_obj[k->a], k->b);
        break;
    default:
        cb_buf_printf(b, "<</Type/OBJR/Obj %u 0 R>>", (unsigned)k->a);
        break;
    }
}

/* /Nums of the parent tree's keys from key to end: each link's Link
 * element, then a page's elements by MCID. */
static void put_nums(pdf_tags *t, cb_buf *b, size_t key, size_t end,
                     unsigned first)
{
    cb_buf_puts(b, "/Nums[");
    for (; key < end; key++) {
        cb_buf_uint(b, key);
        cb_buf_putc(b, ' ');
        if (key < t->next_link) {
            put_ref(b, first + (unsigned)t->links[key]);
            cb_buf_putc(b, '\n');
            continue;
        }
        size_t page = key - t->next_link;
        size_t m = t->page_mc[page];
        size_t last = page + 1 < t->n_pages ? t->page_mc[page + 1] : t->n_mc;
        cb_buf_putc(b, '[');
        for (; m < last; m++) {
            put_ref(b, first + (unsigned)t->mc[m]);
            if (m + 1 < last)
                cb_buf_putc(b, ' ');
        }
        cb_buf_puts(b, "]\n");
    }
    cb_buf_putc(b, ']');
}

/* The leaves of the parent tree: none when its keys fit in the root. */
static size_t nums_leaves(const pdf_tags *t)
{
    size_t n_keys = t->n_pages + t->next_link;
    return n_keys > NUMS_MAX ? (n_keys + NUMS_MAX - 1) / NUMS_MAX : 0;
}

size_t pdf_tags_count(const pdf_tags *t)
{
    return t->n_elems + nums_leaves(t);
}

long pdf_tags_page_key(const pdf_tags *t, int page)
{
    return (long)t->next_link + page;
}

/* The kids in the order they are written: by element, then by the place
 * of their page in the document, then as they came. */
typedef struct {
    int elem, place;
    size_t index;
} kid_key;

static int kid_cmp(const void *x, const void *y)
{
    const kid_key *a = x, *b = y;
    if (a->elem != b->elem)
        return a->elem < b->elem ? -1 : 1;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

void pdf_tags_write(pdf_tags *t, unsigned root, unsigned first,
                    const int *places, pdf_tags_put *put, void *ctx)
{
    size_t n = t->n_elems;
    size_t *start = cb_xcalloc(n + 1, sizeof *start);
    kid_key *order = cb_xcalloc(t->n_kids + 1, sizeof *order);
    for (size_t i = 0; i < t->n_kids; i++) {
        const kid *k = &t->kids[i];
        start[k->elem + 1]++;
        order[i] = (kid_key){k->elem, places[k->page], i};
    }
    for (size_t e = 0; e < n; e++)
        start[e + 1] += start[e];
    qsort(order, t->n_kids, sizeof *order, kid_cmp);
    /* the parent tree's keys: a link each, then a page each */
    size_t n_keys = t->n_pages + t->next_link, n_leaves = nums_leaves(t);
    cb_buf b = {0};
    cb_buf_printf(&b, "<</Type/StructTreeRoot/K %u 0 R"
                      "/ParentTreeNextKey %zu/ParentTree<<",
                  first, n_keys);
    if (!n_leaves) {
        put_nums(t, &b, 0, n_keys, first);
        cb_buf_puts(&b, ">>>>");
        put(ctx, root, &b);
    } else {
        cb_buf_puts(&b, "/Kids[");
        for (size_t j = 0; j < n_leaves; j++)
            cb_buf_printf(&b, "%s%zu 0 R", j ? " " : "", first + n + j);
        cb_buf_puts(&b, "]>>>>");
        put(ctx, root, &b);
        for (size_t j = 0; j < n_leaves; j++) {
            size_t key = j * NUMS_MAX;
            size_t end = key + NUMS_MAX < n_keys ? key + NUMS_MAX : n_keys;
            b.len = 0;
            cb_buf_printf(&b, "<</Limits[%zu %zu]", key, end - 1);
            put_nums(t, &b, key, end, first);
            cb_buf_puts(&b, ">>");
            put(ctx, (unsigned)(first + n + j), &b);
        }
    }
    for (size_t e = 0; e < n; e++) {
        const elem *el = &t->elems[e];
        b.len = 0;
        cb_buf_puts(&b, "<</S/");
        cb_buf_puts(&b, el->type);
        cb_buf_puts(&b, "/P ");
        put_ref(&b, el->parent < 0 ? root : first + (unsigned)el->parent);
        if (el->pg >= 0) {
            cb_buf_puts(&b, "/Pg ");
            put_ref(&b, t->page_obj[el->pg]);
        }
        if (el->alt) {
            cb_buf_puts(&b, "/Alt");
            pdf_text_string(&b, el->alt);
        }
        if (el->lang) /* a tag: letters, digits and hyphens */
            cb_buf_printf(&b, "/Lang(%s)", el->lang);
        size_t nk = start[e + 1] - start[e];
        cb_buf_puts(&b, nk == 1 ? "/K " : "/K[");
        for (size_t j = start[e]; j < start[e + 1]; j++) {
            if (j > start[e])
                cb_buf_putc(&b, ' ');
            put_kid(t, &b, el, &t->kids[order[j].index], first);
        }
        cb_buf_puts(&b, nk == 1 ? ">>" : "]>>");
        put(ctx, (unsigned)(first + e), &b);
    }
    cb_buf_free(&b);
    free(start);
    free(order);
}

void pdf_tags_free(pdf_tags *t)
{
    if (!t)
        return;
    for (size_t e = 0; e < t->n_elems; e++)
        free(t->elems[e].alt);
    for (size_t i = 0; i < t->n_langs; i++)
        free(t->langs[i]);
    free(t->langs);
    free(t->elems);
    free(t->kids);
    free(t->blocks);
    free(t->page_obj);
    free(t->page_mc);
    free(t->mc);
    free(t->links);
    free(t);
}
