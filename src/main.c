/* main.c - the contribook command: options, then the pipeline
 * ingest -> compose -> display list -> PDF. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cb_compose.h"
#include "cb_diag.h"
#include "cb_diff.h"
#include "cb_dlist.h"
#include "cb_font.h"
#include "cb_ingest.h"
#include "cb_jpos.h"
#include "cb_layout.h"
#include "cb_output.h"
#include "cb_pdf.h"
#include "cb_text.h"

#define CB_VERSION "0.1.0"

static const char usage_text[] =
    "Usage: contribook [OPTIONS] INPUT... -o OUTPUT.pdf\n"
    "       contribook [OPTIONS] --check INPUT...\n"
    "Turns conference contribution records (Indico export JSON, frab or\n"
    "pretalx schedule JSON, contribook's native JSON, or CSV) into a PDF\n"
    "booklet; the layout (-l) says which:\n"
    "  report-a4, report-letter, report-a4-de\n"
    "                       the Report of Contributions, one per page\n"
    "  book-of-abstracts    the Book of Abstracts: contents, the\n"
    "                       contributions by session, author, affiliation\n"
    "                       and keyword indexes\n"
    "  book-of-abstracts-print\n"
    "                       the same for a print shop (bleed, crop marks,\n"
    "                       CMYK)\n"
    "  programme-a5         the pocket programme by day and time\n"
    "  timetable, timetable-a5\n"
    "                       a day a page, rooms as columns, time down\n"
    "  poster-list          the posters by board number\n"
    "  volume               several events in one book, one index\n"
    "Several inputs make one event: the first's, with the contributions of\n"
    "the others added (with the volume layout: one part each).\n"
    "INPUT and OUTPUT may be '-' for standard input and output.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE    write the PDF to FILE ('-': standard output)\n"
    "  -f, --format FORMAT  input format: auto (default), indico, schedule\n"
    "                       (frab, pretalx), native, csv\n"
    "  -l, --layout NAME    a shipped layout (see --list-layouts) or a layout\n"
    "                       file (a path, or a name ending in .yaml);\n"
    "                       default report-a4\n"
    "      --list-layouts   list the shipped layouts and exit\n"
    "      --layout-keys    list every layout key with its default and exit\n"
    "      --list-warnings  list the classes of warnings and exit\n"
    "      --trust-layout   let the layout name files outside its own folder\n"
    "                       (absolute paths, '..', links that lead out)\n"
    "      --impose booklet lay the pages out for saddle stitching: two\n"
    "                       side by side on sheets twice their width, in\n"
    "                       signature order, padded to a multiple of four\n"
    "      --pdfa 1b|3b     write PDF/A-1b (ISO 19005-1), for an archive:\n"
    "                       an sRGB output intent, no transparency, XMP\n"
    "                       identification (an RGB layout only); 3b:\n"
    "                       PDF/A-3b with the input files embedded as its\n"
    "                       source\n"
    "      --previous OLD   the previous edition of the records: a page\n"
    "                       lists what changed since (front.changes)\n"
    "      --title TEXT     a volume's title (several events, or the\n"
    "                       volume layout), over the layout's\n"
    "      --max-pages N    fail past N pages, to bound a runaway input\n"
    "                       (default and most: 100000)\n"
    "  -j, --jobs N         threads: 1 sets and writes the pages in turn;\n"
    "                       2 or more load the fonts while the input is\n"
    "                       read, and write each page (content stream,\n"
    "                       compression) on a second thread while the next\n"
    "                       are set (default: the processors online, at\n"
    "                       most 2 used today). The file is the same bytes\n"
    "                       whatever N\n"
    "      --dump FILE      write the display list as text to FILE ('-':\n"
    "                       standard output); with no -o, no PDF is made\n"
    "      --serif FAMILY   body font family (overrides the layout's)\n"
    "      --sans FAMILY    heading font family (overrides the layout's)\n"
    "      --mono FAMILY    code font family (overrides the layout's)\n"
    "      --check          read, check and compose everything, but write\n"
    "                       nothing (no -o needed): errors and warnings as\n"
    "                       a real run gives them, with the same exit codes\n"
    "      --diagnostics text|json|github\n"
    "                       how messages are printed: for people (default),\n"
    "                       one JSON object a line, or GitHub Actions\n"
    "                       annotations; JSON and GitHub give records' line\n"
    "                       and column and come once the run is over\n"
    "  -q, --quiet          do not print warnings (fatal ones still are)\n"
    "  -W no-CLASS          silence one class of warnings (--list-warnings)\n"
    "  -W error=CLASS       make one class of warnings fatal (exit 6)\n"
    "      --werror         treat every warning as an error (exit 6, no\n"
    "                       output), naming the classes that failed\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Exit codes: 0 success, 1 bad input data, 2 bad usage, 3 bad layout,\n"
    "4 font problem, 5 input/output error, 6 warnings with --werror.\n"
    "SOURCE_DATE_EPOCH, when set, is the generation date (reproducible "
    "output).\n";

typedef struct {
    const char *const *inputs; /* merged into one event, in this order */
    size_t n_inputs;
    const char *output;
    const char *dump;
    const char *previous; /* --previous: the last edition's records */
    const char *layout;
    const char *serif, *sans, *mono;
    cb_format format;
    int quiet, werror, check;
    int jobs;           /* -j; 0: the processors online */
    cb_diag_format diagnostics;
    const char *warn_opts[64]; /* -W, in order */
    int n_warn_opts;
    int trust_layout;   /* the layout's paths may name any file */
    cb_pdf_options pdf; /* imposition, PDF/A */
    cb_compose_options compose;
} options;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("contribook: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'contribook --help' for more information.\n", stderr);
    return CB_EXIT_USAGE;
}

