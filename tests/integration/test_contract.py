"""The HTTP contract (/work/shared/api.md), endpoint by endpoint and error by
error, through nginx as the widget sees it.  Every test leaves the shared
stack as it found it; the database outage test restarts PostgreSQL itself."""
import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import time
import uuid

from lib import check

JSON_CT = "application/json; charset=utf-8"
PHONES = ("06 218 1111", "06 218 9000")
KINDS = ("answer", "clarify", "fallback", "emergency", "smalltalk")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ALLOWED_ORIGIN = "https://pohjanmaanhyvinvointi.fi"


def session():
    return "t-" + uuid.uuid4().hex


def contract_headers(r):
    check(r.headers.get("Content-Type") == JSON_CT, "Content-Type %r in %r" % (
        r.headers.get("Content-Type"), r))
    check(r.headers.get("Cache-Control") == "no-store", "Cache-Control %r in %r" % (
        r.headers.get("Cache-Control"), r))


def error(r, status, code):
    """r is the contract's JSON error: status, code, an English message."""
    check(r.status == status, "expected %d %s, got %r" % (status, code, r))
    check(isinstance(r.json, dict) and isinstance(r.json.get("error"), dict), r)
    check(r.json["error"].get("code") == code, "expected %s, got %r" % (code, r))
    check(isinstance(r.json["error"].get("message"), str) and r.json["error"]["message"], r)


def worker_error(r, status, code):
    """An error the service itself sends: also the contract's headers."""
    error(r, status, code)
    contract_headers(r)


def turn(r, kind=None, lang=None):
    """r is a well-formed chat turn; returns its JSON."""
    check(r.status == 200, r)
    contract_headers(r)
    j = r.json
    check(isinstance(j, dict), r)
    for k in ("kind", "lang", "text", "links", "suggestions", "answer_id", "turn_id"):
        check(k in j, "no %s in %r" % (k, j))
    check(j["kind"] in KINDS, j)
    check(j["lang"] in ("fi", "sv", "en"), j)
    check(isinstance(j["text"], str) and j["text"].strip(), j)
    check(not re.search(r"<\s*/?\s*[a-zA-Z][^>]*>", j["text"]), "HTML in text: %r" % j["text"])
    check(isinstance(j["links"], list), j)
    for l in j["links"]:
        check(isinstance(l.get("title"), str) and l["title"], j)
        check(isinstance(l.get("url"), str) and l["url"].startswith("https://"), j)
    check(isinstance(j["suggestions"], list), j)
    for s in j["suggestions"]:
        check(type(s.get("id")) is int and isinstance(s.get("title"), str) and s["title"], j)
    if j["kind"] in ("answer", "emergency", "smalltalk"):
        check(type(j["answer_id"]) is int and j["answer_id"] > 0, j)
    else:
        check(j["answer_id"] is None, j)
    check(isinstance(j["turn_id"], str) and UUID_RE.match(j["turn_id"]), j)
    if kind is not None:
        check(j["kind"] == kind, "expected kind %s, got %r" % (kind, j))
    if lang is not None:
        check(j["lang"] == lang, "expected lang %s, got %r" % (lang, j))
    return j


def post_raw(stack, path, raw, ctype="application/json"):
    return stack.request("POST", path, raw=raw, headers={"Content-Type": ctype})


# --- POST /api/chat: the kinds of turn -------------------------------------

def test_chat_answer(stack):
    j = turn(stack.chat("Miten uusin reseptin?", lang="fi", session=session()),
             kind="answer", lang="fi")
    check(any("omakanta" in (l["url"] + l["title"]).lower().replace(" ", "")
              for l in j["links"]), "no OmaKanta link: %r" % j["links"])


