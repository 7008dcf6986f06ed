/* markup_md.c - Markdown descriptions through cmark, walked node by node
 * into the builder (cb_markup_builder.h). */
#include "cb_markup_builder.h"

#include <string.h>

#include <cmark.h>

static void enter_md_container(builder *b, cmark_node *node, cb_block_kind kind)
{
    cb_markup_flush(b);
    cb_block *blk = cb_markup_open_container(b, kind);
    if (blk && kind == CB_BLOCK_LIST) {
        blk->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
        blk->start = blk->ordered ? cmark_node_get_list_start(node) : 0;
        blk->tight = cmark_node_get_list_tight(node);
    }
    cb_markup_push_frame(b, blk != NULL, EXIT_FLUSH);
}

/* Emphasis, strong, links and images: a style frame. An image keeps only
 * its alt text (its children), so it changes nothing. */
static void enter_md_style(builder *b, cmark_node *node)
{
    cb_markup_push_frame(b, 0, EXIT_NONE);
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_EMPH)
        b->style |= CB_SPAN_ITALIC;
    if (type == CMARK_NODE_STRONG)
        b->style |= CB_SPAN_BOLD;
    const char *url = type == CMARK_NODE_LINK ? cmark_node_get_url(node) : NULL;
    const char *link = url ? cb_markup_safe_link(b, url, strlen(url)) : NULL;
    if (link)
        b->link = link;
}

/* An html_block and the html_block siblings right after it (cmark splits
 * HTML at blank lines) go to libxml2 as one piece, so that a <div> or <ul>
 * opened in one and closed in a later one holds what is between. */
static void add_html_blocks(builder *b, cmark_node *node)
{
    if (b->html_read > 0) {
        b->html_read--;
        return;
    }
    cb_buf html = {0};
    for (cmark_node *n = node; n && cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
         n = cmark_node_next(n)) {
        const char *lit = cmark_node_get_literal(n);
        cb_buf_puts(&html, lit ? lit : "");
        cb_buf_putc(&html, '\n');
        b->html_read += n != node;
    }
    cb_markup_flush(b);
    cb_markup_add_html(b, html.data, html.len);
    cb_buf_free(&html);
}

static void enter_md(builder *b, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    size_t len = lit ? strlen(lit) : 0;
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_BLOCK_QUOTE:
        enter_md_container(b, node, CB_BLOCK_QUOTE);
        break;
    case CMARK_NODE_LIST:
        enter_md_container(b, node, CB_BLOCK_LIST);
        break;
    case CMARK_NODE_ITEM:
        enter_md_container(b, node, CB_BLOCK_ITEM);
        break;
    case CMARK_NODE_CODE_BLOCK:
        cb_markup_flush(b);
        cb_markup_add_code(b, lit ? lit : "", len);
        break;
    case CMARK_NODE_HTML_BLOCK:
        add_html_blocks(b, node);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        cb_markup_flush(b);
        cb_markup_add_rule(b);
        break;
    case CMARK_NODE_PARAGRAPH: {
        /* an image alone in its paragraph is a figure */
        cmark_node *only = cmark_node_first_child(node);
        int figure = only && only == cmark_node_last_child(node) &&
                     cmark_node_get_type(only) == CMARK_NODE_IMAGE;
        cb_markup_open_inline(b, figure ? CB_BLOCK_IMAGE
                                        : CB_BLOCK_PARAGRAPH, 0);
        if (figure) {
            const char *url = cmark_node_get_url(only);
            b->image_src = cb_arena_strdup(b->arena, url ? url : "");
            b->image_line = cmark_node_get_start_line(node);
        }
        break;
    }
    case CMARK_NODE_HEADING:
        cb_markup_open_inline(b, CB_BLOCK_HEADING, cmark_node_get_heading_level(node));
        break;
    case CMARK_NODE_TEXT:
        cb_markup_add_md_text(b, lit ? lit : "", len, 0);
        break;
    case CMARK_NODE_CODE:
        cb_markup_add_md_text(b, lit ? lit : "", len, CB_SPAN_CODE);
        break;
    case CMARK_NODE_SOFTBREAK:
        cb_markup_add_soft_break(b);
        break;
    case CMARK_NODE_LINEBREAK:
        cb_markup_add_break(b);
        break;
    case CMARK_NODE_HTML_INLINE:
        cb_markup_inline_html(b, lit ? lit : "", len);
        break;
    case CMARK_NODE_IMAGE:
        if (!b->open || b->open_kind != CB_BLOCK_IMAGE) {
            const char *url = cmark_node_get_url(node);
            cb_markup_inline_image(b, url ? url : "", url ? strlen(url) : 0);
        }
        enter_md_style(b, node);
        break;
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
        enter_md_style(b, node);
        break;
    default:
        break;
    }
}

static void exit_md(builder *b, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING:
        cb_markup_flush(b);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
    case CMARK_NODE_ITEM:
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        cb_markup_pop_frame(b);
        break;
    default:
        break;
    }
}

/* No CMARK_OPT_SMART: quotes and dashes are kept exactly as typed. */
void cb_markup_add_markdown(builder *b, const char *text, size_t len)
{
    cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_VALIDATE_UTF8);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev == CMARK_EVENT_ENTER)
            enter_md(b, cmark_iter_get_node(it));
        else
            exit_md(b, cmark_iter_get_node(it));
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
}