/* The generation date: SOURCE_DATE_EPOCH when set (reproducible builds),
 * else now. Returns -1 for a malformed variable. */
static long long generation_date(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return (long long)time(NULL);
    char *end;
    errno = 0;
    /* digits only: strtoll would skip leading blanks */
    long long v = isdigit((unsigned char)*sde) ? strtoll(sde, &end, 10) : -1;
    if (v < 0 || errno || *end || v > 253402300799LL)
        return -1;
    return v;
}

/* Exit status after printing to standard output: a full disk is an error. */
static int stdout_status(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return CB_EXIT_OK;
    fprintf(stderr, "contribook: <stdout>: error: write failed: %s\n",
            strerror(errno));
    return CB_EXIT_IO;
}

/* Saddle stitching holds about 16 sheets of 80 g/m2 paper (64 pages)
 * folded together; more is warned about, not refused. */
#define CB_BOOKLET_MAX_PAGES 64

/* --jobs: more than a machine has processors only queues threads */
#define CB_MAX_JOBS 256

enum {
    OPT_DUMP = 256,
    OPT_WERROR,
    OPT_IMPOSE,
    OPT_PDFA,
    OPT_TITLE,
    OPT_SERIF,
    OPT_SANS,
    OPT_MONO,
    OPT_LIST_LAYOUTS,
    OPT_LAYOUT_KEYS,
    OPT_LIST_WARNINGS,
    OPT_TRUST_LAYOUT,
    OPT_MAX_PAGES,
    OPT_CHECK,
    OPT_DIAGNOSTICS,
    OPT_PREVIOUS
};

/* -f's value; -1 when unknown. */
static int parse_format(const char *s, cb_format *f)
{
    static const struct {
        const char *name;
        cb_format format;
    } names[] = {{"auto", CB_FORMAT_AUTO},         {"indico", CB_FORMAT_INDICO},
                 {"native", CB_FORMAT_NATIVE},     {"csv", CB_FORMAT_CSV},
                 {"schedule", CB_FORMAT_SCHEDULE}, {"frab", CB_FORMAT_SCHEDULE},
                 {"pretalx", CB_FORMAT_SCHEDULE}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i].name)) {
            *f = names[i].format;
            return 0;
        }
    return -1;
}

/* --diagnostics: a format's name, for the run and for diff. */
static int parse_diagnostics(const char *s, cb_diag_format *f)
{
    static const struct {
        const char *name;
        cb_diag_format format;
    } names[] = {{"text", CB_DIAG_TEXT},
                 {"json", CB_DIAG_JSON},
                 {"github", CB_DIAG_GITHUB}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i].name)) {
            *f = names[i].format;
            return 0;
        }
    return -1;
}

/* An option's count: digits only (strtol would skip leading blanks and
 * take a sign), from 1 to max; -1 otherwise. */
static int count_arg(const char *s, long max)
{
    char *end;
    long v = isdigit((unsigned char)*s) ? strtol(s, &end, 10) : -1;
    return v < 1 || *end || v > max ? -1 : (int)v;
}