def test_chat_language_follows_the_message(stack):
    j = turn(stack.chat("Hur förnyar jag mitt recept?", lang="en"), kind="answer", lang="sv")
    k = turn(stack.chat("How do I renew my prescription?", lang="fi"), kind="answer", lang="en")
    f = turn(stack.chat("Miten uusin reseptin?", lang="sv"), kind="answer", lang="fi")
    # One answer, three languages.
    check(j["answer_id"] == k["answer_id"] == f["answer_id"], (j, k, f))
    check(len({j["text"], k["text"], f["text"]}) == 3, "the same text in several languages")


def test_chat_language_defaults(stack):
    # No lang and a Swedish message: Swedish; no lang at all: Finnish.
    turn(stack.chat("Hur förnyar jag mitt recept?"), lang="sv")
    turn(stack.request("POST", "/api/chat", {"answer_id": turn(
        stack.chat("Miten uusin reseptin?"))["answer_id"]}), kind="answer", lang="fi")
    # {"answer_id"} with a lang: that language.
    turn(stack.request("POST", "/api/chat", {"answer_id": turn(
        stack.chat("Miten uusin reseptin?"))["answer_id"], "lang": "en"}), kind="answer", lang="en")


def test_chat_language_neutral_message_follows_lang(stack):
    # "112" is no language: the contract says the reply then follows lang.
    for lang in ("sv", "en"):
        turn(stack.chat("112", lang=lang), lang=lang)


def test_chat_smalltalk(stack):
    for msg, lang in (("hei", "fi"), ("tack", "sv"), ("thanks", "en")):
        j = turn(stack.chat(msg, lang=lang), kind="smalltalk", lang=lang)
        check(j["links"] == [] and j["suggestions"] == [], j)


def test_chat_fallback_gives_a_human(stack):
    for msg, lang in (("Kuka voitti jääkiekon MM-kisat 1995?", "fi"),
                      ("Vem vann fotbolls-VM?", "sv"),
                      ("What is the weather like on Mars?", "en")):
        j = turn(stack.chat(msg, lang=lang), kind="fallback", lang=lang)
        check(any(p in j["text"] for p in PHONES), "no switchboard number: %r" % j)
        check(j["links"] == [] and j["suggestions"] == [], j)


def test_chat_emergency(stack):
    j = turn(stack.chat("isä ei hengitä", lang="fi"), kind="emergency", lang="fi")
    check("112" in j["text"], j)
    # 112 comes first: before any other number.
    first = re.search(r"\d[\d ]*\d", j["text"])
    check(first and first.group(0) == "112", "112 is not the first number: %r" % j["text"])
    for msg, lang in (("my father is not breathing", "en"), ("pappa andas inte", "sv")):
        j = turn(stack.chat(msg, lang=lang), kind="emergency", lang=lang)
        check("112" in j["text"], j)


def test_chat_emergency_wins_over_other_topics(stack):
    # chat.c: "a person describing an emergency is told to call 112
    # whatever else the message says".
    # An exception phrase ("resepti", "cancel") may excuse the red flag it
    # explains ("rintakipulääkkeen resepti"), not an unrelated one.
    bad = []
    for msg, lang in (("Miten uusin reseptin? Isä ei hengitä!", "fi"),
                      ("Isä ei hengitä, pitääkö ajanvaraus perua?", "fi"),
                      ("Pappa andas inte, ska jag avboka hans tid?", "sv"),
                      ("My dad is not breathing, should I cancel his appointment?", "en")):
        j = turn(stack.chat(msg, lang=lang), lang=lang)
        if j["kind"] != "emergency":
            bad.append("%r got %s (answer %s)" % (msg, j["kind"], j["answer_id"]))
    check(not bad, "; ".join(bad))


VAGUE = (("aika", "fi"), ("tid", "sv"), ("numero", "fi"), ("appointment", "en"), ("help", "en"),
         ("läkare", "sv"), ("hammas", "fi"))


