/* fuzz_layout.c - libFuzzer target: any bytes as a layout file, loaded as
 * the command loads one (with a preface beside it that a layout may name).
 * Build and run with `make fuzz` (clang). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb_layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], path[96], preface[96];

/* the scratch folder goes when the process ends (libFuzzer and replay.c
 * both end with exit) */
static void cleanup(void)
{
    unlink(path);
    unlink(preface);
    rmdir(dir);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cb-fuzz-layout-%ld", (long)getpid());
    mkdir(dir, 0700);
    snprintf(preface, sizeof preface, "%s/preface.md", dir);
    FILE *fp = fopen(preface, "w");
    if (fp) {
        fputs("# Welcome\n\nA *preface* with [a link](https://example.org).\n",
              fp);
        fclose(fp);
    }
    snprintf(path, sizeof path, "%s/layout.yaml", dir);
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!*dir)
        setup();
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);
    cb_diag *diag = cb_diag_new(NULL);
    cb_layout_free(cb_layout_load(path, 0, diag));
    cb_diag_free(diag);
    return 0;
}
