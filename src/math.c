/* math.c - TeX math parsed into a small tree and set as boxes of glyphs
 * and rules placed by the MATH table (see cb_math.h). The placement
 * follows the TeXbook's appendix G as the OpenType MATH table restates
 * it; what abstracts do not use (stretched delimiters, matrices,
 * alignments) is left out. */
#include "cb_math.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- finding math in text ---- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The closing delimiter `close` after `from`, skipping \-escapes; -1
 * when there is none. A search that failed from some place fails from
 * every later place too: the scanner keeps that place for each delimiter,
 * so that a text of a million openers without a closer ("\\(\\(\\(...")
 * is read once, not once per opener. */
static size_t find_close(cb_math_scan *sc, int which, size_t from)
{
    static const char *const closes[] = {"\\)", "\\]", "$$"};
    const char *close = closes[which];
    if (from >= sc->none_after[which])
        return (size_t)-1;
    for (size_t i = from; i + 2 <= sc->len; i++) {
        if (sc->s[i] == close[0] && sc->s[i + 1] == close[1])
            return i;
        if (sc->s[i] == '\\' && close[0] == '$')
            i++; /* \$ inside math is a dollar */
    }
    sc->none_after[which] = from;
    return (size_t)-1;
}

void cb_math_scan_init(cb_math_scan *sc, const char *s, size_t len)
{
    *sc = (cb_math_scan){s, len, 0, {(size_t)-1, (size_t)-1, (size_t)-1}};
}

int cb_math_next(cb_math_scan *sc, cb_math_span *span)
{
    const char *s = sc->s;
    size_t len = sc->len;
    for (size_t i = sc->pos; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '[')) {
            size_t e = find_close(sc, s[i + 1] == '(' ? 0 : 1, i + 2);
            if (e == (size_t)-1)
                continue;
            *span = (cb_math_span){i, e + 2, i + 2, e, s[i + 1] == '['};
            sc->pos = span->end;
            return 1;
        }
        if (s[i] == '\\' && i + 1 < len) {
            i++; /* \$ and other escapes are text */
            continue;
        }
        if (s[i] != '$')
            continue;
        if (i + 1 < len && s[i + 1] == '$') { /* $$...$$ */
            size_t e = find_close(sc, 2, i + 2);
            if (e != (size_t)-1 && e > i + 2) {
                *span = (cb_math_span){i, e + 2, i + 2, e, 1};
                sc->pos = span->end;
                return 1;
            }
            i++;
            continue;
        }
        /* pandoc: no space after the opening $, none before the closing
         * one, and no digit right after the closing one; and within one
         * line: a line of an abstract is a paragraph, which TeX math
         * never spans ("T$_{\\rm CDW} $= 263" must not pair its stray $
         * with one further on), and without a backtick, which opens code.
         * The search stops at the next $, where the next one starts: each
         * character is read at most twice. */
        if (i + 1 >= len || is_space(s[i + 1]))
            continue;
        for (size_t e = i + 1;
             e < len && s[e] != '\n' && s[e] != '\r' && s[e] != '`'; e++) {
            if (s[e] == '\\') {
                e++;
                continue;
            }
            if (s[e] != '$')
                continue;
            if (is_space(s[e - 1]) ||
                (e + 1 < len && s[e + 1] >= '0' && s[e + 1] <= '9'))
                break;
            *span = (cb_math_span){i, e + 1, i + 1, e, 0};
            sc->pos = span->end;
            return 1;
        }
    }
    sc->pos = len;
    return 0;
}

/* ---- the tree ---- */

typedef enum { ORD, OP, BIN, REL, OPEN, CLOSE, PUNCT } atom_class;

typedef enum {
    N_LIST,    /* children: a, each linked by next */
    N_CHAR,    /* cp, drawn; text: what it stands for */
    N_FRAC,    /* a over b */
    N_SQRT,    /* root of a, degree b (or NULL) */
    N_SCRIPTS, /* base a, superscript b, subscript c (either NULL) */
    N_ACCENT,  /* cp above a */
    N_OVERLINE,
    N_SPACE    /* width in mu */
} node_kind;

typedef struct node {
    node_kind kind;
    atom_class cls;
    unsigned long cp;
    const char *text;
    float mu;
    int text_face;     /* 0: the math font; 1, 2: the text's regular or
                          bold, for \text, \mathrm, \mathbf and function
                          names, as LaTeX sets them */
    int display;       /* in a displayed formula: a fraction at full
                          size, a large operator large, limits above and
                          below a sum */
    struct node *a, *b, *c, *next;
} node;

/* Letter styles: what \mathrm, \mathbf and \text make of letters. */
typedef enum { V_ITALIC, V_UPRIGHT, V_BOLD } variant;

typedef struct {
    const char *name;
    unsigned long cp;
    atom_class cls;
} symbol;