@contextlib.contextmanager
def clarifying(stack):
    """The shipped turn policy may be tuned never to ask back; the clarify
    flow is part of the contract all the same.  Unless a vague message
    already gets quick replies, run under config.c's default policy (a
    SIGHUP reload of the shared stack), restored afterwards."""
    for msg, lang in VAGUE[:4]:
        j = turn(stack.chat(msg, lang=lang, session=session()))
        if j["kind"] == "clarify" and len(j["suggestions"]) >= 2:
            yield
            return
    path = os.path.join(stack.var, "neuvo.conf")
    good = open(path).read()
    text = good
    for k, v in (("answer_threshold", "0.5"), ("clarify_threshold", "0.25"),
                 ("answer_margin", "0.1"), ("clarify_max", "3")):
        text = re.sub(r"(?m)^%s\s*=.*$" % k, "%s = %s" % (k, v), text)
    try:
        reload_conf(stack, path, text)
        yield
    finally:
        reload_conf(stack, path, good)


def reload_conf(stack, path, text):
    old = set(stack.worker_pids())
    before = len(re.findall(r"reloaded: generation", stack.log()))
    with open(path, "w") as f:
        f.write(text)
    os.kill(stack.master_pid(), signal.SIGHUP)
    end = time.time() + 15
    while not (len(re.findall(r"reloaded: generation", stack.log())) > before and
               len(stack.worker_pids()) == 3 and not old & set(stack.worker_pids())):
        check(time.time() < end, "reload did not finish:\n" + stack.log()[-2000:])
        time.sleep(0.05)


def clarify(stack, sess):
    """A vague message that yields quick replies; returns (message, lang, reply)."""
    for msg, lang in VAGUE:
        j = turn(stack.chat(msg, lang=lang, session=sess))
        if j["kind"] == "clarify" and len(j["suggestions"]) >= 2:
            return msg, lang, j
    raise AssertionError("no vague message gave kind clarify with 2+ suggestions")


def test_chat_clarify_then_choose_by_title(stack):
    with clarifying(stack):
        sess = session()
        _, lang, j = clarify(stack, sess)
        check(j["answer_id"] is None and j["links"] == [], j)
        s = j["suggestions"][0]
        k = turn(stack.chat(s["title"], lang=lang, session=sess), kind="answer")
        check(k["answer_id"] == s["id"], "title %r gave %r" % (s["title"], k))


def test_chat_clarify_then_choose_by_number(stack):
    with clarifying(stack):
        sess = session()
        msg, lang, j = clarify(stack, sess)
        k = turn(stack.chat("2", lang=lang, session=sess), kind="answer")
        check(k["answer_id"] == j["suggestions"][1]["id"], "'2' after %r gave %r" % (j, k))
        turn(stack.chat(msg, lang=lang, session=sess), kind="clarify")
        k = turn(stack.chat(" 1. ", lang=lang, session=sess), kind="answer")
        check(k["answer_id"] == j["suggestions"][0]["id"], "' 1. ' after %r gave %r" % (j, k))
        # A number picks only from the quick replies of the same session.
        _, _, j = clarify(stack, session())
        k = turn(stack.chat("1", lang=lang, session=session()))
        check(k["kind"] != "answer" or k["answer_id"] != j["suggestions"][0]["id"],
              "'1' in a fresh session picked another session's quick reply: %r" % k)


def test_chat_answer_id_instead_of_message(stack):
    with clarifying(stack):
        _, lang, j = clarify(stack, session())
    for s in j["suggestions"]:
        k = turn(stack.request("POST", "/api/chat", {"answer_id": s["id"], "lang": lang,
                                                     "session": session()}), kind="answer")
        check(k["answer_id"] == s["id"], k)
    # An id that names no answer: an honest fallback, not an error.
    turn(stack.request("POST", "/api/chat", {"answer_id": 999999999}), kind="fallback")


