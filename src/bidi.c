/* bidi.c - bidirectional levels through FriBidi (see cb_bidi.h). */
#include "cb_bidi.h"

#include <fribidi.h>
#include <stdlib.h>
#include <string.h>

#include "cb_util.h"

/* Characters that can make text right to left: Hebrew, Arabic, Syriac,
 * Thaana, NKo, Samaritan, Mandaic, their presentation forms, the RTL
 * marks and embeddings, and the RTL scripts outside the BMP. */
static int maybe_rtl(long cp)
{
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF) || cp == 0x200F || cp == 0x202B ||
           cp == 0x202E || cp == 0x2067 || (cp >= 0x10800 && cp <= 0x10FFF) ||
           (cp >= 0x1E800 && cp <= 0x1EFFF);
}

/* Explicit embeddings, overrides and isolates nest at most this deep;
 * deeper ones are ignored (as the boundary neutrals they become once
 * applied). UAX #9 allows 125, but FriBidi 1.0.8 (Debian 12) reads before
 * its isolate stack when an isolate opens and closes past that depth
 * (valgrind: invalid read in fribidi_get_par_embedding_levels_ex, from a
 * title of 64 x RLO LRO RLI x PDI). No real text nests a tenth as deep. */
#define MAX_EXPLICIT_DEPTH 60

/* Makes the explicit formatting characters past MAX_EXPLICIT_DEPTH, and
 * the closers that match them, boundary neutrals. The depth counted never
 * falls below the real one (a PDI also closes the embeddings inside its
 * isolate, which are not subtracted), so FriBidi never sees deeper. */
static void cap_explicit_depth(FriBidiCharType *types, size_t n)
{
    size_t depth = 0, ignored_emb = 0, ignored_iso = 0;
    for (size_t i = 0; i < n; i++) {
        FriBidiCharType t = types[i];
        int emb = t == FRIBIDI_TYPE_LRE || t == FRIBIDI_TYPE_RLE ||
                  t == FRIBIDI_TYPE_LRO || t == FRIBIDI_TYPE_RLO;
        int iso = t == FRIBIDI_TYPE_LRI || t == FRIBIDI_TYPE_RLI ||
                  t == FRIBIDI_TYPE_FSI;
        if (emb || iso) {
            if (depth < MAX_EXPLICIT_DEPTH) {
                depth++;
            } else {
                types[i] = FRIBIDI_TYPE_BN;
                if (emb)
                    ignored_emb++;
                else
                    ignored_iso++;
            }
        } else if (t == FRIBIDI_TYPE_PDF) {
            if (ignored_emb) {
                types[i] = FRIBIDI_TYPE_BN;
                ignored_emb--;
            } else if (depth) {
                depth--;
            }
        } else if (t == FRIBIDI_TYPE_PDI) {
            if (ignored_iso) {
                types[i] = FRIBIDI_TYPE_BN;
                ignored_iso--;
            } else if (depth) {
                depth--;
            }
        }
    }
}

int cb_bidi_levels(const char *s, size_t len, unsigned char *levels, int *rtl)
{
    memset(levels, 0, len);
    *rtl = 0;
    size_t n = 0;
    int any = 0;
    for (size_t i = 0; i < len; n++) {
        if ((unsigned char)s[i] < 0x80) { /* never right to left */
            i++;
            continue;
        }
        int l;
        any |= maybe_rtl(cb_utf8_decode(s + i, len - i, &l));
        i += (size_t)l;
    }
    if (!any)
        return 0;
    FriBidiChar *u = cb_xcalloc(n + 1, sizeof *u);
    FriBidiCharType *types = cb_xcalloc(n + 1, sizeof *types);
    FriBidiBracketType *brackets = cb_xcalloc(n + 1, sizeof *brackets);
    FriBidiLevel *lv = cb_xcalloc(n + 1, sizeof *lv);
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        int l;
        long cp = cb_utf8_decode(s + i, len - i, &l);
        u[k] = cp < 0 ? 0xFFFD : (FriBidiChar)cp;
        i += (size_t)l;
    }
    fribidi_get_bidi_types(u, (FriBidiStrIndex)n, types);
    cap_explicit_depth(types, n);
    fribidi_get_bracket_types(u, (FriBidiStrIndex)n, types, brackets);
    FriBidiParType dir = FRIBIDI_PAR_ON;
    int odd = 0;
    if (fribidi_get_par_embedding_levels_ex(types, brackets,
                                            (FriBidiStrIndex)n, &dir, lv)) {
        *rtl = FRIBIDI_IS_RTL(dir) ? 1 : 0;
        k = 0;
        for (size_t i = 0; i < len; k++) {
            int l;
            cb_utf8_decode(s + i, len - i, &l);
            memset(levels + i, lv[k], (size_t)l);
            odd |= lv[k] & 1;
            i += (size_t)l;
        }
    }
    free(u);
    free(types);
    free(brackets);
    free(lv);
    return odd;
}