/* Commands for one character. Greek lower case is italic (see letter). */
static const symbol symbols[] = {
    {"alpha", 0x3B1, ORD}, {"beta", 0x3B2, ORD}, {"gamma", 0x3B3, ORD},
    {"delta", 0x3B4, ORD}, {"epsilon", 0x3F5, ORD}, {"varepsilon", 0x3B5, ORD},
    {"zeta", 0x3B6, ORD}, {"eta", 0x3B7, ORD}, {"theta", 0x3B8, ORD},
    {"vartheta", 0x3D1, ORD}, {"iota", 0x3B9, ORD}, {"kappa", 0x3BA, ORD},
    {"lambda", 0x3BB, ORD}, {"mu", 0x3BC, ORD}, {"nu", 0x3BD, ORD},
    {"xi", 0x3BE, ORD}, {"pi", 0x3C0, ORD}, {"varpi", 0x3D6, ORD},
    {"rho", 0x3C1, ORD}, {"varrho", 0x3F1, ORD}, {"sigma", 0x3C3, ORD},
    {"varsigma", 0x3C2, ORD}, {"tau", 0x3C4, ORD}, {"upsilon", 0x3C5, ORD},
    {"phi", 0x3D5, ORD}, {"varphi", 0x3C6, ORD}, {"chi", 0x3C7, ORD},
    {"psi", 0x3C8, ORD}, {"omega", 0x3C9, ORD},
    {"Gamma", 0x393, ORD}, {"Delta", 0x394, ORD}, {"Theta", 0x398, ORD},
    {"Lambda", 0x39B, ORD}, {"Xi", 0x39E, ORD}, {"Pi", 0x3A0, ORD},
    {"Sigma", 0x3A3, ORD}, {"Upsilon", 0x3A5, ORD}, {"Phi", 0x3A6, ORD},
    {"Psi", 0x3A8, ORD}, {"Omega", 0x3A9, ORD},
    {"ell", 0x2113, ORD}, {"hbar", 0x210F, ORD}, {"infty", 0x221E, ORD},
    {"partial", 0x2202, ORD}, {"nabla", 0x2207, ORD}, {"prime", 0x2032, ORD},
    {"angle", 0x2220, ORD}, {"degree", 0xB0, ORD}, {"circ", 0x2218, BIN},
    {"ldots", 0x2026, ORD}, {"dots", 0x2026, ORD}, {"cdots", 0x22EF, ORD},
    {"forall", 0x2200, ORD}, {"exists", 0x2203, ORD}, {"emptyset", 0x2205, ORD},
    {"Re", 0x211C, ORD}, {"Im", 0x2111, ORD}, {"aleph", 0x2135, ORD},
    {"pm", 0xB1, BIN}, {"mp", 0x2213, BIN}, {"times", 0xD7, BIN},
    {"cdot", 0x22C5, BIN}, {"div", 0xF7, BIN}, {"ast", 0x2217, BIN},
    {"cup", 0x222A, BIN}, {"cap", 0x2229, BIN}, {"wedge", 0x2227, BIN},
    {"vee", 0x2228, BIN}, {"oplus", 0x2295, BIN}, {"otimes", 0x2297, BIN},
    {"bullet", 0x2219, BIN},
    {"neq", 0x2260, REL}, {"ne", 0x2260, REL}, {"leq", 0x2264, REL},
    {"le", 0x2264, REL}, {"geq", 0x2265, REL}, {"ge", 0x2265, REL},
    {"ll", 0x226A, REL}, {"gg", 0x226B, REL}, {"approx", 0x2248, REL},
    {"sim", 0x223C, REL}, {"simeq", 0x2243, REL}, {"cong", 0x2245, REL},
    {"equiv", 0x2261, REL}, {"propto", 0x221D, REL}, {"in", 0x2208, REL},
    {"notin", 0x2209, REL}, {"ni", 0x220B, REL}, {"subset", 0x2282, REL},
    {"supset", 0x2283, REL}, {"subseteq", 0x2286, REL},
    {"supseteq", 0x2287, REL}, {"parallel", 0x2225, REL}, {"perp", 0x27C2, REL},
    {"mid", 0x2223, REL}, {"lesssim", 0x2272, REL}, {"gtrsim", 0x2273, REL},
    {"to", 0x2192, REL}, {"rightarrow", 0x2192, REL},
    {"leftarrow", 0x2190, REL}, {"gets", 0x2190, REL},
    {"leftrightarrow", 0x2194, REL}, {"Rightarrow", 0x21D2, REL},
    {"Leftarrow", 0x21D0, REL}, {"Leftrightarrow", 0x21D4, REL},
    {"mapsto", 0x21A6, REL}, {"longrightarrow", 0x27F6, REL},
    {"uparrow", 0x2191, REL}, {"downarrow", 0x2193, REL},
    {"sum", 0x2211, OP}, {"prod", 0x220F, OP}, {"int", 0x222B, OP},
    {"oint", 0x222E, OP},
    {"langle", 0x27E8, OPEN}, {"rangle", 0x27E9, CLOSE},
    {"lbrace", 0x7B, OPEN}, {"rbrace", 0x7D, CLOSE}, {"{", 0x7B, OPEN},
    {"}", 0x7D, CLOSE}, {"lvert", 0x7C, OPEN}, {"rvert", 0x7C, CLOSE},
    {"vert", 0x7C, ORD}, {"|", 0x2016, ORD}, {"%", 0x25, ORD},
    {"$", 0x24, ORD}, {"&", 0x26, ORD}, {"_", 0x5F, ORD}, {"#", 0x23, ORD},
    {"AA", 0xC5, ORD}, {"textdegree", 0xB0, ORD},
    {NULL, 0, ORD}};

/* Operator names set upright, as \sin is. */
static const char *const functions[] = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
    "sinh", "cosh", "tanh", "exp", "log", "ln", "lg", "max", "min", "sup",
    "inf", "lim", "det", "dim", "ker", "deg", "arg", "gcd", "Pr", NULL};

typedef struct {
    const char *name;
    unsigned long cp;
} accent;

static const accent accents[] = {
    {"hat", 0x302}, {"widehat", 0x302}, {"tilde", 0x303},
    {"widetilde", 0x303}, {"bar", 0x305}, {"vec", 0x20D7}, {"dot", 0x307},
    {"ddot", 0x308}, {NULL, 0}};

/* Spaces, in mu (1/18 em). */
typedef struct {
    const char *name;
    float mu;
} space_cmd;

static const space_cmd spaces[] = {
    {",", 3}, {":", 4}, {">", 4}, {";", 5}, {"!", -3}, {" ", 6},
    {"quad", 18}, {"qquad", 36}, {"thinspace", 3}, {NULL, 0}};

typedef struct {
    cb_arena *arena;
    const char *s;
    size_t pos, len;
    variant var;
    int text_mode;       /* \text{}: spaces are kept */
    const char *unknown; /* the first command not known */
    int n_unknown;
} parser;