/* Parses argv into o; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"dump", required_argument, NULL, OPT_DUMP},
        {"layout", required_argument, NULL, 'l'},
        {"list-layouts", no_argument, NULL, OPT_LIST_LAYOUTS},
        {"layout-keys", no_argument, NULL, OPT_LAYOUT_KEYS},
        {"list-warnings", no_argument, NULL, OPT_LIST_WARNINGS},
        {"trust-layout", no_argument, NULL, OPT_TRUST_LAYOUT},
        {"max-pages", required_argument, NULL, OPT_MAX_PAGES},
        {"jobs", required_argument, NULL, 'j'},
        {"impose", required_argument, NULL, OPT_IMPOSE},
        {"pdfa", required_argument, NULL, OPT_PDFA},
        {"title", required_argument, NULL, OPT_TITLE},
        {"serif", required_argument, NULL, OPT_SERIF},
        {"sans", required_argument, NULL, OPT_SANS},
        {"mono", required_argument, NULL, OPT_MONO},
        {"quiet", no_argument, NULL, 'q'},
        {"werror", no_argument, NULL, OPT_WERROR},
        {"check", no_argument, NULL, OPT_CHECK},
        {"previous", required_argument, NULL, OPT_PREVIOUS},
        {"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:f:l:j:qhVW:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': o->output = optarg; break;
        case OPT_DUMP: o->dump = optarg; break;
        case OPT_SERIF: o->serif = optarg; break;
        case OPT_SANS: o->sans = optarg; break;
        case OPT_MONO: o->mono = optarg; break;
        case 'l': o->layout = optarg; break;
        case OPT_LIST_LAYOUTS:
            cb_layout_list(stdout);
            return stdout_status();
        case OPT_LAYOUT_KEYS:
            cb_layout_keys(stdout);
            return stdout_status();
        case OPT_LIST_WARNINGS:
            for (int w = 0; w < CB_W_COUNT; w++)
                printf("%-18s %s\n", cb_warning_name((cb_warning)w),
                       cb_warning_about((cb_warning)w));
            return stdout_status();
        case 'q': o->quiet = 1; break;
        case OPT_TRUST_LAYOUT: o->trust_layout = 1; break;
        case OPT_MAX_PAGES:
            if ((o->compose.max_pages = count_arg(optarg, CB_MAX_PAGES)) < 0)
                return usage_error("--max-pages takes a number from 1 to "
                                   "100000, not '%s'", optarg);
            break;
        case 'j':
            if ((o->jobs = count_arg(optarg, CB_MAX_JOBS)) < 0)
                return usage_error("--jobs takes a number from 1 to 256, "
                                   "not '%s'", optarg);
            break;
        case OPT_WERROR: o->werror = 1; break;
        case OPT_CHECK: o->check = 1; break;
        case OPT_PREVIOUS: o->previous = optarg; break;
        case OPT_DIAGNOSTICS:
            if (parse_diagnostics(optarg, &o->diagnostics) < 0)
                return usage_error("unknown diagnostics format '%s' (use "
                                   "text, json or github)", optarg);
            break;
        case 'W': {
            /* checked here, so that a typing error stops the run at once */
            cb_diag *probe = cb_diag_new(NULL);
            int bad = cb_diag_option(probe, optarg) < 0;
            cb_diag_free(probe);
            if (bad)
                return usage_error("-W %s: no such class of warnings "
                                   "(--list-warnings lists them)", optarg);
            if (o->n_warn_opts == (int)(sizeof o->warn_opts /
                                        sizeof *o->warn_opts))
                return usage_error("%s", "more than 64 -W options");
            o->warn_opts[o->n_warn_opts++] = optarg;
            break;
        }
        case OPT_TITLE: o->compose.title = optarg; break;
        case OPT_PDFA:
            if (strcmp(optarg, "1b") == 0)
                o->pdf.pdfa = CB_PDFA_1B;
            else if (strcmp(optarg, "3b") == 0)
                o->pdf.pdfa = CB_PDFA_3B;
            else
                return usage_error("unknown PDF/A level '%s' (use 1b or 3b)",
                                   optarg);
            break;
        case OPT_IMPOSE:
            if (strcmp(optarg, "booklet") == 0)
                o->pdf.impose = CB_IMPOSE_BOOKLET;
            else if (strcmp(optarg, "none") == 0)
                o->pdf.impose = CB_IMPOSE_NONE;
            else
                return usage_error("unknown imposition '%s' (use booklet "
                                   "or none)", optarg);
            break;
        case 'f':
            if (parse_format(optarg, &o->format) < 0)
                return usage_error("unknown format '%s' (use auto, indico, "
                                   "schedule, native or csv)", optarg);
            break;
        case 'h':
            fputs(usage_text, stdout);
            return stdout_status();
        case 'V':
            printf("contribook %s\n", CB_VERSION);
            return stdout_status();
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("%s", "no input file given");
    o->inputs = (const char *const *)argv + optind;
    o->n_inputs = (size_t)(argc - optind);
    if (!o->output && !o->dump && !o->check)
        return usage_error("%s", "no output file given (use -o FILE.pdf, "
                                 "or --check to write nothing)");
    if (o->check && (o->output || o->dump))
        return usage_error("%s", "--check writes nothing: leave out -o and "
                                 "--dump");
    if (o->output && o->dump && strcmp(o->output, "-") == 0 &&
        strcmp(o->dump, "-") == 0)
        return usage_error("%s", "--dump and -o cannot both be '-'");
    return -1;
}

static const char *face_name(void *ctx, int face)
{
    return cb_fonts_name(ctx, face);
}

/* Writes buf to an output opened for `path`, reporting failures. */
static int write_to(cb_output *o, const char *path, const cb_buf *b,
                    cb_diag *diag)
{
    if (cb_output_write(o, b->data, b->len) == 0)
        return CB_EXIT_OK;
    cb_diag_error(diag, strcmp(path, "-") == 0 ? "<stdout>" : path,
                  "cannot write: %s", strerror(errno));
    return CB_EXIT_IO;
}

/* Opens the output for path, or reports why not. */
static int open_output(cb_output *o, const char *path, cb_diag *diag)
{
    if (cb_output_open(o, path) == 0)
        return CB_EXIT_OK;
    cb_diag_error(diag, path, errno == EISDIR ? "cannot write: %s"
                                              : "cannot create: %s",
                  strerror(errno));
    return CB_EXIT_IO;
}

/* Writes the dump and the PDF, each to its output; both are completed
 * (renamed into place) only once both are written, so a run that fails
 * at either leaves neither behind. Standard output gets its part last.
 * pdf_out may be open already (see run); pw, when not NULL, has written
 * the pages as they were done and only completes the file. */
