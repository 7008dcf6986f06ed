/* cb_parbreak.h - total-fit line breaking (Knuth and Plass, "Breaking
 * Paragraphs into Lines", 1981) over boxes, glue and penalties. Pure
 * arithmetic: no fonts, no text; cb_text builds the items.
 * Private to the text module: only text.c (and its unit test) uses it. */
#ifndef CB_PARBREAK_H
#define CB_PARBREAK_H

#include <stddef.h>

typedef enum { CB_KP_BOX, CB_KP_GLUE, CB_KP_PENALTY } cb_kp_kind;

/* A penalty of CB_KP_INFINITY forbids a break; -CB_KP_INFINITY forces one. */
#define CB_KP_INFINITY 10000

typedef struct {
    cb_kp_kind kind;
    float width;       /* box and glue width; penalty: width if broken here
                          (the hyphen) */
    float stretch;     /* glue only */
    float shrink;      /* glue only */
    int penalty;       /* penalty only */
    int flagged;       /* penalty only: a hyphen break */
} cb_kp_item;

typedef struct {
    size_t item;       /* the glue or penalty the line ends at */
    float ratio;       /* how much the line's glue stretches (> 0) or
                          shrinks (< 0), in units of its stretch/shrink */
} cb_kp_break;

/* Chooses the breaks that minimise the paragraph's total demerits, with
 * lines `first_width` then `width` wide and no line's badness above
 * `tolerance` (TeX's 100 * ratio^3 scale), badness being judged as if each
 * line had `emergency` points more stretch (TeX's \emergencystretch; 0 for
 * none). The last item must be a forced penalty. Returns the number of
 * lines and sets *breaks (caller frees; ratios are the lines' real ones),
 * or -1 when no breaking stays within the tolerance. */
long cb_kp_break_lines(const cb_kp_item *items, size_t n, float first_width,
                       float width, int tolerance, float emergency,
                       cb_kp_break **breaks);

#endif
