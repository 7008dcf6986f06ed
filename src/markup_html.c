/* markup_html.c - HTML in descriptions: whole documents and html_block
 * nodes through libxml2's HTML parser, walked without recursion; inline
 * tags inside Markdown through a small tag reader. Both feed the builder
 * (cb_markup_builder.h). */
#include "cb_markup_builder.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* An <ol start="..."> past nine digits is noise (CommonMark's own limit). */
#define MAX_LIST_START 999999999

/* Decodes one character reference at s ("&amp;", "&#8211;"); returns its
 * length, 0 if it is none we know. */
static size_t decode_entity(const char *s, size_t n, cb_buf *out)
{
    static const char *const names[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
        {"&nbsp;", "\xC2\xA0"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (starts_with(s, n, names[i][0])) {
            cb_buf_puts(out, names[i][1]);
            return strlen(names[i][0]);
        }
    if (n < 4 || s[1] != '#')
        return 0;
    int hex = lower((unsigned char)s[2]) == 'x';
    if (!is_alnum((unsigned char)s[2 + hex])) /* strtoul would skip spaces, signs */
        return 0;
    char *end;
    unsigned long cp = strtoul(s + 2 + hex, &end, hex ? 16 : 10);
    size_t len = (size_t)(end - s);
    if (end == s + 2 + hex || len >= n || *end != ';' || cp == 0 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    char tmp[4];
    size_t bytes = (size_t)cb_utf8_encode(cp, tmp);
    cb_buf_add(out, tmp, bytes);
    return len + 1;
}

/* An attribute value from an inline tag, its references decoded. */
static const char *attr_value(builder *b, const char *s, size_t n, size_t *out_len)
{
    cb_buf out = {0};
    for (size_t i = 0; i < n;) {
        size_t k = s[i] == '&' ? decode_entity(s + i, n - i, &out) : 0;
        if (k == 0)
            cb_buf_putc(&out, s[i]), k = 1;
        i += k;
    }
    *out_len = out.len;
    const char *v = cb_arena_strndup(b->arena, out.data ? out.data : "", out.len);
    cb_buf_free(&out);
    return v;
}

/* ---- inline HTML tags in Markdown ---- */

/* One tag as cmark hands it over: "<sub>", "</a>", "<a href='x'>". */
typedef struct {
    int closing;
    int tag; /* index into tag_table */
    const char *href, *alt, *src;
    size_t href_len, alt_len, src_len;
} inline_tag;

static int tag_name_char(char c)
{
    return is_alnum((unsigned char)c) || c == '-' || c == ':';
}

/* Reads one attribute at s[*i]; keeps href and alt values. */
static void read_attr(const char *s, size_t n, size_t *i, inline_tag *t)
{
    size_t name = *i;
    while (*i < n && !html_space(s[*i]) && !strchr("/>=", s[*i]))
        (*i)++;
    size_t name_len = *i - name;
    while (*i < n && html_space(s[*i]))
        (*i)++;
    if (*i >= n || s[*i] != '=') {
        *i += name_len == 0; /* a stray '/' or '=' */
        return;
    }
    for ((*i)++; *i < n && html_space(s[*i]); (*i)++)
        ;
    char quote = *i < n && (s[*i] == '"' || s[*i] == '\'') ? s[(*i)++] : 0;
    size_t v = *i;
    while (*i < n && (quote ? s[*i] != quote : !html_space(s[*i]) && s[*i] != '>'))
        (*i)++;
    if (name_len == 4 && starts_with(s + name, 4, "href"))
        t->href = s + v, t->href_len = *i - v;
    if (name_len == 3 && starts_with(s + name, 3, "alt"))
        t->alt = s + v, t->alt_len = *i - v;
    if (name_len == 3 && starts_with(s + name, 3, "src"))
        t->src = s + v, t->src_len = *i - v;
    *i += quote && *i < n;
}

/* Parses an html_inline literal; returns 0 for comments, declarations and
 * processing instructions. */
static int parse_inline_tag(const char *s, size_t n, inline_tag *t)
{
    memset(t, 0, sizeof *t);
    size_t i = 1;
    if (n < 3 || s[0] != '<')
        return 0;
    t->closing = s[i] == '/';
    i += (size_t)t->closing;
    size_t name = i;
    while (i < n && tag_name_char(s[i]))
        i++;
    if (i == name || !is_alnum((unsigned char)s[name]))
        return 0;
    t->tag = i - name < TAG_NAME_MAX ? cb_markup_lookup_tag(s + name, i - name) : 0;
    while (i < n && s[i] != '>') {
        while (i < n && html_space(s[i]))
            i++;
        if (i < n && s[i] != '>')
            read_attr(s, n, &i, t);
    }
    return 1;
}

/* Recomputes the accumulated style and link of open tags from index i. */
static void restack(builder *b, size_t i)
{
    for (; i < b->ntags; i++) {
        open_tag *t = &b->tags[i];
        const open_tag *below = i ? &b->tags[i - 1] : NULL;
        unsigned own = cb_markup_tags[t->tag].kind == TAG_STYLE ? cb_markup_tags[t->tag].arg : 0;
        t->style = (below ? below->style : 0) | own;
        t->link = t->own_link ? t->own_link : below ? below->link : NULL;
    }
}

static void open_style_tag(builder *b, const inline_tag *t)
{
    if (b->ntags >= CB_MARKUP_MAX_TAGS)
        return;
    open_tag *o = &b->tags[b->ntags++];
    o->tag = t->tag;
    o->own_link = NULL;
    if (cb_markup_tags[t->tag].kind == TAG_LINK && t->href) {
        size_t len;
        const char *href = attr_value(b, t->href, t->href_len, &len);
        o->own_link = cb_markup_safe_link(b, href, len);
    }
    restack(b, b->ntags - 1);
}

/* Closes the innermost open tag of the same name; a stray close is ignored. */
static void close_style_tag(builder *b, const inline_tag *t)
{
    for (size_t i = b->ntags; i-- > 0;) {
        if (b->tags[i].tag != t->tag)
            continue;
        memmove(&b->tags[i], &b->tags[i + 1], (b->ntags - i - 1) * sizeof b->tags[0]);
        b->ntags--;
        restack(b, i);
        return;
    }
}

/* An html_inline node: styles, links and breaks; other tags are ignored,
 * the text around them stays. */
void cb_markup_inline_html(builder *b, const char *s, size_t n)
{
    inline_tag t;
    if (!parse_inline_tag(s, n, &t))
        return;
    tag_kind kind = cb_markup_tags[t.tag].kind;
    int self_closing = n >= 2 && s[n - 2] == '/';
    if (kind == TAG_BREAK && !t.closing) {
        cb_markup_add_break(b);
    } else if (kind == TAG_IMAGE && !t.closing) {
        size_t len = 0;
        const char *src = t.src ? attr_value(b, t.src, t.src_len, &len) : "";
        cb_markup_inline_image(b, src, len);
        if (t.alt) {
            const char *alt = attr_value(b, t.alt, t.alt_len, &len);
            cb_markup_add_md_text(b, alt, len, 0);
        }
    } else if (kind == TAG_DROP && !self_closing) {
        b->drop += t.closing ? (b->drop > 0 ? -1 : 0) : 1;
    } else if ((kind == TAG_STYLE || kind == TAG_LINK) && !self_closing) {
        if (t.closing)
            close_style_tag(b, &t);
        else
            open_style_tag(b, &t);
    }
}

/* ---- HTML documents through libxml2 ---- */

static const tag_info *element_tag(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    size_t len = strlen(name);
    return &cb_markup_tags[len < TAG_NAME_MAX ? cb_markup_lookup_tag(name, len) : 0];
}

/* The next node in document order below root; NULL at the end. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, int descend)
{
    if (descend && n->children)
        return n->children;
    while (n != root && !n->next)
        n = n->parent;
    return n == root ? NULL : n->next;
}

/* An <img> stands for its alt text. */
static void add_alt(builder *b, xmlNode *n)
{
    xmlChar *src = xmlGetProp(n, (const xmlChar *)"src");
    cb_markup_inline_image(b, src ? (const char *)src : "",
                           src ? strlen((const char *)src) : 0);
    xmlFree(src);
    xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
    if (alt)
        cb_markup_add_html_text(b, (const char *)alt, strlen((const char *)alt));
    xmlFree(alt);
}

/* A <pre> as a code block: its text verbatim, <br> as a line end, minus
 * the newline that may follow the opening tag (browsers drop it). */
static void add_pre(builder *b, xmlNode *pre)
{
    cb_buf code = {0};
    for (xmlNode *n = pre->children; n;) {
        int descend = n->type == XML_ELEMENT_NODE;
        if (n->type == XML_TEXT_NODE && n->content)
            cb_buf_puts(&code, (const char *)n->content);
        if (descend && element_tag(n)->kind == TAG_BREAK)
            cb_buf_putc(&code, '\n');
        if (descend && element_tag(n)->kind == TAG_DROP)
            descend = 0;
        n = next_node(n, pre, descend);
    }
    const char *s = code.data ? code.data : "";
    size_t skip = s[0] == '\n';
    cb_markup_add_code(b, s + skip, code.len - skip);
    cb_buf_free(&code);
}

/* An <ol start="..."> number, or 1. */
static int list_start(xmlNode *n)
{
    xmlChar *attr = xmlGetProp(n, (const xmlChar *)"start");
    long v = attr ? strtol((const char *)attr, NULL, 10) : 1;
    xmlFree(attr);
    return v < 0 ? 0 : v > MAX_LIST_START ? MAX_LIST_START : (int)v;
}

static void enter_link(builder *b, xmlNode *n)
{
    cb_markup_push_frame(b, 0, EXIT_NONE);
    xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
    const char *link = href ? cb_markup_safe_link(b, (const char *)href, strlen((const char *)href)) : NULL;
    if (link)
        b->link = link;
    xmlFree(href);
}

/* Block-level elements and breaks inside a table row only separate words:
 * the row stays one paragraph. */
static int enter_in_row(builder *b, const tag_info *t)
{
    switch (t->kind) {
    case TAG_BREAK:
    case TAG_RULE:
        cb_markup_note_space(b);
        return 0;
    case TAG_CELL:
        b->cell_sep = cb_markup_has_text(b);
        cb_markup_push_frame(b, 0, EXIT_SPACE);
        b->style |= t->arg;
        return 1;
    default:
        cb_markup_note_space(b);
        cb_markup_push_frame(b, 0, EXIT_SPACE);
        return 1;
    }
}

/* Lists, items, quotes and table rows; returns 1 (their children follow). */
static int enter_container(builder *b, xmlNode *n, const tag_info *t)
{
    cb_markup_flush(b);
    if (t->kind == TAG_ROW) {
        cb_markup_push_frame(b, 0, EXIT_FLUSH);
        b->frames[b->nframes - 1].ends_row = 1;
        b->in_row = 1;
        return 1;
    }
    cb_block_kind kind = t->kind == TAG_LIST ? CB_BLOCK_LIST
                         : t->kind == TAG_ITEM ? CB_BLOCK_ITEM : CB_BLOCK_QUOTE;
    cb_block *blk = cb_markup_open_container(b, kind);
    if (blk && kind == CB_BLOCK_LIST) {
        blk->ordered = (int)t->arg;
        blk->start = t->arg ? list_start(n) : 0;
        blk->tight = 1;
    }
    cb_markup_push_frame(b, blk != NULL, EXIT_FLUSH);
    return 1;
}

/* An element's start; returns 1 when its children are to be walked (a frame
 * was pushed, popped when the element is left). */
static int enter_element(builder *b, xmlNode *n)
{
    const tag_info *t = element_tag(n);
    if (t->kind == TAG_DROP)
        return 0;
    if (t->kind == TAG_IMAGE) {
        add_alt(b, n);
        return 0;
    }
    if (b->in_row && (t->kind >= TAG_PARA || t->kind == TAG_BREAK))
        return enter_in_row(b, t);
    switch (t->kind) {
    case TAG_BREAK:
        cb_markup_add_break(b);
        return 0;
    case TAG_RULE:
        cb_markup_flush(b);
        cb_markup_add_rule(b);
        return 0;
    case TAG_PRE:
        cb_markup_flush(b);
        add_pre(b, n);
        return 0;
    case TAG_LINK:
        enter_link(b, n);
        return 1;
    case TAG_STYLE:
        cb_markup_push_frame(b, 0, EXIT_NONE);
        b->style |= t->arg;
        return 1;
    case TAG_HEADING:
        cb_markup_open_inline(b, CB_BLOCK_HEADING, (int)t->arg);
        cb_markup_push_frame(b, 0, EXIT_FLUSH);
        return 1;
    case TAG_LIST:
    case TAG_ITEM:
    case TAG_QUOTE:
    case TAG_ROW:
        return enter_container(b, n, t);
    case TAG_PARA:
    case TAG_TABLE:
    case TAG_CELL:
        cb_markup_flush(b);
        cb_markup_push_frame(b, 0, EXIT_FLUSH);
        return 1;
    default:
        cb_markup_push_frame(b, 0, EXIT_NONE);
        return 1;
    }
}

static int enter_dom(builder *b, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE && n->content) {
        cb_markup_add_html_text(b, (const char *)n->content, strlen((const char *)n->content));
        return 0;
    }
    return n->type == XML_ELEMENT_NODE ? enter_element(b, n) : 0;
}

/* Walks the DOM without recursion (nesting depth is the input's choice). */
static void walk_dom(builder *b, xmlNode *first)
{
    const xmlNode *stop = first ? first->parent : NULL;
    xmlNode *n = first;
    while (n) {
        if (enter_dom(b, n)) {
            if (n->children) {
                n = n->children;
                continue;
            }
            cb_markup_pop_frame(b);
        }
        while (!n->next) {
            n = n->parent;
            if (!n || n == stop)
                return;
            cb_markup_pop_frame(b);
        }
        n = n->next;
    }
}

void cb_markup_add_html(builder *b, const char *html, size_t len)
{
    if (len > INT_MAX) { /* libxml2 takes an int; 2 GB is no description */
        cb_markup_add_html_text(b, html, len);
        return;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return;
    /* NOERROR/NOWARNING keep libxml2 off stderr. HUGE lifts its nesting
     * limit of 256, past which it drops the rest of the text (our walk has
     * no recursion, so depth costs nothing). NOIMPLIED is left out on
     * purpose: with it, libxml2 2.9 nests <p>a</p><p>b</p> wrongly. */
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
               HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, "UTF-8", opts);
    if (doc) {
        walk_dom(b, doc->children);
        xmlFreeDoc(doc);
    }
    htmlFreeParserCtxt(ctxt);
    cb_markup_flush(b);
}