static int write_outputs(const options *o, cb_dlist *dl, cb_fonts *fonts,
                         cb_pdf_writer *pw, cb_output *pdf_out,
                         cb_diag *diag)
{
    cb_output dump_out = {NULL, NULL, -1, -1};
    cb_buf dump = {0};
    int rc = CB_EXIT_OK;
    if (o->dump) {
        cb_dlist_dump(dl, &dump, face_name, fonts);
        if (strcmp(o->dump, "-") != 0)
            rc = open_output(&dump_out, o->dump, diag);
        if (rc == CB_EXIT_OK && strcmp(o->dump, "-") != 0)
            rc = write_to(&dump_out, o->dump, &dump, diag);
    }
    if (rc == CB_EXIT_OK && pw) {
        rc = cb_pdf_finish(pw);
    } else if (rc == CB_EXIT_OK && o->output) {
        if (pdf_out->fd < 0)
            rc = open_output(pdf_out, o->output, diag);
        if (rc == CB_EXIT_OK)
            rc = cb_pdf_write(dl, fonts, &o->pdf, pdf_out,
                              strcmp(o->output, "-") == 0 ? "<stdout>"
                                                          : o->output,
                              diag);
    }
    if (rc == CB_EXIT_OK && o->dump && strcmp(o->dump, "-") == 0) {
        rc = cb_output_open(&dump_out, "-") == 0
                 ? write_to(&dump_out, "-", &dump, diag)
                 : CB_EXIT_IO;
        if (rc == CB_EXIT_OK && fflush(stdout) != 0)
            rc = CB_EXIT_IO;
    }
    if (rc == CB_EXIT_OK && o->output && cb_output_commit(pdf_out) != 0) {
        cb_diag_error(diag, o->output, "cannot write: %s", strerror(errno));
        rc = CB_EXIT_IO;
    }
    if (rc == CB_EXIT_OK && o->dump && cb_output_commit(&dump_out) != 0) {
        cb_diag_error(diag, o->dump, "cannot write: %s", strerror(errno));
        rc = CB_EXIT_IO;
    }
    cb_output_discard(pdf_out);
    cb_output_discard(&dump_out);
    cb_buf_free(&dump);
    return rc;
}

/* Refuses an input given twice (links followed): merged, its ids would
 * clash; in a volume, its event would be there twice. */
static int check_inputs_once(const options *o, cb_diag *diag)
{
    char a[PATH_MAX], b[PATH_MAX];
    for (size_t i = 0; i < o->n_inputs; i++) {
        if (!strcmp(o->inputs[i], "-") || !realpath(o->inputs[i], a))
            continue; /* a file that cannot be read is said when read */
        for (size_t j = 0; j < i; j++)
            if (strcmp(o->inputs[j], "-") && realpath(o->inputs[j], b) &&
                !strcmp(a, b)) {
                cb_diag_error(diag, NULL, "%s is given twice (as input %zu "
                              "and %zu): each input is read once", o->inputs[i],
                              j + 1, i + 1);
                return CB_EXIT_USAGE;
            }
    }
    return CB_EXIT_OK;
}

/* Refuses an output that is one of the files the run reads (the input,
 * the layout, its preface or postface), by any path: the rename would
 * destroy it. Checked before the input is read. */
static int check_not_input(const options *o, const cb_layout *lay,
                           cb_diag *diag)
{
    const char *outs[] = {o->output, o->dump};
    for (int i = 0; i < 2; i++) {
        if (!outs[i] || strcmp(outs[i], "-") == 0)
            continue;
        const char *what = NULL;
        for (size_t k = 0; !what && k < o->n_inputs; k++)
            if (strcmp(o->inputs[k], "-") == 0
                    ? cb_output_is_fd(outs[i], STDIN_FILENO)
                    : cb_output_same_file(outs[i], o->inputs[k]))
                what = o->n_inputs == 1 ? "the input file"
                                        : "one of the input files";
        if (!what && o->previous && strcmp(o->previous, "-") &&
            cb_output_same_file(outs[i], o->previous))
            what = "the previous edition (--previous)";
        for (int k = 0; !what && k < lay->n_files; k++)
            if (cb_output_same_file(outs[i], lay->files[k]))
                what = "a file the layout reads";
        if (what) {
            cb_diag_error(diag, outs[i], "this is %s: refusing to replace "
                          "it", what);
            return CB_EXIT_USAGE;
        }
    }
    if (o->output && o->dump && strcmp(o->output, "-") != 0 &&
        (strcmp(o->output, o->dump) == 0 ||
         cb_output_same_file(o->output, o->dump))) {
        cb_diag_error(diag, o->output, "--dump and -o name the same file");
        return CB_EXIT_USAGE;
    }
    return CB_EXIT_OK;
}

/* Refuses a layout whose font families are not installed (or shipped) as
 * TrueType, before a page is drawn. */