def test_chat_every_suggestion_title_gives_its_answer(stack):
    """The contract: posting a suggestion's title gives that answer, for
    every quick reply the bot offers, in each language."""
    bad = []
    with clarifying(stack):
        for msg, lang in VAGUE + (("Tulkki", "fi"), ("Tolk", "sv"), ("interpreter", "en")):
            sess = session()
            j = turn(stack.chat(msg, lang=lang, session=sess))
            if j["kind"] != "clarify":
                continue
            titles = [s["title"] for s in j["suggestions"]]
            if len(set(titles)) != len(titles):
                bad.append("%r offers the same title twice: %r" % (msg, j["suggestions"]))
            for s in j["suggestions"]:
                k = turn(stack.chat(s["title"], lang=lang, session=sess))
                if k["kind"] != "answer" or k["answer_id"] != s["id"]:
                    bad.append("%r (%s) -> %r gave %s %s" % (msg, lang, s, k["kind"],
                                                            k["answer_id"]))
                sess = session()
                stack.chat(msg, lang=lang, session=sess)
    check(not bad, "; ".join(bad))


def test_chat_message_length_counts_characters(stack):
    turn(stack.chat("ä" * 1000))            # 2000 bytes, 1000 characters
    turn(stack.chat("  " + "a" * 1000 + " \n"))  # trimmed first
    worker_error(stack.chat("a" * 1001), 400, "message_too_long")
    worker_error(stack.chat("ä" * 1001), 400, "message_too_long")


def test_chat_chunked_body(stack):
    c = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    body = json.dumps({"message": "Miten uusin reseptin?", "lang": "fi"}).encode()
    c.request("POST", "/api/chat", body=iter([body[:9], body[9:]]), encode_chunked=True,
              headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    r = c.getresponse()
    data = r.read()
    c.close()
    check(r.status == 200, (r.status, data))
    check(json.loads(data)["kind"] == "answer", data)


# --- POST /api/chat: errors ------------------------------------------------

def test_chat_invalid_json(stack):
    for raw in (b'{"message": ', b"", b"hei", b'["Miten uusin reseptin?"]', b'"hei"', b"null",
                b'{"message": "hei", "message": "moi"}'):
        worker_error(post_raw(stack, "/api/chat", raw), 400, "invalid_json")


def test_chat_invalid_utf8(stack):
    for raw in (b'{"message": "\xff\xfe hei"}', b'{"message": "p\xe4iv\xe4"}',  # Latin-1
                b'{"message": "\xc3"}', b'{"message": "\xed\xa0\x80"}',        # cut, surrogate
                b'{"message": "\xc0\xaf"}'):                                    # overlong
        worker_error(post_raw(stack, "/api/chat", raw), 400, "invalid_json")


def test_chat_missing_message(stack):
    worker_error(stack.request("POST", "/api/chat", {}), 400, "missing_message")
    worker_error(stack.request("POST", "/api/chat", {"lang": "fi", "session": "abc"}),
                 400, "missing_message")
    worker_error(stack.request("POST", "/api/chat", {"message": None}), 400, "missing_message")
    for empty in ("", " ", " \t\n\r ", "\u00a0 \u00a0"):
        worker_error(stack.chat(empty), 400, "missing_message")


def test_chat_invalid_fields(stack):
    for body in ({"message": 42}, {"message": ["hei"]}, {"message": {"text": "hei"}},
                 {"message": True},
                 {"message": "hei", "lang": "de"}, {"message": "hei", "lang": "FI"},
                 {"message": "hei", "lang": 1}, {"message": "hei", "lang": ""},
                 {"message": "hei", "session": "a b"}, {"message": "hei", "session": ""},
                 {"message": "hei", "session": "a" * 65}, {"message": "hei", "session": 7},
                 {"message": "hei", "session": "ääkkönen"},
                 {"answer_id": "7"}, {"answer_id": 0}, {"answer_id": -3}, {"answer_id": 1.5}):
        worker_error(stack.request("POST", "/api/chat", body), 400, "invalid_field")
    # The limits themselves are fine.
    turn(stack.chat("hei", session="a" * 64))
    turn(stack.chat("hei", session="A-z_09"))
    turn(stack.request("POST", "/api/chat", {"message": "hei", "lang": None, "session": None}))


def test_chat_unsupported_media_type(stack):
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""):
        worker_error(post_raw(stack, "/api/chat", b'{"message": "hei"}', ctype), 415,
                     "unsupported_media_type")
    turn(post_raw(stack, "/api/chat", b'{"message": "hei"}', "application/json; charset=utf-8"))


