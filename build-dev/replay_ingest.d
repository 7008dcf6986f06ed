build-dev/replay_ingest: tests/fuzz/replay.c
