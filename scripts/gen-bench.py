#!/usr/bin/env python3
"""Writes an Indico-style export with N invented contributions to stdout,
for `make bench`. Deterministic: the same N gives the same file."""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
rng = random.Random(4711)
first = ["Veronika", "Jan", "Ana", "Nguyễn Thị", "Søren", "Αλέξανδρος",
         "Мария", "Łukasz", "Zoë", "José", "Ingrid", "Kenji", "Priya", "Emeka"]
last = ["Kabátová", "Lübbe", "Dvořák", "Øster", "Şahin", "Ólafsdóttir",
        "Shvyd'ko", "Papadopoulos", "Ivanova", "García", "van der Berg",
        "Tanaka", "Okafor", "Schmidt"]
affil = ["Charles University", "Pengutronix", "CERN", "DESY",
         "Elettra-Sincrotrone Trieste S.C.p.A.", "Universität Hamburg",
         "Paul Scherrer Institut", None]
words = ("beam undulator electron laser photon pulse seeded harmonic cavity "
         "gain saturation emittance bunch compression lattice detector "
         "measurement coherent spectrum brightness wavelength tunable "
         "oscillator amplifier injector linac diagnostics").split()


def person(i):
    return {"first_name": rng.choice(first), "last_name": rng.choice(last),
            "affiliation": rng.choice(affil), "fullName": "", "id": str(i)}


def sentence():
    return " ".join(rng.choice(words) for _ in range(rng.randint(8, 22))) + "."


contribs = []
for i in range(1, n + 1):
    paras = ["\n".join(sentence() for _ in range(rng.randint(2, 5)))
             for _ in range(rng.randint(1, 4))]
    if i % 7 == 0:
        paras.append("- " + sentence() + "\n- " + sentence())
    contribs.append({
        "id": str(i), "friendly_id": i, "code": "TUP%03d" % i,
        "title": " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))).capitalize(),
        "description": "\n\n".join(paras),
        "type": rng.choice(["Contributed Oral", "Poster", None]),
        "track": "Track %d" % (i % 5), "session": "Session %d" % (i % 12),
        "startDate": {"date": "2025-06-%02d" % (2 + i % 5), "time": "%02d:%02d:00" % (8 + i % 9, (i * 5) % 60), "tz": "UTC"},
        "duration": 20, "board_number": "", "keywords": [], "references": [],
        "speakers": [person(i)],
        "primaryauthors": [person(i) for _ in range(rng.randint(1, 4))],
        "coauthors": [person(i) for _ in range(rng.randint(0, 6))],
    })
json.dump({"count": 1, "results": [{"title": "Benchmark Conference %d" % n,
           "startDate": {"date": "2025-06-02", "time": "09:00:00", "tz": "UTC"},
           "endDate": {"date": "2025-06-06", "time": "17:00:00", "tz": "UTC"},
           "location": "Somewhere", "contributions": contribs}]},
          sys.stdout, ensure_ascii=False)
