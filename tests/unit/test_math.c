/* test_math.c - where math is (pandoc's dollar rule), what a formula
 * reads as in plain text, and formulas set by the MATH table. */
#include <stdlib.h>
#include <string.h>

#include "cb_math.h"
#include "check.h"

/* "[TeX]" for each span of s with its delimiters' kind, or "none". */
static const char *spans(const char *s)
{
    static char out[512];
    cb_math_scan sc;
    cb_math_span sp;
    size_t n = 0;
    out[0] = '\0';
    cb_math_scan_init(&sc, s, strlen(s));
    while (cb_math_next(&sc, &sp) && n < sizeof out - 80)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s[%.*s]",
                              sp.display ? "D" : "",
                              (int)(sp.src_end - sp.src), s + sp.src);
    return n ? out : "none";
}

static const char *plain(const char *tex)
{
    static cb_arena *a;
    if (!a)
        a = cb_arena_new();
    return cb_math_plain(a, tex, strlen(tex));
}

static void test_find(void)
{
    CHECK_STR("$x$", spans("a $x$ b"), "[x]");
    CHECK_STR("money stays dollars", spans("It costs $5 and $10."), "none");
    CHECK_STR("space after the opening $", spans("$ x$"), "none");
    CHECK_STR("space before the closing $", spans("$x $"), "none");
    CHECK_STR("digit after the closing $", spans("$x$5"), "none");
    CHECK_STR("escaped dollars", spans("\\$x\\$"), "none");
    CHECK_STR("escaped dollar inside", spans("$a\\$b$"), "[a\\$b]");
    CHECK_STR("two formulas", spans("(TaSe$_4$)$_2$I"), "[_4][_2]");
    CHECK_STR("display dollars", spans("$$x^2$$"), "D[x^2]");
    CHECK_STR("\\( \\)", spans("\\(\\Delta E\\)"), "[\\Delta E]");
    CHECK_STR("\\[ \\]", spans("\\[a+b\\]"), "D[a+b]");
    CHECK_STR("openers without closers between formulas",
              spans("\\( $x$ \\[ $y$ $$ $z$ \\( $w$"), "[x][y][z][w]");
    CHECK_STR("no formula across a line", spans("T$_x $= 263\n(Ta$_4$"),
              "[_4]");
    CHECK_STR("no backtick in a formula", spans("$10 a `$x$`"), "[x]");
    CHECK_STR("unclosed", spans("$x"), "none");
}

static void test_plain(void)
{
    CHECK_STR("mu", plain("\\mu"), "\u03bc");
    CHECK_STR("relation spaced", plain("\\ell \\neq 0"), "\u2113 \u2260 0");
    CHECK_STR("superscript characters", plain("10^{-4}"),
              "10\u207b\u2074");
    CHECK_STR("subscript characters", plain("_4"), "\u2084");
    CHECK_STR("superscript letter with only a subscript form",
              plain("x^{k}"), "x^k");
    CHECK_STR("script without characters", plain("x_{\\rm eff}"), "x_eff");
    CHECK_STR("fraction", plain("\\frac{a}{b}"), "a/b");
    CHECK_STR("root", plain("\\sqrt{2}"), "\u221a2");
    CHECK_STR("text", plain("\\text{rms}"), "rms");
    CHECK_STR("unknown as typed", plain("\\foo{x}"), "\\foox");
    CHECK_STR("nested braces", plain("{{{x}}}"), "x");
}

static void test_set(void)
{
    cb_diag *d = cb_diag_new(NULL);
    cb_fonts *f = cb_fonts_new(d);
    int face = cb_fonts_find(f, "DejaVu Math TeX Gyre", "serif", 0, 0);
    CHECK("math face has a MATH table", cb_fonts_has_math(f, face));
    double sup = cb_fonts_math_constant(f, face, CB_MATH_SUP_SHIFT_UP);
    CHECK("superscript shift from the table", sup > 0.2 && sup < 0.6);
    int serif = cb_fonts_find(f, "Noto Serif", "serif", 0, 0);
    int serif_b = cb_fonts_find(f, "Noto Serif", "serif", 1, 0);
    cb_math *m = cb_math_new(f, face, serif, serif_b, d);
    cb_arena *a = cb_arena_new();
    const cb_inline *x = cb_math_set(m, a, "x", 1, 10, 0, NULL, 1);
    const cb_inline *x2 = cb_math_set(m, a, "x^2", 3, 10, 0, NULL, 1);
    const cb_inline *x22 = cb_math_set(m, a, "x^{2^2}", 7, 10, 0, NULL, 1);
    const cb_inline *fr = cb_math_set(m, a, "\\frac{a}{b}", 11, 10, 0, NULL,
                                      1);
    const cb_inline *rt = cb_math_set(m, a, "\\sqrt{\\frac{a}{b}}", 18, 10, 0,
                                      NULL, 1);
    CHECK("formulas set", x && x2 && x22 && fr && rt);
    if (x && x2 && x22 && fr && rt) {
        CHECK("a script is higher than its base",
              x2->ascent > x->ascent + 2 && x2->width > x->width);
        CHECK("a nested script higher still", x22->ascent > x2->ascent);
        CHECK("a fraction stands above and below the baseline",
              fr->ascent > 5 && fr->descent > 1);
        CHECK("a radical covers its fraction",
              rt->ascent > fr->ascent && rt->descent >= fr->descent - 0.5f);
    }
    /* displayed: a large sum with its limits above and below, a large
     * integral with its limits beside it, a fraction at full size */
    const char *sum = "\\sum_{i=1}^{n} i", *in = "\\int_0^1 x";
    const cb_inline *ts = cb_math_set(m, a, sum, strlen(sum), 10, 0, NULL, 1);
    const cb_inline *ds = cb_math_set(m, a, sum, strlen(sum), 10, 1, NULL, 1);
    const cb_inline *ti = cb_math_set(m, a, in, strlen(in), 10, 0, NULL, 1);
    const cb_inline *di = cb_math_set(m, a, in, strlen(in), 10, 1, NULL, 1);
    const cb_inline *df = cb_math_set(m, a, "\\frac{a}{b}", 11, 10, 1, NULL,
                                      1);
    CHECK("displayed formulas set", ts && ds && ti && di && df);
    if (ts && ds && ti && di && df && fr) {
        CHECK("a displayed sum is taller, its limits stacked",
              ds->ascent > ts->ascent + 3 && ds->descent > ts->descent + 3 &&
                  ds->width < ts->width);
        CHECK("a displayed integral is taller, its limits beside it",
              di->ascent > ti->ascent + 2 && di->width >= ti->width);
        CHECK("a displayed fraction is larger",
              df->ascent > fr->ascent && df->width > fr->width);
    }
    cb_arena_free(a);
    cb_math_free(m);
    cb_fonts_free(f);
    cb_diag_free(d);
}

int main(void)
{
    test_find();
    test_plain();
    test_set();
    CHECK_DONE();
}
