"""messages-gen.py N EVERY - an Indico export of N contributions with
messages all through it: every EVERY-th has no title (an error), every
fifth from the second a speaker without a name (a warning), every
eleventh from the fourth an impossible date (an error). For
tests/same-messages.sh: the messages of a reading split between two
threads are said as one thread says them."""
import json
import sys

n, every = int(sys.argv[1]), int(sys.argv[2])
cs = []
for i in range(n):
    c = {"id": i + 1, "title": "Talk %d" % (i + 1), "description": "Text."}
    if i % every == 0:
        del c["title"]                       # an error
    if i % 5 == 1:
        c["speakers"] = [{"first_name": "", "last_name": "",
                          "affiliation": "Nowhere"}]  # a warning
    if i % 11 == 3:
        c["startDate"] = {"date": "2022-02-30", "time": "10:00:00", "tz": "UTC"}
    cs.append(c)
json.dump({"results": [{"title": "Messages", "contributions": cs}]}, sys.stdout, indent=1)