static node *new_node(parser *p, node_kind k, atom_class cls)
{
    node *n = cb_arena_alloc(p->arena, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->cls = cls;
    return n;
}

static const char *utf8_of(parser *p, unsigned long cp)
{
    char buf[5] = {0};
    cb_utf8_encode((long)cp, buf);
    return cb_arena_strdup(p->arena, buf);
}

static node *char_node(parser *p, unsigned long cp, atom_class cls)
{
    node *n = new_node(p, N_CHAR, cls);
    n->cp = cp;
    n->text = utf8_of(p, cp);
    return n;
}

/* The glyph a letter is drawn with: mathematical italic (h is Planck's
 * ℎ), bold, or itself; Greek lower case is italic too. */
static unsigned long styled(unsigned long cp, variant v)
{
    if (v == V_UPRIGHT)
        return cp;
    if (v == V_BOLD) {
        if (cp >= 'A' && cp <= 'Z')
            return 0x1D400 + (cp - 'A');
        if (cp >= 'a' && cp <= 'z')
            return 0x1D41A + (cp - 'a');
        if (cp >= '0' && cp <= '9')
            return 0x1D7CE + (cp - '0');
        return cp;
    }
    if (cp == 'h')
        return 0x210E;
    if (cp >= 'A' && cp <= 'Z')
        return 0x1D434 + (cp - 'A');
    if (cp >= 'a' && cp <= 'z')
        return 0x1D44E + (cp - 'a');
    if (cp >= 0x3B1 && cp <= 0x3C9)
        return 0x1D6FC + (cp - 0x3B1);
    static const unsigned long var_greek[][2] = {
        {0x3F5, 0x1D716}, {0x3D1, 0x1D717}, {0x3D5, 0x1D719},
        {0x3F1, 0x1D71A}, {0x3D6, 0x1D71B}};
    for (size_t i = 0; i < 5; i++)
        if (var_greek[i][0] == cp)
            return var_greek[i][1];
    return cp;
}

static node *parse_list(parser *p, char until);

/* One argument: a {group} or a single token. */
static node *parse_arg(parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos]))
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '{') {
        p->pos++;
        return parse_list(p, '}');
    }
    node *list = new_node(p, N_LIST, ORD);
    if (p->pos >= p->len)
        return list;
    /* a single token: parse up to one atom */
    size_t end = p->pos + 1;
    if (p->s[p->pos] == '\\') {
        while (end < p->len && ((p->s[end] >= 'a' && p->s[end] <= 'z') ||
                                (p->s[end] >= 'A' && p->s[end] <= 'Z')))
            end++;
        if (end == p->pos + 1 && end < p->len)
            end++;
    } else {
        while (end < p->len && ((unsigned char)p->s[end] & 0xC0) == 0x80)
            end++;
    }
    size_t saved = p->len;
    p->len = end;
    node *n = parse_list(p, 0);
    p->len = saved;
    return n;
}

/* \frac{a}{b} and the others that take arguments; NULL if not one. */
static node *command_with_args(parser *p, const char *name)
{
    if (!strcmp(name, "frac") || !strcmp(name, "dfrac") ||
        !strcmp(name, "tfrac")) {
        node *n = new_node(p, N_FRAC, ORD);
        n->display = !strcmp(name, "dfrac");
        n->a = parse_arg(p);
        n->b = parse_arg(p);
        return n;
    }
    if (!strcmp(name, "sqrt")) {
        node *n = new_node(p, N_SQRT, ORD);
        if (p->pos < p->len && p->s[p->pos] == '[') {
            p->pos++;
            n->b = parse_list(p, ']');
        }
        n->a = parse_arg(p);
        return n;
    }
    if (!strcmp(name, "overline")) {
        node *n = new_node(p, N_OVERLINE, ORD);
        n->a = parse_arg(p);
        return n;
    }
    for (const accent *a = accents; a->name; a++)
        if (!strcmp(name, a->name)) {
            node *n = new_node(p, N_ACCENT, ORD);
            n->cp = a->cp;
            n->text = utf8_of(p, a->cp);
            n->a = parse_arg(p);
            return n;
        }
    variant v = !strcmp(name, "mathrm") || !strcmp(name, "text") ||
                        !strcmp(name, "textrm") || !strcmp(name, "mbox") ||
                        !strcmp(name, "operatorname")
                    ? V_UPRIGHT
                : !strcmp(name, "mathbf") || !strcmp(name, "textbf") ||
                        !strcmp(name, "boldsymbol")
                    ? V_BOLD
                : !strcmp(name, "mathit") || !strcmp(name, "textit")
                    ? V_ITALIC
                    : (variant)-1;
    if ((int)v < 0)
        return NULL;
    variant saved = p->var;
    int saved_text = p->text_mode;
    p->var = v;
    p->text_mode = name[0] == 't' || !strcmp(name, "mbox");
    node *n = parse_arg(p);
    p->var = saved;
    p->text_mode = saved_text;
    return n;
}

/* A command, from after its backslash; NULL when it adds nothing. */
static node *command(parser *p)
{
    size_t start = p->pos;
    while (p->pos < p->len && ((p->s[p->pos] >= 'a' && p->s[p->pos] <= 'z') ||
                               (p->s[p->pos] >= 'A' && p->s[p->pos] <= 'Z')))
        p->pos++;
    if (p->pos == start && p->pos < p->len)
        p->pos++; /* \, \{ \% ... */
    const char *name = cb_arena_strndup(p->arena, p->s + start, p->pos - start);
    for (const symbol *s = symbols; s->name; s++)
        if (!strcmp(name, s->name)) {
            /* lower-case Greek is italic, as TeX sets it; it extracts as
             * the Greek letter */
            node *n = char_node(p, styled(s->cp, p->var == V_ITALIC &&
                                                     (s->cp < 0x391 ||
                                                      s->cp > 0x3A9)
                                                 ? V_ITALIC
                                                 : V_UPRIGHT),
                                s->cls);
            n->text = utf8_of(p, s->cp);
            return n;
        }
    for (const space_cmd *s = spaces; s->name; s++)
        if (!strcmp(name, s->name)) {
            node *n = new_node(p, N_SPACE, ORD);
            n->mu = s->mu;
            return n;
        }
    for (int i = 0; functions[i]; i++)
        if (!strcmp(name, functions[i])) {
            node *n = new_node(p, N_LIST, OP);
            node **tail = &n->a;
            for (const char *c = name; *c; c++) {
                *tail = char_node(p, (unsigned long)*c, ORD);
                (*tail)->text_face = 1;
                tail = &(*tail)->next;
            }
            return n;
        }
    /* the old font switches, to the end of the group */
    if (!strcmp(name, "rm") || !strcmp(name, "bf") || !strcmp(name, "it")) {
        p->var = name[0] == 'r' ? V_UPRIGHT : name[0] == 'b' ? V_BOLD
                                                            : V_ITALIC;
        return NULL;
    }
    if (!strcmp(name, "left") || !strcmp(name, "right") ||
        !strcmp(name, "big") || !strcmp(name, "Big") ||
        !strcmp(name, "bigl") || !strcmp(name, "bigr") ||
        !strcmp(name, "displaystyle") || !strcmp(name, "textstyle") ||
        !strcmp(name, "limits") || !strcmp(name, "nolimits"))
        return NULL; /* the delimiter that follows is set as it is */
    node *n = command_with_args(p, name);
    if (n)
        return n;
    /* not known: as typed, upright, and reported */
    if (!p->unknown)
        p->unknown = cb_arena_printf(p->arena, "\\%s", name);
    p->n_unknown++;
    n = new_node(p, N_LIST, ORD);
    node **tail = &n->a;
    for (const char *c = p->s + start - 1; c < p->s + p->pos; c++) {
        *tail = char_node(p, (unsigned char)*c, ORD);
        tail = &(*tail)->next;
    }
    return n;
}