def test_chat_body_too_large_from_nginx(stack):
    raw = json.dumps({"message": "a" * 20000}).encode()
    r = post_raw(stack, "/api/chat", raw)
    error(r, 413, "body_too_large")
    check(r.headers.get("Cache-Control") == "no-store", r.headers)
    check((r.headers.get("Content-Type") or "").startswith("application/json"), r.headers)


def test_unknown_path_and_wrong_method(stack):
    worker_error(stack.request("GET", "/api/nope"), 404, "not_found")
    worker_error(stack.request("POST", "/api/nope", {"message": "hei"}), 404, "not_found")
    r = stack.request("GET", "/api/chat")
    worker_error(r, 405, "method_not_allowed")
    check(r.headers.get("Allow") == "POST", "Allow: %r" % r.headers.get("Allow"))
    r = stack.request("PUT", "/api/feedback", {"rating": 3})
    worker_error(r, 405, "method_not_allowed")
    check(r.headers.get("Allow") == "POST", "Allow: %r" % r.headers.get("Allow"))
    for path in ("/api/health", "/api/topics"):
        r = stack.request("POST", path, {})
        worker_error(r, 405, "method_not_allowed")
        allow = [m.strip() for m in (r.headers.get("Allow") or "").split(",")]
        check("GET" in allow and "POST" not in allow, "Allow: %r" % allow)


def test_head_and_get_topics(stack):
    r = stack.request("HEAD", "/api/topics?lang=fi")
    check(r.status == 200 and r.raw == b"", r)
    contract_headers(r)
    r = stack.request("GET", "/api/topics?lang=fi")
    check(r.status == 200 and r.json["topics"], r)
    r = stack.request("HEAD", "/api/health")
    check(r.status == 200 and r.raw == b"", r)