static int check_fonts(const cb_layout *lay, cb_fonts *fonts, cb_diag *diag)
{
    const char *fam[] = {lay->serif, lay->sans, lay->mono};
    const char *key[] = {"fonts.serif", "fonts.sans", "fonts.mono"};
    int bad = 0;
    for (int i = 0; i < 3; i++)
        if (!cb_fonts_has_family(fonts, fam[i])) {
            cb_diag_error(diag, cb_layout_key_place(lay, key[i]),
                          "%s: font family \"%s\" is not "
                          "installed with TrueType outlines (fc-list shows "
                          "what is, beside contribook's own Noto fonts; "
                          "libharu 2.3.0 cannot embed CFF/OpenType)",
                          key[i], fam[i]);
            bad = 1;
        }
    return bad ? CB_EXIT_LAYOUT : CB_EXIT_OK;
}

/* The progress line: on a terminal, for a run longer than a second, one
 * line on standard error redrawn at most ten times a second, cleared
 * before any message and at the end. */
typedef struct {
    int on;
    struct timespec start;
    double last; /* when the line was last drawn, seconds into the run */
    int shown;   /* a line is on the terminal */
} progress;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_clear(void *ctx)
{
    progress *p = ctx;
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = 0;
}

static void progress_show(void *ctx, size_t done, size_t total, size_t pages)
{
    progress *p = ctx;
    double t = seconds_since(&p->start);
    if (!p->on || t < 1.0 || t - p->last < 0.1 || !total)
        return;
    p->last = t;
    long left = done ? (long)(t * (double)(total - done) / (double)done + 0.5)
                     : 0;
    fprintf(stderr, "\r\033[Kcontribook: %zu pages, %zu%% of %zu "
            "contributions, %ld:%02ld left", pages, done * 100 / total, total,
            left / 60, left % 60);
    fflush(stderr);
    p->shown = 1;
}

/* --check: a page set is let go at once. */
static int discard_page(void *ctx, const cb_page *page)
{
    (void)ctx;
    (void)page;
    return 0;
}

/* Where records' values are, for JSON and GitHub diagnostics: the input
 * is read again (standard input cannot be: its messages have no line). */
static void locate(void *ctx, const char *file, const char *const *paths,
                   size_t n, int *line, int *col)
{
    (void)ctx;
    cb_buf text = {0};
    memset(line, 0, n * sizeof *line);
    memset(col, 0, n * sizeof *col);
    if (strcmp(file, "<stdin>") != 0 &&
        cb_read_file(file, (size_t)512 << 20, &text) == 0)
        cb_jpos_locate(text.data, text.len, paths, n, line, col);
    cb_buf_free(&text);
}

/* What the composer needs besides the input, made on a thread of its own
 * while the input is read (with --jobs 2 or more): the font service
 * (fontconfig's configuration of contribook's fonts) and a paragraph
 * builder with the layout's hyphenation dictionary, 15 ms of a run's
 * start that would otherwise wait for the reading. The thread says
 * nothing: its messages are kept and said after the reading's, where
 * they were said before. */
typedef struct {
    pthread_t id;
    int started;
    const cb_layout *lay;
    cb_diag *diag; /* holds the thread's messages */
    cb_fonts *fonts;
    cb_text *text;
} early;

static void *early_work(void *arg)
{
    early *e = arg;
    e->fonts = cb_fonts_new(e->diag);
    if (e->fonts) {
        e->text = cb_text_new(e->fonts);
        cb_text_set_language(e->text, e->lay->language);
        if (e->lay->hyphenate)
            cb_text_can_hyphenate(e->text);
    }
    return NULL;
}

/* Starts the thread (cb_thread_start); without one (it could not start),
 * early_fonts makes the fonts in turn. */
static void early_start(early *e, const cb_layout *lay)
{
    e->lay = lay;
    e->diag = cb_diag_new(stderr);
    cb_diag_hold(e->diag);
    e->started = cb_thread_start(&e->id, early_work, e) == 0;
    if (!e->started) {
        cb_diag_free(e->diag);
        e->diag = NULL;
    }
}

/* The font service (NULL after reporting when there is none) and the
 * paragraph builder made ahead (*text, or NULL): the thread's, its
 * messages said in diag now, or made now. */
static cb_fonts *early_fonts(early *e, cb_diag *diag, cb_text **text)
{
    *text = NULL;
    if (!e->started)
        return cb_fonts_new(diag);
    pthread_join(e->id, NULL);
    e->started = 0;
    cb_diag_replay(diag, e->diag);
    cb_diag_free(e->diag);
    e->diag = NULL;
    if (e->fonts) /* its warnings to come are the run's */
        cb_fonts_set_diag(e->fonts, diag);
    *text = e->text;
    return e->fonts;
}

/* A run that ends before it needs them: the thread's work let go, its
 * messages unsaid. */
static void early_discard(early *e)
{
    if (!e->started)
        return;
    pthread_join(e->id, NULL);
    e->started = 0;
    cb_diag_release(e->diag, 0);
    cb_diag_free(e->diag);
    cb_text_free(e->text);
    cb_fonts_free(e->fonts);
}