/* The class of an ASCII character in math. */
static atom_class class_of(int c)
{
    if (strchr("+-*", c))
        return BIN;
    if (strchr("=<>:", c))
        return REL;
    if (strchr(",;", c))
        return PUNCT;
    if (strchr("([", c))
        return OPEN;
    if (strchr(")]!?", c))
        return CLOSE;
    return ORD;
}

/* One atom at p->pos, or NULL for nothing (a space, \left). */
static node *atom(parser *p)
{
    unsigned char c = (unsigned char)p->s[p->pos];
    if (c == '{') {
        p->pos++;
        return parse_list(p, '}');
    }
    if (c == '\\') {
        p->pos++;
        return command(p);
    }
    if (is_space((char)c)) {
        p->pos++;
        if (!p->text_mode)
            return NULL;
        node *n = new_node(p, N_SPACE, ORD);
        n->mu = 6;
        return n;
    }
    if (c == '\'') {
        p->pos++;
        return char_node(p, 0x2032, ORD);
    }
    int len;
    long cp = cb_utf8_decode(p->s + p->pos, p->len - p->pos, &len);
    p->pos += (size_t)(len > 0 ? len : 1);
    if (cp < 0)
        cp = 0xFFFD;
    if (p->text_mode) {
        node *n = char_node(p, (unsigned long)cp, ORD);
        n->text_face = p->var == V_BOLD ? 2 : 1;
        return n;
    }
    atom_class cls = cp < 0x80 ? class_of((int)cp) : ORD;
    if (p->var != V_ITALIC && cp < 0x80 && isalnum((int)cp)) {
        node *n = char_node(p, (unsigned long)cp, cls);
        n->text_face = p->var == V_BOLD ? 2 : 1;
        return n;
    }
    if (cp == '-')
        cp = 0x2212;
    else if (cp == '*')
        cp = 0x2217;
    node *n = char_node(p, styled((unsigned long)cp, p->var), cls);
    if (cp == 0x2212)
        n->text = "\u2212";
    else if (n->cp != (unsigned long)cp)
        n->text = utf8_of(p, (unsigned long)cp); /* extracts as itself */
    return n;
}

/* Atoms up to `until` (consumed) or the end, with their scripts. */
static node *parse_list(parser *p, char until)
{
    node *list = new_node(p, N_LIST, ORD), *last = NULL, **tail = &list->a;
    variant var = p->var; /* \rm and the others end with the group */
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (until && c == until) {
            p->pos++;
            break;
        }
        if (c == '}' || (c == ']' && until == ']')) { /* a stray brace */
            p->pos++;
            continue;
        }
        if (c == '^' || c == '_') {
            p->pos++;
            if (!last || last->kind != N_SCRIPTS) {
                node *s = new_node(p, N_SCRIPTS, last ? last->cls : ORD);
                s->a = last ? last : new_node(p, N_LIST, ORD);
                if (last) { /* the scripts node takes the base's place */
                    node **at = &list->a;
                    while (*at != last)
                        at = &(*at)->next;
                    *at = s;
                    tail = &s->next;
                } else {
                    *tail = s;
                    tail = &s->next;
                }
                s->a->next = NULL;
                last = s;
            }
            node *arg = parse_arg(p);
            if (c == '^')
                last->b = arg;
            else
                last->c = arg;
            continue;
        }
        node *n = atom(p);
        if (!n)
            continue;
        *tail = n;
        tail = &n->next;
        last = n;
    }
    p->var = var;
    return list;
}

/* ---- boxes ---- */

typedef struct {
    int rule;
    float x, y, w, h;   /* rule: its box, y its bottom */
    int face;
    float size;
    cb_glyph g;
    const char *text;
} mitem;

typedef struct {
    cb_inline obj;      /* first: the box is drawn as this object */
    mitem *items;
    size_t n, cap;
    float italic;       /* the last glyph's italic correction */
    atom_class first, last;
    const char *plain;  /* the formula as plain text, for a screen reader */
} mbox;

struct cb_math {
    cb_fonts *fonts;
    int face;
    int text_face[2]; /* the text's regular and bold */
    cb_diag *diag;
    int failed;
};

static void box_add(mbox *b, mitem it)
{
    cb_grow(&b->items, &b->cap, b->n, sizeof *b->items);
    b->items[b->n++] = it;
}

/* Appends src's items to dst at (x, y) and frees them. */
static void box_put(mbox *dst, mbox *src, float x, float y)
{
    for (size_t i = 0; i < src->n; i++) {
        mitem it = src->items[i];
        it.x += x;
        it.y += y;
        box_add(dst, it);
    }
    free(src->items);
    src->items = NULL;
    src->n = src->cap = 0;
}

static void grow_to(mbox *b, float ascent, float descent)
{
    if (ascent > b->obj.ascent)
        b->obj.ascent = ascent;
    if (descent > b->obj.descent)
        b->obj.descent = descent;
}

/* Sizes of the three styles: text, script, script-script; for the math
 * font, and for letters in the text's font (\mathrm, \text), which
 * LaTeX scales by its own ratios (70 %, 50 %) whatever the math font asks:
 * xelatex's "T_{\rm CDW}" is 2 pt narrower than at the math font's 80 %. */
typedef struct {
    float size[3], text_size[3];
} sizes;

static float k(const cb_math *m, cb_math_constant c, float size)
{
    return (float)cb_fonts_math_constant(m->fonts, m->face, c) * size;
}

static void set_node(cb_math *m, const node *n, int level, const sizes *sz,
                     mbox *out);

