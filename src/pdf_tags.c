/* pdf_tags.c - the structure tree of a tagged PDF (see pdf_tags.h).
 *
 * libharu 2.3.0 writes no structure: the tree, the parent tree and the
 * catalog's entries are dictionaries made with its lower layer
 * (HPDF_Dict_New, HPDF_Xref_Add), written by libharu with the rest of the
 * document; the marked content is written into the page streams by the
 * caller with the other raw operators.
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
 *               with /Alt), code
 *
 * Blocks come in reading order (the composer numbers them as it places
 * them), so the tree's order is the reading order, across columns and
 * pages; a block that goes on to the next page is one element with
 * marked content on both. Anything drawn outside a block (running heads,
 * footers, folios) and every rule and decoration is an artifact. */
#include "pdf_tags.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb_util.h"

/* An element that holds marked content: its /K is the one MCID it has
 * (most blocks: one paragraph on one page), made an array only when a
 * second comes: thousands of one-element arrays cost libharu time. */
typedef struct leaf {
    HPDF_Dict d;
    HPDF_Array k; /* /K once it is an array */
    int n, first; /* MCIDs so far, the first of them */
    struct leaf *more; /* a Span in it that takes the kids past KIDS_MAX */
} leaf;

/* libharu 2.3.0 refuses an array of more than 32,767 items
 * (HPDF_LIMIT_MAX_ARRAY): an element has at most KIDS_MAX kids, the rest
 * going into a Div (a container) or a Span (a paragraph over thousands of
 * pages) inside it; the parent tree is a number tree of leaves of
 * NUMS_MAX items (a page or a link each takes two). */
#define KIDS_MAX 30000
#define NUMS_MAX 4000

typedef struct {
    leaf elem;    /* the block's element (a list item: its LBody) */
    leaf label;   /* a list item's Lbl, for its marker */
    int labelled; /* the marker has been drawn */
} block_elem;

enum { OPEN_NONE, OPEN_ARTIFACT, OPEN_ELEM };

struct pdf_tags {
    HPDF_Doc pdf;
    const char *lang;
    HPDF_Dict root, doc;
    HPDF_Dict tree;        /* the parent tree */
    HPDF_Array nums;       /* the /Nums of its last leaf */
    HPDF_Array leaves;     /* its /Kids, once there are two leaves */
    int nums_first, nums_last; /* the keys of the last leaf */
    /* the Div that takes a container's kids past KIDS_MAX */
    struct { HPDF_Dict parent, div; } *overflow;
    size_t n_overflow, cap_overflow;
    /* the open groups, innermost last in the order below */
    HPDF_Dict part, group[2], sect, list, toc, index;
    int n_groups;
    int titled;            /* the open contribution has its title */
    block_elem *blocks;    /* by block number */
    size_t cap_blocks;
    int cur;               /* the block being drawn, 0 for none */
    /* the page being drawn */
    HPDF_Page page;
    HPDF_Array parents;    /* its elements, by MCID */
    int mcid;              /* its next MCID */
    int open;              /* what marked content is open */
    HPDF_Dict open_elem;
    int failed;
    /* the Link element of every link item, in drawing order, for the
     * annotations made after the pages (pdf_tags_annot) */
    HPDF_Dict *links;
    size_t n_links, cap_links, next_link;
    int n_pages, next_key;
};

static HPDF_MMgr mmgr(pdf_tags *t)
{
    return t->pdf->mmgr;
}

/* A new indirect dictionary: a structure element, or a root. */
static HPDF_Dict new_dict(pdf_tags *t)
{
    HPDF_Dict d = HPDF_Dict_New(mmgr(t));
    if (!d || HPDF_Xref_Add(t->pdf->xref, d) != HPDF_OK) {
        t->failed = 1;
        return NULL;
    }
    return d;
}

static HPDF_Array kids(HPDF_Dict d)
{
    return HPDF_Dict_GetItem(d, "K", HPDF_OCLASS_ARRAY);
}

/* A structure element of type `type`, the last child of parent; with a
 * /K array for its children unless it is a leaf (see leaf). */
