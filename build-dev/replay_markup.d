build-dev/replay_markup: tests/fuzz/replay.c