static void set_glyph(cb_math *m, const node *n, float size, mbox *out)
{
    int face = cb_fonts_cover(m->fonts,
                              n->text_face ? m->text_face[n->text_face - 1]
                                           : m->face,
                              n->cp);
    cb_math_glyph g;
    if (face < 0)
        face = m->face; /* reported by the service; drawn as its box */
    /* a displayed large operator: the font's first variant tall enough,
     * centred on the axis as the minus sign is */
    int big = n->display && n->cls == OP;
    float tall = big ? k(m, CB_MATH_DISPLAY_OPERATOR_MIN_HEIGHT, size) : 0;
    if (cb_fonts_math_glyph(m->fonts, face, n->cp, n->text, size, tall,
                            &g) < 0) {
        m->failed |= cb_fonts_failed(m->fonts);
        return;
    }
    float dy = big ? k(m, CB_MATH_AXIS_HEIGHT, size) -
                         (g.ascent - g.descent) / 2
                   : 0;
    box_add(out, (mitem){0, 0, dy, 0, 0, face, size, g.glyph, n->text});
    out->obj.width = g.glyph.advance;
    out->obj.ascent = g.ascent + dy > 0 ? g.ascent + dy : 0;
    out->obj.descent = g.descent - dy > 0 ? g.descent - dy : 0;
    out->italic = g.italic;
}

/* TeX's spacing between atoms, in mu: thin 3, medium 4, thick 5; those in
 * brackets of the TeXbook's table (negative here) not in scripts. */
static float spacing(atom_class l, atom_class r, int level)
{
    static const signed char t[7][7] = {
        /*          ORD OP BIN REL OPEN CLOSE PUNCT */
        /* ORD   */ {0, 3, -4, -5, 0, 0, 0},
        /* OP    */ {3, 3, 0, -5, 0, 0, 0},
        /* BIN   */ {-4, -4, 0, 0, -4, 0, 0},
        /* REL   */ {-5, -5, 0, 0, -5, 0, 0},
        /* OPEN  */ {0, 0, 0, 0, 0, 0, 0},
        /* CLOSE */ {0, 3, -4, -5, 0, 0, 0},
        /* PUNCT */ {-3, -3, 0, -3, -3, -3, -3}};
    int v = t[l][r];
    return v < 0 ? (level ? 0 : (float)-v) : (float)v;
}

/* A node's class where it stands: a binary operator with nothing to bind
 * is ordinary (TeX rule 5), and so is one before a relation or closing
 * (rule 6).  prev is the class before it, -1 at the start of a list. */
static atom_class class_in_list(atom_class prev, const node *n)
{
    if (n->cls == BIN && ((int)prev < 0 || prev == BIN || prev == OP ||
                          prev == REL || prev == OPEN || prev == PUNCT ||
                          !n->next || n->next->cls == REL ||
                          n->next->cls == CLOSE || n->next->cls == PUNCT))
        return ORD;
    return n->cls;
}

static void set_list(cb_math *m, const node *list, int level, const sizes *sz,
                     mbox *out)
{
    float x = 0, mu = sz->size[level] / 18;
    atom_class prev = (atom_class)-1;
    out->first = list->cls;
    for (const node *n = list->a; n; n = n->next) {
        if (n->kind == N_SPACE) {
            x += n->mu * mu;
            continue;
        }
        atom_class cls = class_in_list(prev, n);
        if ((int)prev >= 0)
            x += spacing(prev, cls, level) * mu;
        mbox b = {0};
        set_node(m, n, level, sz, &b);
        grow_to(out, b.obj.ascent, b.obj.descent);
        float w = b.obj.width;
        out->italic = b.italic;
        box_put(out, &b, x, 0);
        x += w;
        prev = cls;
        out->last = cls;
    }
    out->obj.width = x;
}

/* Integrals keep their scripts beside them, displayed or not (as plain
 * TeX's \int is \nolimits). */
static int is_integral(unsigned long cp)
{
    return (cp >= 0x222B && cp <= 0x2233) || (cp >= 0x2A0B && cp <= 0x2A1C);
}

/* A displayed sum's limits, centred above and below it; the upper one
 * half the operator's italic correction right, the lower half left. */
static void set_limits(cb_math *m, float size, mbox *base, mbox *sup,
                       mbox *sub, mbox *out)
{
    float bw = base->obj.width, half = base->italic / 2;
    float w = bw;
    if (sup->obj.width > w)
        w = sup->obj.width;
    if (sub->obj.width > w)
        w = sub->obj.width;
    float ba = base->obj.ascent, bd = base->obj.descent;
    box_put(out, base, (w - bw) / 2, 0);
    if (sub->n) {
        float v = bd + k(m, CB_MATH_LOWER_LIMIT_GAP_MIN, size) +
                  sub->obj.ascent;
        if (v < k(m, CB_MATH_LOWER_LIMIT_DROP_MIN, size))
            v = k(m, CB_MATH_LOWER_LIMIT_DROP_MIN, size);
        grow_to(out, 0, v + sub->obj.descent);
        box_put(out, sub, (w - sub->obj.width) / 2 - half, -v);
    }
    if (sup->n) {
        float u = ba + k(m, CB_MATH_UPPER_LIMIT_GAP_MIN, size) +
                  sup->obj.descent;
        if (u < k(m, CB_MATH_UPPER_LIMIT_RISE_MIN, size))
            u = k(m, CB_MATH_UPPER_LIMIT_RISE_MIN, size);
        grow_to(out, u + sup->obj.ascent, 0);
        box_put(out, sup, (w - sup->obj.width) / 2 + half, u);
    }
    out->obj.width = w;
}