static HPDF_Dict make_node(pdf_tags *t, HPDF_Dict parent, const char *type,
                           int is_leaf)
{
    HPDF_Dict e = new_dict(t);
    if (!e || !parent) {
        t->failed = 1;
        return NULL;
    }
    HPDF_Dict_AddName(e, "S", type); /* /Type /StructElem is optional */
    HPDF_Dict_Add(e, "P", parent);
    if (!is_leaf)
        HPDF_Dict_Add(e, "K", HPDF_Array_New(mmgr(t)));
    return e;
}

/* Where a new kid of parent goes: parent, or the Div that takes its kids
 * once it has KIDS_MAX. */
static HPDF_Dict place_in(pdf_tags *t, HPDF_Dict parent)
{
    if (!parent || HPDF_Array_Items(kids(parent)) < KIDS_MAX)
        return parent;
    for (size_t i = t->n_overflow; i-- > 0;)
        if (t->overflow[i].parent == parent)
            return place_in(t, t->overflow[i].div);
    HPDF_Dict div = make_node(t, parent, "Div", 0);
    if (!div)
        return parent;
    HPDF_Array_Add(kids(parent), div);
    cb_grow(&t->overflow, &t->cap_overflow, t->n_overflow + 1,
            sizeof *t->overflow);
    t->overflow[t->n_overflow].parent = parent;
    t->overflow[t->n_overflow++].div = div;
    return div;
}

static HPDF_Dict new_node(pdf_tags *t, HPDF_Dict parent, const char *type,
                          int is_leaf)
{
    parent = place_in(t, parent);
    HPDF_Dict e = make_node(t, parent, type, is_leaf);
    if (e)
        HPDF_Array_Add(kids(parent), e);
    return e;
}

/* Closes the parent tree's last leaf: /Nums and /Limits, under /Kids. */
static void close_leaf(pdf_tags *t)
{
    if (!t->leaves)
        t->leaves = HPDF_Array_New(mmgr(t));
    HPDF_Dict leafd = new_dict(t);
    HPDF_Array limits = HPDF_Array_New(mmgr(t));
    if (!leafd || !limits || !t->leaves) {
        t->failed = 1;
        return;
    }
    HPDF_Array_AddNumber(limits, t->nums_first);
    HPDF_Array_AddNumber(limits, t->nums_last);
    HPDF_Dict_Add(leafd, "Limits", limits);
    HPDF_Dict_Add(leafd, "Nums", t->nums);
    HPDF_Array_Add(t->leaves, leafd);
    t->nums = NULL;
}

/* One (key, value) of the parent tree; keys come in ascending order. */
static void parent_tree_add(pdf_tags *t, int key, void *value)
{
    if (HPDF_Array_Items(t->nums) >= NUMS_MAX) {
        close_leaf(t);
        t->nums = HPDF_Array_New(mmgr(t));
    }
    if (HPDF_Array_Items(t->nums) == 0)
        t->nums_first = key;
    t->nums_last = key;
    HPDF_Array_AddNumber(t->nums, key);
    HPDF_Array_Add(t->nums, value);
}

static HPDF_Dict new_elem(pdf_tags *t, HPDF_Dict parent, const char *type)
{
    return new_node(t, parent, type, 0);
}

static leaf new_leaf(pdf_tags *t, HPDF_Dict parent, const char *type)
{
    return (leaf){new_node(t, parent, type, 1), NULL, 0, 0, NULL};
}

/* Adds one of the leaf's kids: an MCID (obj NULL) or a reference. */
static void leaf_add(pdf_tags *t, leaf *l, int mcid, void *obj)
{
    if (l->n == 0 && !obj) {
        HPDF_Dict_AddNumber(l->d, "K", mcid);
        l->first = mcid;
        l->n = 1;
        return;
    }
    if (!l->k) {
        l->k = HPDF_Array_New(mmgr(t));
        if (l->n)
            HPDF_Array_AddNumber(l->k, l->first);
        HPDF_Dict_Add(l->d, "K", l->k); /* replaces the lone MCID */
    }
    if (obj)
        HPDF_Array_Add(l->k, obj);
    else
        HPDF_Array_AddNumber(l->k, mcid);
    l->n++;
}

