# Writes a second edition of an Indico export (argv[1]) to argv[2]: one
# contribution retitled, moved and given another presenter, one removed,
# one added, one description updated. For tests/cli/diff.test.
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
e = d["results"][0]
blocks = [e] + e.get("sessions", [])
cs = [c for b in blocks for c in b.get("contributions", [])]
c = [x for x in cs if x.get("startDate")][0]
c["title"] = "A changed title"
c["startDate"]["time"] = "10:30:00"
c["speakers"] = [{"first_name": "Antonín", "last_name": "Dvořák", "affiliation": "Praha"}]
gone = [x for x in cs if x is not c][0]
for b in blocks:
    if gone in b.get("contributions", []):
        b["contributions"].remove(gone)
new = json.loads(json.dumps(cs[2])); new["id"] = 9999; new["friendly_id"] = 9999; new["title"] = "A late addition"
blocks[-1]["contributions"].append(new)
cs[3]["description"] = (cs[3].get("description") or "") + " Updated."
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