static void set_scripts(cb_math *m, const node *n, int level,
                        const sizes *sz, mbox *out)
{
    float size = sz->size[level];
    int sl = level < 2 ? level + 1 : 2;
    mbox base = {0}, sup = {0}, sub = {0};
    set_node(m, n->a, level, sz, &base);
    float w = base.obj.width, ic = base.italic;
    /* a large operator's scripts hang from its corners, as a box's do */
    int is_glyph = n->a->kind == N_CHAR && !(n->a->display && n->a->cls == OP);
    grow_to(out, base.obj.ascent, base.obj.descent);
    float u = 0, v = 0, end = w;
    if (n->b)
        set_node(m, n->b, sl, sz, &sup);
    if (n->c)
        set_node(m, n->c, sl, sz, &sub);
    if (n->display && n->a->kind == N_CHAR && n->a->cls == OP &&
        !is_integral(n->a->cp)) {
        set_limits(m, size, &base, &sup, &sub, out);
        return;
    }
    if (n->b) {
        u = k(m, CB_MATH_SUP_SHIFT_UP, size);
        if (!is_glyph && base.obj.ascent - k(m, CB_MATH_SUP_DROP_MAX, size) > u)
            u = base.obj.ascent - k(m, CB_MATH_SUP_DROP_MAX, size);
        if (sup.obj.descent + k(m, CB_MATH_SUP_BOTTOM_MIN, size) > u)
            u = sup.obj.descent + k(m, CB_MATH_SUP_BOTTOM_MIN, size);
    }
    if (n->c) {
        v = k(m, CB_MATH_SUB_SHIFT_DOWN, size);
        if (!is_glyph && base.obj.descent + k(m, CB_MATH_SUB_DROP_MIN, size) > v)
            v = base.obj.descent + k(m, CB_MATH_SUB_DROP_MIN, size);
        if (sub.obj.ascent - k(m, CB_MATH_SUB_TOP_MAX, size) > v)
            v = sub.obj.ascent - k(m, CB_MATH_SUB_TOP_MAX, size);
    }
    if (n->b && n->c) { /* room between them */
        float gap = (u - sup.obj.descent) - (sub.obj.ascent - v);
        float min = k(m, CB_MATH_SUB_SUP_GAP_MIN, size);
        if (gap < min)
            v += min - gap;
    }
    /* drawn base, subscript, superscript: extracted as y_i^2 is typed. A
     * MATH font's advance includes the italic correction: the superscript
     * follows it, the subscript tucks in under the slant by as much */
    box_put(out, &base, 0, 0);
    if (n->c) {
        grow_to(out, sub.obj.ascent - v, v + sub.obj.descent);
        end = w - ic + sub.obj.width;
        box_put(out, &sub, w - ic, -v);
    }
    if (n->b) {
        grow_to(out, u + sup.obj.ascent, sup.obj.descent - u);
        if (w + sup.obj.width > end)
            end = w + sup.obj.width;
        box_put(out, &sup, w, u);
    }
    out->obj.width = end + k(m, CB_MATH_SPACE_AFTER_SCRIPT, size);
}

static void set_frac(cb_math *m, const node *n, int level, const sizes *sz,
                     mbox *out)
{
    float size = sz->size[level];
    int inner = n->display ? level : (level < 2 ? level + 1 : 2);
    mbox num = {0}, den = {0};
    set_node(m, n->a, inner, sz, &num);
    set_node(m, n->b, inner, sz, &den);
    float axis = k(m, CB_MATH_AXIS_HEIGHT, size);
    float t = k(m, CB_MATH_FRAC_RULE, size);
    int d = n->display;
    float u = k(m, d ? CB_MATH_FRAC_NUM_DISPLAY_SHIFT_UP
                     : CB_MATH_FRAC_NUM_SHIFT_UP, size);
    float v = k(m, d ? CB_MATH_FRAC_DEN_DISPLAY_SHIFT_DOWN
                     : CB_MATH_FRAC_DEN_SHIFT_DOWN, size);
    float ngap = k(m, d ? CB_MATH_FRAC_NUM_DISPLAY_GAP_MIN
                        : CB_MATH_FRAC_NUM_GAP_MIN, size);
    float dgap = k(m, d ? CB_MATH_FRAC_DEN_DISPLAY_GAP_MIN
                        : CB_MATH_FRAC_DEN_GAP_MIN, size);
    if (u - num.obj.descent < axis + t / 2 + ngap)
        u = axis + t / 2 + ngap + num.obj.descent;
    if (-v + den.obj.ascent > axis - t / 2 - dgap)
        v = den.obj.ascent - axis + t / 2 + dgap;
    float pad = size / 12;
    float w = (num.obj.width > den.obj.width ? num.obj.width : den.obj.width) +
              2 * pad;
    grow_to(out, u + num.obj.ascent, v + den.obj.descent);
    float nw = num.obj.width, dw = den.obj.width;
    box_put(out, &num, (w - nw) / 2, u);
    box_put(out, &den, (w - dw) / 2, -v);
    box_add(out, (mitem){1, pad / 2, axis - t / 2, w - pad, t, 0, 0,
                         {0, 0, 0, 0}, NULL});
    out->obj.width = w;
}

static void set_sqrt(cb_math *m, const node *n, int level, const sizes *sz,
                     mbox *out)
{
    float size = sz->size[level];
    mbox body = {0}, degree = {0};
    set_node(m, n->a, level, sz, &body);
    float gap = k(m, CB_MATH_RADICAL_GAP, size);
    float t = k(m, CB_MATH_RADICAL_RULE, size);
    float need = body.obj.ascent + body.obj.descent + gap + t;
    float x = 0;
    if (n->b) { /* the degree, small, before the sign */
        set_node(m, n->b, 2, sz, &degree);
        float dw = degree.obj.width;
        box_put(out, &degree, 0, need * 0.55f - body.obj.descent);
        grow_to(out, need * 0.55f - body.obj.descent + degree.obj.ascent, 0);
        x = dw - size * 0.25f;
        if (x < 0)
            x = 0;
    }
    cb_math_glyph g;
    char root[] = "\u221A";
    if (cb_fonts_math_glyph(m->fonts, m->face, 0x221A, root, size, need,
                            &g) < 0) {
        m->failed |= cb_fonts_failed(m->fonts);
        return;
    }
    /* the sign's top meets the rule over the body */
    float top = body.obj.ascent + gap + t;
    float dy = top - g.ascent;
    box_add(out, (mitem){0, x, dy, 0, 0, m->face, size, g.glyph, "\u221A"});
    float bw = body.obj.width;
    grow_to(out, top + k(m, CB_MATH_RADICAL_EXTRA, size),
            g.descent - dy > body.obj.descent ? g.descent - dy
                                              : body.obj.descent);
    box_put(out, &body, x + g.glyph.advance, 0);
    box_add(out, (mitem){1, x + g.glyph.advance, top - t, bw, t, 0, 0,
                         {0, 0, 0, 0}, NULL});
    out->obj.width = x + g.glyph.advance + bw;
}

