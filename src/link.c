/* link.c - which link targets are live (see cb_link.h). */
#include "cb_link.h"

#include <string.h>

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_scheme_char(unsigned char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
           c == '.';
}

/* Dropped around a target, as the WHATWG URL parser drops C0 controls and
 * space (and we add the other ASCII blanks). */
static int is_edge_junk(unsigned char c)
{
    return c <= 0x20 || c == 0x7F;
}

const char *cb_link_target(cb_arena *arena, const char *s, size_t n,
                           cb_link_status *status)
{
    while (n > 0 && is_edge_junk((unsigned char)*s))
        s++, n--;
    while (n > 0 && is_edge_junk((unsigned char)s[n - 1]))
        n--;
    if (n == 0) {
        *status = CB_LINK_EMPTY;
        return NULL;
    }
    /* tabs, line ends and other controls inside are removed, as browsers
     * remove tabs and newlines: "java\tscript:" is javascript: */
    char *t = cb_arena_alloc(arena, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!((unsigned char)s[i] < 0x20 || s[i] == 0x7F))
            t[k++] = s[i];
    t[k] = '\0';
    size_t colon = 0;
    if (is_alpha((unsigned char)t[0]))
        for (colon = 1; colon < k && is_scheme_char((unsigned char)t[colon]);
             colon++)
            ;
    if (colon == 0 || colon >= k || t[colon] != ':') {
        *status = CB_LINK_RELATIVE;
        return NULL;
    }
    for (size_t i = 0; i < colon; i++)
        if (t[i] >= 'A' && t[i] <= 'Z')
            t[i] = (char)(t[i] + 32);
    const char *target = t;
    if (strncmp(t, "doi:", 4) == 0 && strncmp(t + 4, "10.", 3) == 0)
        target = cb_arena_printf(arena, "https://doi.org/%s", t + 4);
    else if (!(colon == 4 && strncmp(t, "http", 4) == 0) &&
             !(colon == 5 && strncmp(t, "https", 5) == 0) &&
             !(colon == 6 && strncmp(t, "mailto", 6) == 0)) {
        *status = CB_LINK_SCHEME;
        return NULL;
    }
    if (strlen(target) > CB_LINK_MAX_BYTES) {
        *status = CB_LINK_LONG;
        return NULL;
    }
    *status = CB_LINK_LIVE;
    return target;
}

const char *cb_link_reason(cb_link_status status)
{
    switch (status) {
    case CB_LINK_SCHEME:
        return "only http, https, mailto and doi links are followed";
    case CB_LINK_RELATIVE:
        return "it has no scheme (such as https:) to be followed from a PDF";
    case CB_LINK_LONG:
        return "it is longer than the 21,000 bytes a PDF link may hold";
    default:
        return "";
    }
}
