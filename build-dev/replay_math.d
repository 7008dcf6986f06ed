build-dev/replay_math: tests/fuzz/replay.c
