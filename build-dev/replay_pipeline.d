build-dev/replay_pipeline: tests/fuzz/replay.c
