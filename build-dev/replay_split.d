build-dev/replay_split: tests/fuzz/replay.c
