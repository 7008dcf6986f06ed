/* replay.c - runs a libFuzzer target's LLVMFuzzerTestOneInput once on each
 * file named on the command line, without libFuzzer: `make check` links it
 * with every target (build/replay_TARGET) and replays the committed corpora
 * of tests/fuzz/corpus/, the crashers among them, under the suite's own
 * build, ASan or valgrind. Each file's name goes to stderr before it runs,
 * so the last name printed is the one a crash or a hang stopped on. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzers run with -max_len=65536; a corpus file is never longer. */
#define REPLAY_MAX_BYTES 65536

int main(int argc, char **argv)
{
    static uint8_t buf[REPLAY_MAX_BYTES + 1];
    int replayed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (!fp) {
            perror(argv[i]);
            return 1;
        }
        size_t n = fread(buf, 1, sizeof buf, fp);
        int err = ferror(fp);
        fclose(fp);
        if (err || n > REPLAY_MAX_BYTES) {
            fprintf(stderr, "%s: %s\n", argv[i],
                    err ? "read error" : "longer than 65536 bytes");
            return 1;
        }
        fprintf(stderr, "replay %s\n", argv[i]);
        /* a copy of exactly n bytes, so that ASan sees a read past the end */
        uint8_t *copy = malloc(n ? n : 1);
        if (!copy)
            return 1;
        memcpy(copy, buf, n);
        LLVMFuzzerTestOneInput(copy, n);
        free(copy);
        replayed++;
    }
    printf("%d inputs replayed\n", replayed);
    return 0;
}