static void set_accent(cb_math *m, const node *n, int level, const sizes *sz,
                       mbox *out)
{
    float size = sz->size[level];
    mbox base = {0};
    set_node(m, n->a, level, sz, &base);
    float w = base.obj.width;
    grow_to(out, base.obj.ascent, base.obj.descent);
    float base_asc = base.obj.ascent;
    box_put(out, &base, 0, 0);
    out->obj.width = w;
    if (n->kind == N_OVERLINE) {
        float gap = k(m, CB_MATH_OVERBAR_GAP, size);
        float t = k(m, CB_MATH_OVERBAR_RULE, size);
        box_add(out, (mitem){1, 0, base_asc + gap, w, t, 0, 0, {0, 0, 0, 0},
                             NULL});
        grow_to(out, base_asc + gap + 2 * t, 0);
        return;
    }
    cb_math_glyph g;
    if (cb_fonts_math_glyph(m->fonts, m->face, n->cp, n->text, size, 0,
                            &g) < 0) {
        m->failed |= cb_fonts_failed(m->fonts);
        return;
    }
    /* a combining accent's ink sits above the x-height: lift it by what
     * the base stands above the accent base height */
    float lift = base_asc - k(m, CB_MATH_ACCENT_BASE_HEIGHT, size);
    if (lift < 0)
        lift = 0;
    float ax = g.accent_x ? g.accent_x : g.glyph.advance / 2;
    float x = w / 2 - ax;
    box_add(out, (mitem){0, x, lift, 0, 0, m->face, size, g.glyph, n->text});
    grow_to(out, g.ascent + lift, 0);
}

static void set_node(cb_math *m, const node *n, int level, const sizes *sz,
                     mbox *out)
{
    switch (n->kind) {
    case N_LIST: set_list(m, n, level, sz, out); break;
    case N_CHAR:
        set_glyph(m, n, n->text_face ? sz->text_size[level] : sz->size[level],
                  out);
        break;
    case N_SCRIPTS: set_scripts(m, n, level, sz, out); break;
    case N_FRAC: set_frac(m, n, level, sz, out); break;
    case N_SQRT: set_sqrt(m, n, level, sz, out); break;
    case N_ACCENT:
    case N_OVERLINE: set_accent(m, n, level, sz, out); break;
    case N_SPACE: out->obj.width = n->mu * sz->size[level] / 18; break;
    }
}

static void draw(const cb_inline *obj, cb_page *page, float x, float y,
                 unsigned color)
{
    const mbox *b = (const mbox *)obj;
    cb_page_add_span(page, "Formula", b->plain); /* a tagged PDF's element */
    for (size_t i = 0; i < b->n; i++) {
        const mitem *it = &b->items[i];
        if (it->rule)
            cb_page_add_rect(page, x + it->x, y + it->y, it->w, it->h, color);
        else
            cb_page_add_text(page, x + it->x, y + it->y, it->face, it->size,
                             color, &it->g, 1, it->text, strlen(it->text),
                             NULL);
    }
    cb_page_add_span(page, NULL, NULL);
}

cb_math *cb_math_new(cb_fonts *fonts, int face, int text, int text_bold,
                     cb_diag *diag)
{
    cb_math *m = cb_xcalloc(1, sizeof *m);
    m->fonts = fonts;
    m->face = face;
    m->text_face[0] = text;
    m->text_face[1] = text_bold;
    m->diag = diag;
    return m;
}

cb_math *cb_math_clone(const cb_math *m, cb_diag *diag)
{
    cb_math *c = cb_xmalloc(sizeof *c);
    *c = *m;
    c->diag = diag;
    c->failed = 0;
    return c;
}

void cb_math_free(cb_math *m)
{
    free(m);
}

/* The deepest nesting of braces a formula may have: what abstracts type
 * nests two or three deep, and the parser recurses once per level. */
#define MAX_MATH_DEPTH 64

static int too_deep(const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        depth += s[i] == '{' ? 1 : s[i] == '}' ? -1 : 0;
        if (depth > MAX_MATH_DEPTH)
            return 1;
    }
    return 0;
}

static node *parse(cb_arena *arena, const char *src, size_t len, parser *p)
{
    *p = (parser){arena, src, 0, len, V_ITALIC, 0, NULL, 0};
    return parse_list(p, 0);
}

const cb_inline *cb_math_set(cb_math *m, cb_arena *arena, const char *src,
                             size_t len, float size_pt, int display,
                             const char *where, int report)
{
    parser p;
    if (too_deep(src, len)) {
        if (report)
        cb_diag_warning(m->diag, CB_W_MATH, where, "a formula nested more "
                        "than %d braces deep is printed as typed",
                        MAX_MATH_DEPTH);
        return NULL;
    }
    node *tree = parse(arena, src, len, &p);
    if (p.unknown && report)
        cb_diag_warning(m->diag, CB_W_MATH, where,
                        "%s in \"%.*s\" is not a command contribook sets; "
                        "it is printed as typed%s",
                        p.unknown, (int)(len > 60 ? 60 : len), src,
                        p.n_unknown > 1 ? " (and others)" : "");
    /* scripts at the sizes the font's table asks (DejaVu Math TeX Gyre:
     * 80 % and 65 %), as xelatex sets them; TeX's 70 % and 50 % for a
     * font whose table does not say */
    float s1 = (float)cb_fonts_math_constant(m->fonts, m->face,
                                             CB_MATH_SCRIPT_SCALE);
    float s2 = (float)cb_fonts_math_constant(m->fonts, m->face,
                                             CB_MATH_SCRIPT_SCRIPT_SCALE);
    sizes sz = {{size_pt, size_pt * (s1 > 0 ? s1 : 0.7f),
                 size_pt * (s2 > 0 ? s2 : 0.5f)},
                {size_pt, size_pt * 0.7f, size_pt * 0.5f}};
    /* a displayed formula's own fractions are set at full size, its large
     * operators large, with limits above and below */
    for (node *n = tree->a; n && display; n = n->next) {
        if (n->kind == N_FRAC || (n->kind == N_CHAR && n->cls == OP))
            n->display = 1;
        if (n->kind == N_SCRIPTS && n->a->kind == N_CHAR && n->a->cls == OP)
            n->display = n->a->display = 1;
    }
    mbox work = {0};
    set_node(m, tree, 0, &sz, &work);
    /* TeX's space after a script ends nothing at the formula's end: the
     * text after it follows as it would a letter ("(TaSe$_4$)") */
    const node *last = tree->a;
    while (last && last->next)
        last = last->next;
    if (last && last->kind == N_SCRIPTS)
        work.obj.width -= k(m, CB_MATH_SPACE_AFTER_SCRIPT, size_pt);
    if (m->failed) {
        free(work.items);
        return NULL;
    }
    /* the box and its items move to the arena, which outlives the lines */
    mbox *b = cb_arena_alloc(arena, sizeof *b);
    *b = work;
    b->items = cb_arena_alloc(arena, (work.n ? work.n : 1) * sizeof *b->items);
    if (work.n)
        memcpy(b->items, work.items, work.n * sizeof *b->items);
    free(work.items);
    b->cap = work.n;
    b->obj.draw = draw;
    b->plain = cb_math_plain(arena, src, len);
    return &b->obj;
}

