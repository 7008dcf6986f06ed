/* cb_link.h - which link targets become live links in the PDF. A PDF
 * viewer follows what it is given: a javascript:, data: or file: link in a
 * description is a trap for the reader. Only http, https and mailto links
 * are live, and doi: links resolved through https://doi.org/; anything else
 * (other schemes, relative paths, targets too long for a PDF string) is
 * shown as text and the caller warns. */
#ifndef CB_LINK_H
#define CB_LINK_H

#include <stddef.h>

#include "cb_util.h"

typedef enum {
    CB_LINK_LIVE,     /* a live link: the target returned */
    CB_LINK_EMPTY,    /* nothing but blanks: no link, nothing to say */
    CB_LINK_SCHEME,   /* a scheme that is not followed (javascript:, file:) */
    CB_LINK_RELATIVE, /* no scheme: nothing to resolve it against */
    CB_LINK_LONG      /* longer than CB_LINK_MAX_BYTES */
} cb_link_status;

/* A link target is at most this many bytes once percent-encoded: libharu
 * 2.3.0 refuses longer PDF strings (HPDF_LIMIT_MAX_STRING_LEN, 65,535), and
 * no browser takes a URL that long either. Percent-encoding can triple a
 * byte, hence a third. */
#define CB_LINK_MAX_BYTES 21000

/* Normalizes a link target as a browser reads it (blanks and control
 * characters around it dropped, tabs and line ends inside it removed, the
 * scheme case-folded) and decides whether it is live. Returns the target to
 * link to (in arena), or NULL with *status saying why not. */
const char *cb_link_target(cb_arena *arena, const char *s, size_t n,
                           cb_link_status *status);

/* Why a target is not live, for a warning ("its scheme is not followed"). */
const char *cb_link_reason(cb_link_status status);

#endif
