#!/usr/bin/env python3
"""conf/errors.py: writes the JSON bodies of nginx's own errors (413, 429,
404, and 503 for an unreachable service) so the widget always gets the
contract's JSON.  The 503 body carries the citizen-facing texts of
conf/unavailable.json, the one place those texts live."""
import json, os, sys

texts = json.load(open(sys.argv[1], encoding="utf-8"))
out = sys.argv[2]
bodies = {
    "413": {"error": {"code": "body_too_large", "message": "the request body is too large"}},
    "429": {"error": {"code": "rate_limited", "message": "too many requests, wait a moment"}},
    "404": {"error": {"code": "not_found", "message": "not found"}},
    "503": {"error": {"code": "unavailable", "message": "the service is temporarily unavailable"},
            "lang": "fi", "text": texts["fi"], "texts": texts},
}
for code, body in bodies.items():
    with open(os.path.join(out, code + ".json"), "w", encoding="utf-8") as f:
        json.dump(body, f, ensure_ascii=False)