/* Runs the pipeline; everything is released before returning. */
static int run(const options *o, cb_diag *diag)
{
    int io_error = 0, rc;
    cb_layout *lay = cb_layout_load(o->layout, o->trust_layout, diag);
    if (!lay)
        return CB_EXIT_LAYOUT;
    if ((rc = check_not_input(o, lay, diag)) != CB_EXIT_OK) {
        cb_layout_free(lay);
        return rc;
    }
    if (o->pdf.pdfa != CB_PDFA_NONE && (lay->text_color & CB_CMYK)) {
        /* the writer refuses it too; said before any work is done */
        cb_diag_error(diag, NULL, "--pdfa: the layout's colours are device "
                      "CMYK (a print layout), and PDF/A needs an output "
                      "intent of the same colour space: a CMYK ICC profile "
                      "of the press, which contribook does not have; make "
                      "the archive copy with an RGB layout");
        cb_layout_free(lay);
        return CB_EXIT_USAGE;
    }
    if ((rc = check_inputs_once(o, diag)) != CB_EXIT_OK) {
        cb_layout_free(lay);
        return rc;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o->jobs ? o->jobs : online > 1 ? (int)online : 1;
    early e = {0};
    if (jobs > 1)
        early_start(&e, lay);
    cb_model *m = cb_ingest_load_all(o->inputs, o->n_inputs, o->format,
                                     (o->pdf.pdfa == CB_PDFA_3B
                                          ? CB_INGEST_KEEP_FILES
                                          : 0) |
                                         (lay->volume_events
                                              ? CB_INGEST_EVENTS
                                              : 0) |
                                         (jobs > 1 ? CB_INGEST_TWO_THREADS
                                                   : 0),
                                     diag,
                                     &io_error);
    if (!m) {
        early_discard(&e);
        cb_layout_free(lay);
        return io_error ? CB_EXIT_IO : CB_EXIT_DATA;
    }
    if (o->compose.title && m->n_events < 2 && !lay->volume_title_page) {
        cb_diag_error(diag, NULL, "--title names a volume: give several "
                      "events (several inputs with the volume layout, or "
                      "a native file with \"events\"), or a layout with "
                      "volume.title_page");
        early_discard(&e);
        cb_model_free(m);
        cb_layout_free(lay);
        return CB_EXIT_USAGE;
    }
    cb_model *prev = NULL;
    if (o->previous) {
        if (m->n_events != 1) {
            cb_diag_error(diag, NULL, "--previous compares one event with its "
                          "previous edition, and these inputs make %zu",
                          m->n_events);
            early_discard(&e);
            cb_model_free(m);
            cb_layout_free(lay);
            return CB_EXIT_USAGE;
        }
        prev = cb_ingest_load_all(&o->previous, 1, o->format,
                                  CB_INGEST_EVENTS, diag, &io_error);
        if (!prev) {
            early_discard(&e);
            cb_model_free(m);
            cb_layout_free(lay);
            return io_error ? CB_EXIT_IO : CB_EXIT_DATA;
        }
    }
    cb_text *text;
    cb_fonts *fonts = early_fonts(&e, diag, &text);
    cb_dlist *dl = cb_dlist_new();
    cb_output pdf_out = {NULL, NULL, -1, -1};
    cb_pdf_writer *pw = NULL;
    if (!fonts) {
        rc = CB_EXIT_FONT;
        goto out;
    }
    /* A file (written to a temporary file beside it, renamed when whole)
     * takes each page as it is done, so that memory does not grow with
     * the book. Standard output, a device or a pipe, written through,
     * gets the file once it is whole, as does a run with a dump (which
     * needs every page). */
    if (o->output && !o->dump && strcmp(o->output, "-") != 0) {
        if ((rc = open_output(&pdf_out, o->output, diag)) != CB_EXIT_OK)
            goto out;
        if (pdf_out.tmp) {
            pw = cb_pdf_begin(dl, fonts, &o->pdf, &pdf_out, o->output, diag);
            if (!pw) {
                rc = CB_EXIT_INTERNAL;
                goto out;
            }
            cb_dlist_set_sink(dl, cb_pdf_page, pw);
            cb_dlist_set_jobs(dl, jobs);
        }
    }
    if (o->check) /* every page is set, and let go */
        cb_dlist_set_sink(dl, discard_page, NULL);
    /* a family named in a layout file must exist; the command line's
     * --serif/--sans/--mono fall back with a warning, as before */
    if (o->layout && (rc = check_fonts(lay, fonts, diag)) != CB_EXIT_OK)
        goto out;
    const char *families[] = {o->serif, o->sans, o->mono};
    const cb_font_role roles[] = {CB_FONT_SERIF, CB_FONT_SANS, CB_FONT_MONO};
    for (int i = 0; i < 3; i++)
        if (families[i])
            cb_layout_set_family(lay, roles[i], families[i]);
    cb_compose_options copts = o->compose;
    copts.layout = lay;
    copts.text = text; /* the composer's from here */
    text = NULL;
    copts.previous = prev;
    if (o->output && strcmp(o->output, "-")) /* for a print slug line */
        copts.output_name = strrchr(o->output, '/') ? strrchr(o->output, '/') + 1
                                                    : o->output;
    progress bar = {0};
    clock_gettime(CLOCK_MONOTONIC, &bar.start);
    bar.on = !o->quiet && o->diagnostics == CB_DIAG_TEXT &&
             isatty(STDERR_FILENO);
    copts.progress = progress_show;
    copts.progress_ctx = &bar;
    cb_diag_set_before(diag, progress_clear, &bar);
    rc = cb_compose_report(m, fonts, &copts, dl, diag);
    /* the writer's thread has every page it was handed before anything
     * else reads the fonts or the file */
    cb_dlist_wait(dl);
    progress_clear(&bar);
    cb_diag_set_before(diag, NULL, NULL);
    size_t pages = cb_dlist_page_count(dl);
    if (rc == CB_EXIT_OK && o->pdf.impose == CB_IMPOSE_BOOKLET &&
        pages > CB_BOOKLET_MAX_PAGES)
        cb_diag_warning(diag, CB_W_BOOKLET, NULL,
                        "%zu pages make a booklet of %zu sheets folded "
                        "together: saddle stitching holds about %d pages "
                        "(the inner pages creep outward and the spine "
                        "will not close); print it in parts, or bind it "
                        "otherwise", pages, (pages + 3) / 4,
                        CB_BOOKLET_MAX_PAGES);
    if (rc == CB_EXIT_OK && cb_diag_fatal(diag)) {
        cb_buf classes = {0};
        cb_diag_fatal_classes(diag, &classes);
        cb_diag_error(diag, NULL, "warnings are errors (%s%s): %s",
                      o->werror ? "--werror: " : "-W error: ", classes.data,
                      o->check ? "the check fails" : "no output written");
        cb_buf_free(&classes);
        rc = CB_EXIT_WARNINGS;
    }
    if (o->check)
        goto out;
    if (rc == CB_EXIT_OK)
        rc = write_outputs(o, dl, fonts, pw, &pdf_out, diag);
out:
    cb_text_free(text);
    cb_pdf_free(pw);
    cb_output_discard(&pdf_out);
    cb_dlist_free(dl);
    cb_fonts_free(fonts);
    cb_model_free(m);
    cb_model_free(prev);
    cb_layout_free(lay);
    return rc;
}

static const char diff_usage[] =
    "Usage: contribook diff [--diagnostics text|json] [-f FORMAT] OLD NEW\n"
    "Lists the contributions added, removed and changed (matched by id)\n"
    "from edition OLD to edition NEW of an event's records, with the\n"
    "fields that changed: title, time, room, session, persons,\n"
    "description, references, other (code, type, track, keywords, board).\n"
    "As text, or with --diagnostics json one JSON object a line.\n"
    "Exit codes, as diff(1): 0 the same, 1 different, 2 trouble.\n";

/* The persons of c, presenters first, each once: "Ana Kabátová
 * (Charles University), Jan Lübbe", for a diff line. */
static void diff_people(cb_buf *b, const cb_contribution *c)
{
    const cb_person *lists[] = {c->speakers, c->authors, c->coauthors};
    size_t counts[] = {c->n_speakers, c->n_authors, c->n_coauthors};
    size_t start = b->len;
    cb_buf one = {0};
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const cb_person *p = &lists[l][i];
            one.len = 0;
            cb_buf_printf(&one, "%s%s%s", p->first ? p->first : "",
                          p->first && p->last ? " " : "",
                          p->last ? p->last : "");
            if (p->affiliation)
                cb_buf_printf(&one, " (%s)", p->affiliation);
            if (!one.len || (b->data && strstr(b->data + start, one.data)))
                continue;
            cb_buf_printf(b, "%s%s", b->len > start ? ", " : "", one.data);
        }
    cb_buf_free(&one);
}

