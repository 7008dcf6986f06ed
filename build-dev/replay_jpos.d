build-dev/replay_jpos: tests/fuzz/replay.c