/* ---- plain text ---- */

/* A script as Unicode's sub- or superscript characters ("₄", "⁻⁴"), when
 * it has them all; NULL otherwise. */
static const char *script_chars(cb_arena *arena, const char *s, int sup)
{
    static const struct {
        const char *plain, *sup, *sub; /* NULL: Unicode has none */
    } chars[] = {
        {"0", "\u2070", "\u2080"}, {"1", "\u00b9", "\u2081"},
        {"2", "\u00b2", "\u2082"}, {"3", "\u00b3", "\u2083"},
        {"4", "\u2074", "\u2084"}, {"5", "\u2075", "\u2085"},
        {"6", "\u2076", "\u2086"}, {"7", "\u2077", "\u2087"},
        {"8", "\u2078", "\u2088"}, {"9", "\u2079", "\u2089"},
        {"+", "\u207a", "\u208a"}, {"-", "\u207b", "\u208b"},
        {"\u2212", "\u207b", "\u208b"}, {"=", "\u207c", "\u208c"},
        {"(", "\u207d", "\u208d"}, {")", "\u207e", "\u208e"},
        {"n", "\u207f", "\u2099"}, {"i", "\u2071", "\u1d62"},
        {"a", NULL, "\u2090"}, {"e", NULL, "\u2091"}, {"o", NULL, "\u2092"},
        {"x", NULL, "\u2093"}, {"h", NULL, "\u2095"}, {"k", NULL, "\u2096"},
        {"l", NULL, "\u2097"}, {"m", NULL, "\u2098"}, {"p", NULL, "\u209a"},
        {"s", NULL, "\u209b"}, {"t", NULL, "\u209c"}, {"j", NULL, "\u2c7c"},
        {"r", NULL, "\u1d63"}, {"u", NULL, "\u1d64"}, {"v", NULL, "\u1d65"},
    };
    cb_buf b = {0};
    const char *r = NULL;
    for (size_t i = 0; s[i];) {
        size_t k = 0, n = 0;
        for (; k < sizeof chars / sizeof *chars; k++) {
            n = strlen(chars[k].plain);
            if (strncmp(s + i, chars[k].plain, n) == 0)
                break;
        }
        const char *to = k == sizeof chars / sizeof *chars ? NULL
                         : sup                            ? chars[k].sup
                                                          : chars[k].sub;
        if (!to)
            goto out;
        cb_buf_puts(&b, to);
        i += n;
    }
    r = cb_arena_strndup(arena, b.data ? b.data : "", b.len);
out:
    cb_buf_free(&b);
    return r;
}

static void plain(cb_arena *arena, const node *n, int script, cb_buf *out);

/* A script's plain text: its own characters when Unicode has them, else
 * marked with _ or ^ as typed. */
static void plain_script(cb_arena *arena, const node *n, int sup,
                         cb_buf *out)
{
    cb_buf inner = {0};
    plain(arena, n, 1, &inner);
    const char *t = inner.data ? inner.data : "";
    const char *mapped = script_chars(arena, t, sup);
    if (mapped)
        cb_buf_puts(out, mapped);
    else
        cb_buf_printf(out, "%s%s", sup ? "^" : "_", t);
    cb_buf_free(&inner);
}

/* Relations and binary operators get a space each side, as TeX spaces
 * them, except inside a script, where TeX does not either. */
static void plain(cb_arena *arena, const node *n, int script, cb_buf *out)
{
    switch (n->kind) {
    case N_LIST: {
        atom_class prev = (atom_class)-1;
        for (const node *c = n->a; c; c = c->next) {
            if (c->kind == N_SPACE) {
                plain(arena, c, script, out);
                continue;
            }
            atom_class cls = class_in_list(prev, c);
            if (!script && (cls == REL || cls == BIN) && c->kind == N_CHAR)
                cb_buf_printf(out, " %s ", c->text);
            else
                plain(arena, c, script, out);
            prev = cls;
        }
        break;
    }
    case N_CHAR: cb_buf_puts(out, n->text); break;
    case N_SCRIPTS:
        plain(arena, n->a, script, out);
        if (n->c)
            plain_script(arena, n->c, 0, out);
        if (n->b)
            plain_script(arena, n->b, 1, out);
        break;
    case N_FRAC:
        plain(arena, n->a, script, out);
        cb_buf_puts(out, "/");
        plain(arena, n->b, script, out);
        break;
    case N_SQRT:
        cb_buf_puts(out, "\u221A");
        plain(arena, n->a, script, out);
        break;
    case N_ACCENT:
        plain(arena, n->a, script, out);
        cb_buf_puts(out, n->text);
        break;
    case N_OVERLINE: plain(arena, n->a, script, out); break;
    case N_SPACE:
        if (n->mu > 0)
            cb_buf_putc(out, ' ');
        break;
    }
}

char *cb_math_plain(cb_arena *arena, const char *src, size_t len)
{
    parser p;
    cb_buf b = {0};
    if (!too_deep(src, len))
        plain(arena, parse(arena, src, len, &p), 0, &b);
    else
        cb_buf_add(&b, src, len);
    /* one space at most, none at the ends */
    size_t w = 0;
    for (size_t r = 0; r < b.len; r++)
        if (b.data[r] != ' ' || (w && b.data[w - 1] != ' '))
            b.data[w++] = b.data[r];
    while (w && b.data[w - 1] == ' ')
        w--;
    char *s = cb_arena_strndup(arena, b.data ? b.data : "", w);
    cb_buf_free(&b);
    return s;
}

const char *cb_math_plain_text(cb_arena *arena, const char *s)
{
    size_t len = strlen(s), from = 0;
    cb_math_scan sc;
    cb_math_span sp;
    cb_math_scan_init(&sc, s, len);
    if (!cb_math_next(&sc, &sp))
        return s;
    cb_buf b = {0};
    do {
        cb_buf_add(&b, s + from, sp.start - from);
        cb_buf_puts(&b, cb_math_plain(arena, s + sp.src, sp.src_end - sp.src));
        from = sp.end;
    } while (cb_math_next(&sc, &sp));
    cb_buf_add(&b, s + from, len - from);
    char *r = cb_arena_strndup(arena, b.data ? b.data : "", b.len);
    cb_buf_free(&b);
    return r;
}
