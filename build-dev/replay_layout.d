build-dev/replay_layout: tests/fuzz/replay.c