pdf_tags *pdf_tags_new(HPDF_Doc pdf, const char *lang)
{
    pdf_tags *t = cb_xcalloc(1, sizeof *t);
    t->pdf = pdf;
    t->lang = lang;
    t->root = new_dict(t);
    if (!t->root)
        return t;
    HPDF_Dict_AddName(t->root, "Type", "StructTreeRoot");
    HPDF_Dict_Add(t->root, "K", HPDF_Array_New(mmgr(t)));
    t->tree = HPDF_Dict_New(mmgr(t));
    t->nums = HPDF_Array_New(mmgr(t));
    HPDF_Dict_Add(t->root, "ParentTree", t->tree);
    t->doc = new_elem(t, t->root, "Document");
    return t;
}

/* The element blocks of role `role` go into, opening the groups it
 * starts; the heading level of the block, when it is a heading. */
static HPDF_Dict container(pdf_tags *t, const char *role)
{
    if (!strcmp(role, "LI")) {
        if (!t->list)
            t->list = new_elem(t, container(t, "P"), "L");
        return t->list;
    }
    t->list = NULL;
    if (!strcmp(role, "TOCI")) {
        if (!t->toc)
            t->toc = new_elem(t, t->part ? t->part : t->doc, "TOC");
        return t->toc;
    }
    if (!strcmp(role, "Index")) {
        if (!t->index)
            t->index = new_elem(t, t->part ? t->part : t->doc, "Index");
        return t->index;
    }
    if (t->sect)
        return t->sect;
    if (t->n_groups)
        return t->group[t->n_groups - 1];
    return t->part ? t->part : t->doc;
}

static void heading_type(char *out, int level)
{
    snprintf(out, 4, "H%d", level < 1 ? 1 : level > 6 ? 6 : level);
}

/* Creates the element(s) of block `id` when it is first drawn. */
static void open_block(pdf_tags *t, int id, const char *role,
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
    char type[8];
    if (!strcmp(role, "Part")) { /* contents, an index, a preface */
        t->part = new_elem(t, t->doc, "Part");
        t->n_groups = 0;
        t->sect = t->list = t->toc = t->index = NULL;
        b->elem = new_leaf(t, t->part, "H1");
        return;
    }
    if (!strcmp(role, "Group0") || !strcmp(role, "Group1")) {
        int level = role[5] - '0';
        if (level > t->n_groups)
            level = t->n_groups;
        t->part = NULL; /* the body begins */
        t->sect = t->list = t->toc = t->index = NULL;
        t->n_groups = level;
        HPDF_Dict up = level ? t->group[level - 1] : t->doc;
        t->group[level] = new_elem(t, up, "Sect");
        t->n_groups = level + 1;
        heading_type(type, level + 1);
        b->elem = new_leaf(t, t->group[level], type);
        return;
    }
    if (!strcmp(role, "IdLine") || !strcmp(role, "Title")) {
        /* one contribution: its id line (a report's) or its title opens
         * it, and a title after an id line joins the id line's */
        int join = !strcmp(role, "Title") && t->sect && !t->titled;
        t->part = NULL; /* the body begins */
        t->list = t->toc = t->index = NULL;
        if (!join) {
            t->sect = NULL;
            t->sect = new_elem(t, container(t, "Sect"), "Sect");
        }
        t->titled = !strcmp(role, "Title");
        if (t->titled)
            heading_type(type, t->n_groups + 1);
        b->elem = new_leaf(t, t->sect, t->titled ? type : "P");
        return;
    }
    HPDF_Dict parent = container(t, role);
    if (!strcmp(role, "H")) { /* a heading inside a contribution's text */
        heading_type(type, t->n_groups + 2);
        b->elem = new_leaf(t, parent, type);
    } else if (!strcmp(role, "LI")) {
        HPDF_Dict li = new_elem(t, parent, "LI");
        b->label = new_leaf(t, li, "Lbl");
        b->elem = new_leaf(t, li, "LBody");
    } else if (!strcmp(role, "TOCI")) {
        b->elem = new_leaf(t, parent, "TOCI");
    } else if (!strcmp(role, "Formula")) {
        b->elem = new_leaf(t, parent, "Formula");
        /* its text, as what a screen reader says */
        cb_buf alt = {0};
        for (size_t j = i + 1; j < n && items[j].kind != CB_ITEM_BLOCK; j++)
            if (items[j].kind == CB_ITEM_TEXT && items[j].text)
                cb_buf_puts(&alt, items[j].text);
        if (alt.len && b->elem.d)
            HPDF_Dict_Add(b->elem.d, "Alt",
                          HPDF_String_New(mmgr(t), alt.data,
                                          HPDF_GetEncoder(t->pdf, "UTF-8")));
        cb_buf_free(&alt);
    } else if (!strcmp(role, "Code")) {
        b->elem = new_leaf(t, parent, "Code");
    } else {
        b->elem = new_leaf(t, parent, "P");
    }
}