/* The value of field `bit` of c, as the diff shows it. */
static void diff_value(cb_buf *b, unsigned bit, const cb_contribution *c)
{
    char t[64];
    const char *v = bit == CB_DIFF_TITLE     ? c->title
                    : bit == CB_DIFF_TIME    ? cb_diff_time(c, t, sizeof t)
                    : bit == CB_DIFF_ROOM    ? c->room
                    : bit == CB_DIFF_SESSION ? c->session
                                             : NULL;
    if (bit == CB_DIFF_PERSONS)
        diff_people(b, c);
    else
        cb_buf_puts(b, v ? v : "");
}

/* Fields whose old and new values a line shows. */
#define DIFF_SHOWN (CB_DIFF_TITLE | CB_DIFF_TIME | CB_DIFF_ROOM | \
                    CB_DIFF_SESSION | CB_DIFF_PERSONS)

static void diff_text(cb_buf *b, const cb_change *ch)
{
    static const char *const kind[] = {"added", "removed", "changed"};
    const cb_contribution *c = ch->new ? ch->new : ch->old;
    cb_buf line = {0};
    cb_buf_printf(&line, "%s %s \"%s\"", kind[ch->kind], c->id, c->title);
    for (unsigned bit = 1, first = 1; bit < 1u << CB_DIFF_NFIELDS; bit <<= 1) {
        if (!(ch->fields & bit))
            continue;
        cb_buf_printf(&line, "%s%s", first ? ": " : ", ",
                      cb_diff_field_name(bit));
        first = 0;
        if (bit & DIFF_SHOWN) {
            cb_buf_puts(&line, " (");
            diff_value(&line, bit, ch->old);
            cb_buf_puts(&line, " -> ");
            diff_value(&line, bit, ch->new);
            cb_buf_puts(&line, ")");
        }
    }
    cb_diag_safe(b, line.data);
    cb_buf_putc(b, '\n');
    cb_buf_free(&line);
}