def test_cors_preflight(stack):
    for path, method in (("/api/topics", "GET"), ("/api/chat", "POST"), ("/api/feedback", "POST")):
        r = stack.request("OPTIONS", path, headers={
            "Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type"})
        check(r.status == 204, (path, r))
        h = r.headers
        check(h.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN, (path, dict(h)))
        methods = [m.strip() for m in (h.get("Access-Control-Allow-Methods") or "").split(",")]
        check(method in methods, "%s: Access-Control-Allow-Methods %r" % (path, methods))
        allowed = (h.get("Access-Control-Allow-Headers") or "").lower()
        check("content-type" in allowed, "%s: Access-Control-Allow-Headers %r" % (path, allowed))
        r = stack.request("OPTIONS", path, headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": method})
        check(r.status == 204 and not r.headers.get("Access-Control-Allow-Origin"),
              (path, dict(r.headers)))
    # The real request carries the origin back too, and only for listed sites.
    r = stack.request("POST", "/api/chat", {"message": "hei"}, headers={"Origin": ALLOWED_ORIGIN})
    check(r.status == 200 and r.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN,
          dict(r.headers))
    r = stack.request("POST", "/api/chat", {"message": "hei"},
                      headers={"Origin": "https://evil.example"})
    check(r.status == 200 and not r.headers.get("Access-Control-Allow-Origin"), dict(r.headers))


# --- rate limits: 429 from nginx -------------------------------------------

def from_addr(stack, addr, method, path, raw, timeout=10):
    """A request whose source address is addr (connecting to 127.0.0.2 alone
    still comes from 127.0.0.1 on Linux)."""
    c = http.client.HTTPConnection(addr, stack.port, timeout=timeout, source_address=(addr, 0))
    try:
        c.request(method, path, body=raw, headers={"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        return r.status, r.headers, body
    finally:
        c.close()


def test_rate_limited(stack):
    with concurrent.futures.ThreadPoolExecutor(12) as ex:
        rs = list(ex.map(lambda i: from_addr(stack, "127.0.0.2", "POST", "/api/chat", b"{}"),
                         range(40)))
    codes = [r[0] for r in rs]
    check(set(codes) <= {400, 429} and codes.count(429) >= 10, codes)
    status, headers, body = next(r for r in rs if r[0] == 429)
    j = json.loads(body)
    check(j["error"]["code"] == "rate_limited" and j["error"]["message"], body)
    check(headers.get("Cache-Control") == "no-store", dict(headers))
    check((headers.get("Content-Type") or "").startswith("application/json"), dict(headers))
    # Feedback has its own, tighter limit.
    with concurrent.futures.ThreadPoolExecutor(12) as ex:
        rs = list(ex.map(lambda i: from_addr(stack, "127.0.0.2", "POST", "/api/feedback",
                                             b'{"rating": 9}'), range(15)))
    codes = [r[0] for r in rs]
    check(set(codes) <= {400, 429} and codes.count(429) >= 5, codes)
    # The machine's own address is exempt.
    with concurrent.futures.ThreadPoolExecutor(12) as ex:
        rs = list(ex.map(lambda i: from_addr(stack, "127.0.0.1", "POST", "/api/chat", b"{}"),
                         range(40)))
    check({r[0] for r in rs} == {400}, [r[0] for r in rs])


def test_nginx_errors_are_utf8_json(stack):
    """nginx's own errors (413, 429, 404 outside the API) are the contract's
    JSON with the contract's headers, charset included."""
    replies = {}
    r = post_raw(stack, "/api/chat", json.dumps({"message": "a" * 20000}).encode())
    replies["413"] = (r.status, r.headers, r.raw)
    r = stack.request("GET", "/no-such-page.html")
    replies["404"] = (r.status, r.headers, r.raw)
    for _ in range(40):
        status, headers, body = from_addr(stack, "127.0.0.2", "POST", "/api/feedback", b"{}")
        if status == 429:
            replies["429"] = (status, headers, body)
            break
    check("429" in replies, "no 429 from 127.0.0.2")
    bad = []
    for want, (status, headers, body) in sorted(replies.items()):
        check(status == int(want), (want, status, body))
        check(json.loads(body)["error"]["code"], body)
        if headers.get("Content-Type") != JSON_CT:
            bad.append("%s: Content-Type %r" % (want, headers.get("Content-Type")))
        if headers.get("Cache-Control") != "no-store":
            bad.append("%s: Cache-Control %r" % (want, headers.get("Cache-Control")))
    check(not bad, "; ".join(bad))


# --- POST /api/feedback ----------------------------------------------------

def test_feedback_thumbs(stack):
    t = turn(stack.chat("Miten uusin reseptin?", lang="fi"))["turn_id"]
    r = stack.request("POST", "/api/feedback", {"turn_id": t, "helpful": False})
    check(r.status == 201 and r.json == {"ok": True}, r)
    contract_headers(r)
    check(stack.psql("select helpful from chat.rating where turn_id = '%s'" % t) == [["f"]],
          "rating not stored")
    r = stack.request("POST", "/api/feedback", {"turn_id": t, "helpful": True})
    check(r.status == 201 and r.json == {"ok": True}, r)
    check(stack.psql("select helpful from chat.rating where turn_id = '%s'" % t) == [["t"]],
          "changed rating not stored")
    worker_error(stack.request("POST", "/api/feedback", {"turn_id": str(uuid.uuid4()),
                                                        "helpful": True}), 404, "not_found")
    for body in ({"turn_id": t, "helpful": "no"}, {"turn_id": t, "helpful": 0},
                 {"turn_id": t, "helpful": None}, {"turn_id": t},
                 {"turn_id": 5, "helpful": True}, {"turn_id": "abc", "helpful": True},
                 {"turn_id": t + "0", "helpful": True}):
        worker_error(stack.request("POST", "/api/feedback", body), 400, "invalid_field")


def test_feedback_form(stack):
    r = stack.request("POST", "/api/feedback", {"rating": 4, "comment": "Hyvä palvelu",
                                                "lang": "fi", "session": "abc", "page": "/fi"})
    check(r.status == 201 and r.json.get("ok") is True and type(r.json.get("id")) is int, r)
    contract_headers(r)
    rows = stack.psql("select rating, comment, lang, session, page from chat.feedback "
                      "where id = %d" % r.json["id"])
    check(rows == [["4", "Hyvä palvelu", "fi", "abc", "/fi"]], rows)
    # A rating alone, a comment alone (2000 characters of 2 bytes).
    r = stack.request("POST", "/api/feedback", {"rating": 1})
    check(r.status == 201 and type(r.json.get("id")) is int, r)
    r = stack.request("POST", "/api/feedback", {"comment": "ö" * 2000})
    check(r.status == 201 and type(r.json.get("id")) is int, r)
    rows = stack.psql("select rating is null, length(comment) from chat.feedback where id = %d"
                      % r.json["id"])
    check(rows == [["t", "2000"]], rows)


def test_feedback_comment_is_redacted(stack):
    r = stack.request("POST", "/api/feedback", {
        "comment": "Soita minulle 040 123 4567 tai matti.meikalainen@example.com, hetu 010190-123A"})
    check(r.status == 201, r)
    stored = stack.psql("select comment from chat.feedback where id = %d" % r.json["id"])[0][0]
    for secret in ("123 4567", "matti.meikalainen", "010190-123A"):
        check(secret not in stored, "stored unredacted: %r" % stored)


def test_feedback_errors(stack):
    for body in ({"rating": 0}, {"rating": 6}, {"rating": -1}, {"rating": "4"}, {"rating": 4.5},
                 {"rating": True},
                 {}, {"comment": ""}, {"comment": "   \n"}, {"lang": "fi", "page": "/fi"},
                 {"rating": None, "comment": None},
                 {"comment": "x" * 2001}, {"comment": "ä" * 2001}, {"comment": 5},
                 {"rating": 3, "lang": "de"}, {"rating": 3, "session": "a b"},
                 {"rating": 3, "page": "/" * 301}, {"rating": 3, "page": 1}):
        worker_error(stack.request("POST", "/api/feedback", body), 400, "invalid_field")
    worker_error(post_raw(stack, "/api/feedback", b"[4]"), 400, "invalid_json")
    worker_error(post_raw(stack, "/api/feedback", b'{"comment": "\xe4"}'), 400, "invalid_json")
    worker_error(post_raw(stack, "/api/feedback", b'{"rating": 4}', "text/plain"), 415,
                 "unsupported_media_type")
    r = stack.request("GET", "/api/feedback")
    worker_error(r, 405, "method_not_allowed")


# --- GET /api/topics and /api/health ----------------------------------------

def test_topics(stack):
    titles = {}
    for lang in ("fi", "sv", "en"):
        r = stack.request("GET", "/api/topics?lang=" + lang)
        check(r.status == 200, r)
        contract_headers(r)
        check(r.json.get("lang") == lang and isinstance(r.json.get("topics"), list), r)
        check(len(r.json["topics"]) > 0, r)
        for t in r.json["topics"]:
            check(type(t.get("id")) is int and isinstance(t.get("title"), str) and t["title"], t)
        titles[lang] = [t["title"] for t in r.json["topics"]]
    check(titles["fi"] != titles["sv"] and titles["sv"] != titles["en"]
          and titles["fi"] != titles["en"], titles)
    # A topic's id gives that answer.
    t = stack.request("GET", "/api/topics?lang=sv").json["topics"][0]
    turn(stack.request("POST", "/api/chat", {"answer_id": t["id"], "lang": "sv"}), kind="answer")
    r = stack.request("GET", "/api/topics")
    check(r.status == 200 and r.json["lang"] == "fi", r)
    for bad in ("xx", "", "FI", "fi%00", "f"):
        worker_error(stack.request("GET", "/api/topics?lang=" + bad), 400, "invalid_field")


def test_topics_long_lang_is_invalid(stack):
    # Not silently Finnish: a long value is as invalid as a short one.
    for bad in ("suomeksi", "svenska-sv", "english-en"):
        worker_error(stack.request("GET", "/api/topics?lang=" + bad), 400, "invalid_field")


def test_health(stack):
    r = stack.request("GET", "/api/health")
    check(r.status == 200 and r.json == {"status": "ok", "db": "ok"}, r)
    contract_headers(r)


# --- the database goes away and comes back -----------------------------------

def pg_ctl(stack, *args):
    base = open(os.path.join(stack.var, "pgbase")).read().strip()
    pgbin = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    if not os.path.exists(os.path.join(pgbin, "pg_ctl")):
        pgbin = "/usr/lib/postgresql/15/bin"
    cmd = [os.path.join(pgbin, "pg_ctl"), "-D", os.path.join(base, "data")]
    if "start" in args:
        cmd += ["-w", "-l", os.path.join(base, "postgres.log"), "-o",
                "-k %s/run -p %s -c listen_addresses=''" % (base, stack.env["NEUVO_PG_PORT"])]
    cmd += list(args)
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def unavailable(r, lang):
    error(r, 503, "unavailable")
    contract_headers(r)
    j = r.json
    check(isinstance(j.get("texts"), dict) and set(j["texts"]) >= {"fi", "sv", "en"}, j)
    for l in ("fi", "sv", "en"):
        check("06 218" in j["texts"][l], j)
    check(isinstance(j.get("text"), str) and "06 218" in j["text"], j)
    if lang:
        check(j.get("lang") == lang and j["text"] == j["texts"][lang], j)


def test_zz_database_outage(stack):
    t = turn(stack.chat("Miten uusin reseptin?", lang="fi"))["turn_id"]
    p = pg_ctl(stack, "-m", "fast", "-w", "stop")
    check(p.returncode == 0, "pg_ctl stop: " + p.stdout + p.stderr)
    try:
        for _ in range(4):  # whichever worker answers
            r = stack.request("GET", "/api/health")
            check(r.status == 503 and r.json == {"status": "degraded", "db": "down"}, r)
            contract_headers(r)
        unavailable(stack.chat("Miten uusin reseptin?", lang="fi"), "fi")
        unavailable(stack.chat("Hur förnyar jag mitt recept?", lang="fi"), "sv")
        unavailable(stack.request("POST", "/api/chat", {"answer_id": 7, "lang": "en"}), "en")
        unavailable(stack.request("GET", "/api/topics?lang=sv"), "sv")
        unavailable(stack.request("POST", "/api/feedback", {"rating": 3, "lang": "en"}), "en")
        unavailable(stack.request("POST", "/api/feedback", {"turn_id": t, "helpful": True}), None)
        # Validation needs no database: still the precise 400.
        worker_error(stack.request("POST", "/api/chat", {}), 400, "missing_message")
    finally:
        p = pg_ctl(stack, "start")
    check(p.returncode == 0, "pg_ctl start: " + p.stdout + p.stderr)
    # Every worker reconnects by itself.
    end = time.time() + 10
    while True:
        r = stack.chat("Miten uusin reseptin?", lang="fi")
        if r.status == 200 or time.time() > end:
            break
        time.sleep(0.2)
    turn(r, kind="answer")
    for _ in range(12):
        turn(stack.chat("Miten uusin reseptin?", lang="fi"), kind="answer")
        r = stack.request("GET", "/api/health")
        check(r.status == 200 and r.json == {"status": "ok", "db": "ok"}, r)
