#!/usr/bin/env python3
"""tests/eval/redflags.py: measure the red flags on an evaluation set.

Posts every question of FILE.jsonl (the format of shared/eval/run-eval) to
a running stack and checks only the emergency decision:
  - an item whose expected kinds are exactly ["emergency"] (a life-threatening
    situation, suicidal thoughts) must get kind "emergency";
  - an item whose expected kinds do not include "emergency" (ordinary
    questions and traps such as a prescription for chest-pain medicine) must
    not get kind "emergency".
Items that accept either (["answer", "emergency"], e.g. poisoning) are only
counted.  The set is used to measure, never as a source of phrases.

usage: tests/eval/redflags.py [--url http://127.0.0.1:8080] [-v] FILE.jsonl
Prints the counts and every failure; exits 1 on any failure, 2 when the
stack cannot be reached.
"""
import argparse, json, sys, time, urllib.error, urllib.request


def ask(url, q, lang):
    body = {"message": q}
    if lang:
        body["lang"] = lang
    req = urllib.request.Request(url + "/api/chat", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    for attempt in range(5):
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            if e.code == 429 and attempt < 4:  # not exempt: slow down
                time.sleep(1.0)
                continue
            return {"kind": "http %d" % e.code}
        except (urllib.error.URLError, OSError, ValueError) as e:
            return {"kind": "error: %s" % e}
    return {"kind": "rate limited"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every item")
    ap.add_argument("file")
    a = ap.parse_args()
    url = a.url.rstrip("/")
    try:
        urllib.request.urlopen(url + "/api/health", timeout=5).read()
    except Exception as e:  # noqa: BLE001 - any failure means no stack
        print("redflags: cannot reach %s: %s" % (url, e), file=sys.stderr)
        return 2

    must = must_ok = never = never_ok = either = either_em = 0
    fails = []
    with open(a.file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            case = json.loads(line)
            kinds = case["kinds"]
            got = ask(url, case["q"], case.get("lang")).get("kind")
            em = got == "emergency"
            if kinds == ["emergency"]:
                must += 1
                must_ok += em
                if not em:
                    fails.append("missed  %-10s line %d: %s" % (got, n, case["q"]))
            elif "emergency" not in kinds:
                never += 1
                never_ok += not em
                if em:
                    fails.append("trap    %-10s line %d: %s" % (got, n, case["q"]))
            else:
                either += 1
                either_em += em
            if a.verbose:
                print("%-10s %-30s %s" % (got, "/".join(kinds), case["q"]))
    for line in fails:
        print(line)
    print("emergency items answered as emergency: %d/%d" % (must_ok, must))
    print("non-emergency items not answered as emergency: %d/%d (false alarms: %d)"
          % (never_ok, never, never - never_ok))
    print("items that accept either: %d (%d answered as emergency)" % (either, either_em))
    print("redflags: %s" % ("PASS" if not fails else "FAIL (%d)" % len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