static void diff_json_side(cb_buf *b, const char *key,
                           const cb_contribution *c)
{
    cb_buf_printf(b, ",\"%s\":{", key);
    for (unsigned bit = 1, first = 1; bit < 1u << CB_DIFF_NFIELDS; bit <<= 1) {
        if (!(bit & DIFF_SHOWN))
            continue;
        cb_buf v = {0};
        diff_value(&v, bit, c);
        cb_buf_printf(b, "%s\"%s\":", first ? "" : ",",
                      cb_diff_field_name(bit));
        cb_diag_json_string(b, v.data ? v.data : "");
        cb_buf_free(&v);
        first = 0;
    }
    cb_buf_putc(b, '}');
}

static void diff_json(cb_buf *b, const cb_change *ch)
{
    static const char *const kind[] = {"added", "removed", "changed"};
    const cb_contribution *c = ch->new ? ch->new : ch->old;
    cb_buf_printf(b, "{\"change\":\"%s\",\"id\":", kind[ch->kind]);
    cb_diag_json_string(b, c->id);
    cb_buf_puts(b, ",\"title\":");
    cb_diag_json_string(b, c->title);
    cb_buf_puts(b, ",\"fields\":[");
    for (unsigned bit = 1, first = 1; bit < 1u << CB_DIFF_NFIELDS; bit <<= 1)
        if (ch->fields & bit) {
            cb_buf_printf(b, "%s\"%s\"", first ? "" : ",",
                          cb_diff_field_name(bit));
            first = 0;
        }
    cb_buf_putc(b, ']');
    if (ch->old)
        diff_json_side(b, "old", ch->old);
    if (ch->new)
        diff_json_side(b, "new", ch->new);
    cb_buf_puts(b, "}\n");
}

/* contribook diff OLD NEW. */
static int run_diff(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch, json = 0;
    cb_format format = CB_FORMAT_AUTO;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_DIAGNOSTICS: {
            cb_diag_format f; /* GitHub annotations are not for a diff */
            if (parse_diagnostics(optarg, &f) < 0 || f == CB_DIAG_GITHUB)
                return usage_error("diff: unknown diagnostics format '%s' "
                                   "(use text or json)", optarg);
            json = f == CB_DIAG_JSON;
            break;
        }
        case 'f':
            if (parse_format(optarg, &format) < 0)
                return usage_error("unknown format '%s' (use auto, indico, "
                                   "schedule, native or csv)", optarg);
            break;
        case 'h':
            fputs(diff_usage, stdout);
            return stdout_status();
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return usage_error("%s", "diff takes two inputs: OLD NEW");
    cb_diag *diag = cb_diag_new(stderr);
    cb_diag_set_quiet(diag, 1); /* the records' warnings are not the diff */
    if (json)
        cb_diag_set_format(diag, CB_DIAG_JSON, locate, NULL);
    cb_model *m[2] = {NULL, NULL};
    int io_error = 0;
    for (int i = 0; i < 2; i++)
        m[i] = cb_ingest_load_all((const char *const *)argv + optind + i, 1,
                                  format, CB_INGEST_EVENTS, diag, &io_error);
    int rc = 2;
    if (m[0] && m[1]) {
        cb_change *changes;
        size_t n = cb_diff(m[0], m[1], &changes);
        cb_buf out = {0};
        size_t count[3] = {0, 0, 0};
        for (size_t i = 0; i < n; i++) {
            (json ? diff_json : diff_text)(&out, &changes[i]);
            count[changes[i].kind]++;
        }
        if (!json && n)
            cb_buf_printf(&out, "%zu changed, %zu added, %zu removed\n",
                          count[CB_CHANGED], count[CB_ADDED],
                          count[CB_REMOVED]);
        if (out.len)
            fwrite(out.data, 1, out.len, stdout);
        cb_buf_free(&out);
        free(changes);
        rc = stdout_status() != CB_EXIT_OK ? 2 : n ? 1 : 0;
    }
    cb_model_free(m[0]);
    cb_model_free(m[1]);
    cb_diag_free(diag);
    return rc;
}

int main(int argc, char **argv)
{
    cb_heap_prepare();
    if (argc > 1 && !strcmp(argv[1], "diff"))
        return run_diff(argc - 1, argv + 1);
    options o = {0};
    o.compose.version = CB_VERSION;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    o.compose.date = generation_date();
    if (o.compose.date < 0)
        return usage_error("%s", "SOURCE_DATE_EPOCH is not a number of "
                                 "seconds since 1970");
    cb_output_guard_signals();
    cb_diag *diag = cb_diag_new(stderr);
    cb_diag_set_quiet(diag, o.quiet);
    cb_diag_set_format(diag, o.diagnostics, locate, NULL);
    if (o.werror)
        cb_diag_option(diag, "error");
    for (int i = 0; i < o.n_warn_opts; i++)
        cb_diag_option(diag, o.warn_opts[i]);
    rc = run(&o, diag);
    cb_diag_free(diag);
    return rc;
}