void pdf_tags_annot(pdf_tags *t, HPDF_Page page, HPDF_Dict annot)
{
    if (!t->root || t->next_link >= t->n_links)
        return;
    HPDF_Dict link = t->links[t->next_link++];
    if (!link || !annot)
        return;
    if (!t->next_key)
        t->next_key = t->n_pages;
    HPDF_Dict objr = HPDF_Dict_New(mmgr(t));
    HPDF_Dict_AddName(objr, "Type", "OBJR");
    HPDF_Dict_Add(objr, "Obj", annot);
    HPDF_Dict_Add(objr, "Pg", page);
    HPDF_Array_Add(kids(link), objr);
    HPDF_Dict_Add(link, "Pg", page);
    HPDF_Dict_AddNumber(annot, "StructParent", t->next_key);
    parent_tree_add(t, t->next_key++, link);
}

void pdf_tags_begin_page(pdf_tags *t, HPDF_Page page, int index)
{
    if (!t->root) /* libharu failed: the writer reports it */
        return;
    t->n_pages = index + 1;
    t->page = page;
    t->mcid = 0;
    t->open = OPEN_NONE;
    t->open_elem = NULL;
    t->cur = 0;
    t->parents = HPDF_Array_New(mmgr(t));
    if (HPDF_Xref_Add(t->pdf->xref, t->parents) != HPDF_OK)
        t->failed = 1;
    parent_tree_add(t, index, t->parents);
    HPDF_Dict_AddNumber(page, "StructParents", index);
    HPDF_Dict_AddName(page, "Tabs", "S");
}

static void close_open(pdf_tags *t, cb_buf *ops)
{
    if (t->open != OPEN_NONE)
        cb_buf_puts(ops, "EMC\n");
    t->open = OPEN_NONE;
    t->open_elem = NULL;
}

/* Marked content for leaf l on this page: a new MCID, recorded in the
 * element and in the page's parent tree entry. */
/* The leaf of l's chain that has room for one more kid: the last, or a
 * new Span in it once it has KIDS_MAX. */
static leaf *room(pdf_tags *t, leaf *l)
{
    while (l->more)
        l = l->more;
    if (l->n >= KIDS_MAX) {
        leaf *more = cb_xcalloc(1, sizeof *more);
        *more = (leaf){make_node(t, l->d, "Span", 1), NULL, 0, 0, NULL};
        leaf_add(t, l, 0, more->d);
        l->more = more;
        l = more;
    }
    return l;
}

static void open_elem(pdf_tags *t, leaf *l, cb_buf *ops)
{
    HPDF_Dict top = l->d; /* what the block's content is, for BDC */
    l = room(t, l);
    HPDF_Dict e = l->d;
    HPDF_Name s = HPDF_Dict_GetItem(top, "S", HPDF_OCLASS_NAME);
    cb_buf_printf(ops, "/%s <</MCID %d>> BDC\n", s ? s->value : "P", t->mcid);
    /* on the element's own page (/Pg) the MCID alone; on a later page a
     * marked-content reference naming it */
    HPDF_Dict pg = HPDF_Dict_GetItem(e, "Pg", HPDF_OCLASS_DICT);
    if (!pg) {
        HPDF_Dict_Add(e, "Pg", t->page);
        pg = t->page;
    }
    if (pg == t->page) {
        leaf_add(t, l, t->mcid, NULL);
    } else {
        HPDF_Dict mcr = HPDF_Dict_New(mmgr(t));
        HPDF_Dict_AddName(mcr, "Type", "MCR");
        HPDF_Dict_Add(mcr, "Pg", t->page);
        HPDF_Dict_AddNumber(mcr, "MCID", t->mcid);
        leaf_add(t, l, 0, mcr);
    }
    HPDF_Array_Add(t->parents, e);
    t->mcid++;
    t->open = OPEN_ELEM;
    t->open_elem = top;
}

int pdf_tags_item(pdf_tags *t, const cb_item *items, size_t n, size_t i,
                  cb_buf *ops)
{
    const cb_item *it = &items[i];
    size_t before = ops->len;
    if (!t->root || !t->parents)
        return 0;
    if (it->kind == CB_ITEM_BLOCK) {
        if ((size_t)it->block >= t->cap_blocks ||
            !t->blocks[it->block].elem.d)
            open_block(t, it->block, it->text ? it->text : "P", items, n, i);
        t->cur = it->block;
        return 0;
    }
    if (it->kind == CB_ITEM_LINK_URI || it->kind == CB_ITEM_LINK_PAGE) {
        /* a Link in the block it is in; its annotation comes later */
        leaf *in = t->cur ? &t->blocks[t->cur].elem : NULL;
        HPDF_Dict link;
        if (in && in->d) {
            in = room(t, in);
            link = make_node(t, in->d, "Link", 0);
            if (link)
                leaf_add(t, in, 0, link);
        } else {
            link = new_elem(t, t->doc, "Link");
        }
        cb_grow(&t->links, &t->cap_links, t->n_links + 1, sizeof *t->links);
        t->links[t->n_links++] = link;
        return 0;
    }
    if (it->kind == CB_ITEM_TEXT && t->cur && !it->artifact) {
        block_elem *b = &t->blocks[t->cur];
        leaf *l = &b->elem;
        if (b->label.d && !b->labelled) { /* a list item's marker, first */
            l = &b->label;
            b->labelled = 1;
        }
        if (l->d && (t->open != OPEN_ELEM || t->open_elem != l->d)) {
            close_open(t, ops);
            open_elem(t, l, ops);
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
    t->cur = 0;
    return ops->len > before;
}

int pdf_tags_finish(pdf_tags *t)
{
    if (t->failed || !t->root)
        return -1;
    if (!t->leaves) {
        HPDF_Dict_Add(t->tree, "Nums", t->nums);
    } else { /* the last leaf, and the leaves under the tree's root */
        if (HPDF_Array_Items(t->nums))
            close_leaf(t);
        else
            HPDF_Obj_Free(mmgr(t), t->nums); /* not in the document */
        HPDF_Dict_Add(t->tree, "Kids", t->leaves);
    }
    HPDF_Dict catalog = t->pdf->catalog;
    HPDF_Dict_AddNumber(t->root, "ParentTreeNextKey",
                        t->next_key ? t->next_key : t->n_pages);
    HPDF_Dict_Add(catalog, "StructTreeRoot", t->root);
    HPDF_Dict mark = HPDF_Dict_New(mmgr(t));
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(catalog, "MarkInfo", mark);
    HPDF_Dict prefs = HPDF_Dict_New(mmgr(t));
    HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
    HPDF_Dict_Add(catalog, "ViewerPreferences", prefs);
    if (t->lang && *t->lang)
        HPDF_Dict_Add(catalog, "Lang",
                      HPDF_String_New(mmgr(t), t->lang, NULL));
    return t->failed ? -1 : 0;
}

void pdf_tags_free(pdf_tags *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap_blocks; i++)
        for (int k = 0; k < 2; k++) {
            leaf *l = k ? t->blocks[i].label.more : t->blocks[i].elem.more;
            while (l) {
                leaf *next = l->more;
                free(l);
                l = next;
            }
        }
    free(t->blocks);
    free(t->links);
    free(t->overflow);
    free(t);
}
