"""Safety and privacy: red flags, redaction, retention, least privilege,
HTTP hardening and the widget's disclaimers (docs/security.md).

Every test drives the real stack: HTTP through nginx, SQL as the roles
the service and the content team use.  Rate-limited requests go through
127.0.0.2, which the limits do not exempt.
"""
import glob, http.client, json, os, re, shutil, subprocess, time, uuid

from lib import TOP, Reply, check

# --- 1. Red flags -------------------------------------------------------

# Messages that describe a life-threatening situation, written for these
# tests (not taken from the evaluation set).
EMERGENCIES = [
    ("fi", "äiti ei hengitä"),
    ("fi", "lapsi ei herää"),
    ("fi", "rintakipu säteilee vasempaan käsivarteen"),
    ("fi", "isoisä löytyi tajuttomana pihalta"),
    ("fi", "vauva on aivan veltto eikä reagoi"),
    ("fi", "mieheni kasvot roikkuvat toiselta puolelta ja puhe sammaltaa"),
    ("fi", "naapuri puukotettiin rappukäytävässä"),
    ("sv", "min pappa andas inte"),
    ("sv", "mamma är medvetslös"),
    ("sv", "stark smärta i bröstet som strålar ut i armen"),
    ("sv", "munnen hänger på ena sidan och han sluddrar"),
    ("sv", "han hotar att döda mig"),
    ("en", "he is unconscious and not breathing"),
    ("en", "stroke symptoms face drooping"),
    ("en", "my husband has crushing chest pain"),
    ("en", "he won't wake up"),
    ("en", "my toddler had a seizure and is still shaking"),
]

# Ordinary questions that mention a scary word: never an emergency.
TRAPS = [
    ("fi", "miten uusin rintakipulääkkeen reseptin"),
    ("fi", "haluan varata jälkitarkastuksen viime vuoden aivoinfarktin jälkeen"),
    ("fi", "missä järjestetään ensiapukurssi"),
    ("fi", "miten peruutan ajanvaraukseni"),
    ("fi", "paljonko ambulanssikyyti maksaa"),
    ("sv", "hur förnyar jag receptet på min hjärtmedicin"),
    ("sv", "hur avbokar jag min tid"),
    ("sv", "vad kostar ambulansen"),
    ("en", "I need to renew my prescription for chest pain medicine"),
    ("en", "book a follow-up visit after my stroke last year"),
    ("en", "where can I take a first aid course"),
    ("en", "how do I cancel my appointment"),
    ("en", "I got an ambulance bill, why do I have to pay"),
]


def first_sentence(text):
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def emergency_ok(r, lang):
    return (r.status == 200 and r.json["kind"] == "emergency" and r.json["lang"] == lang
            and "112" in first_sentence(r.json["text"]))


def test_redflag_emergencies(stack):
    bad = []
    for lang, q in EMERGENCIES:
        r = stack.chat(q, lang=lang)
        if not emergency_ok(r, lang):
            bad.append((q, r))
    check(not bad, "not an emergency with 112 first: %r" % bad)


def test_redflag_follows_message_language(stack):
    # The widget's language is another one; the message's language is
    # clear, and the reply is in it.
    bad = []
    for lang, other, q in [("fi", "sv", "äitini ei hengitä eikä herää, mitä teen"),
                           ("sv", "fi", "min pappa andas inte och vaknar inte"),
                           ("en", "fi", "my father is unconscious and not breathing")]:
        r = stack.chat(q, lang=other)
        if not emergency_ok(r, lang):
            bad.append((q, r))
    check(not bad, bad)


def test_redflag_crisis_numbers(stack):
    for q in ["en jaksa enää elää, haluan kuolla", "haluan kuolla", "mietin itsemurhaa"]:
        r = stack.chat(q, lang="fi")
        check(emergency_ok(r, "fi"), (q, r))
        check("09 2525 0111" in r.json["text"], r)
    r = stack.chat("jag vill inte leva längre", lang="sv")
    check(emergency_ok(r, "sv"), r)
    check("09 2525 0112" in r.json["text"], r)
    r = stack.chat("I keep thinking about ending my life", lang="en")
    check(emergency_ok(r, "en"), r)
    check("09 2525 0111" in r.json["text"] or "09 2525 0113" in r.json["text"], r)


def test_redflag_poisoning(stack):
    for lang, q in [("fi", "lapsi nielaisi pesuainetta"), ("sv", "barnet svalde diskmedel"),
                    ("en", "my child swallowed a button battery")]:
        r = stack.chat(q, lang=lang)
        check(r.status == 200 and r.json["lang"] == lang, r)
        check("0800 147 111" in r.json["text"], (q, r))


def test_redflag_traps(stack):
    bad = []
    for lang, q in TRAPS:
        r = stack.chat(q, lang=lang)
        if r.status != 200 or r.json["kind"] == "emergency":
            bad.append((q, r))
    check(not bad, "trap questions answered as emergencies: %r" % bad)


def test_redflag_inflected_forms(stack):
    # Phrase "tajuton" (and "tajuttom"), message in the essive and partitive.
    check(stack.psql("SELECT count(*) FROM kb.redflag WHERE lang = 'fi' AND phrase = 'tajuton'")
          == [["1"]], "the phrase tajuton is missing")
    for q in ["hän makaa tajuttomana lattialla", "löysin tajuttoman miehen", "kasvot roikkuivat"]:
        r = stack.chat(q, lang="fi")
        check(emergency_ok(r, "fi"), (q, r))


def test_redflag_added_in_sql(stack):
    before = stack.chat("zzvaara nyt", lang="fi")
    check(before.status == 200 and before.json["kind"] != "emergency", before)
    stack.psql("INSERT INTO kb.redflag (lang, phrase, answer_key) "
               "VALUES ('fi', 'zzvaara', 'emergency')", user="neuvo_editor")
    try:
        r = stack.chat("zzvaara nyt", lang="fi")
        check(emergency_ok(r, "fi"), r)
        # An exception phrase added the same way silences it.
        stack.psql("INSERT INTO kb.redflag (lang, phrase, answer_key) "
                   "VALUES ('fi', 'zzharjoitus', NULL)", user="neuvo_editor")
        r = stack.chat("zzvaara zzharjoitus", lang="fi")
        check(r.status == 200 and r.json["kind"] != "emergency", r)
    finally:
        stack.psql("DELETE FROM kb.redflag WHERE phrase IN ('zzvaara', 'zzharjoitus')")
    r = stack.chat("zzvaara nyt", lang="fi")
    check(r.status == 200 and r.json["kind"] != "emergency", r)


# --- 2. Redaction --------------------------------------------------------

# Planted personal data and the placeholder each must become.
PLANTED = [
    ("131052-308T", "[hetu]"),        # valid, 1900s
    ("040523B987K", "[hetu]"),        # 2023-style century sign B
    ("150823Y1234", "[hetu]"),        # 2023-style century sign Y
    ("131052-308U", "[hetu]"),        # mistyped check character
    ("040 123 4567", "[phone]"),
    ("+358 40 765 4321", "[phone]"),
    ("maija.meikalainen@example.fi", "[email]"),
    ("FI21 1234 5600 0007 85", "[iban]"),
    ("Kauppapuistikko 12 B 5", "[address]"),
]


def squeeze(s):
    """Lower case without white space, hyphens or plus signs: a planted
    value is found however it was spaced."""
    return re.sub(r"[\s\-+]", "", s.lower())


def pg_bin(name):
    p = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    for d in ([p.stdout.strip()] if p.returncode == 0 else []) + ["/usr/lib/postgresql/15/bin"]:
        if os.access(os.path.join(d, name), os.X_OK):
            return os.path.join(d, name)
    return shutil.which(name) or name


def pg_dump(stack):
    p = subprocess.run([pg_bin("pg_dump"), "--no-owner", stack.dburl],
                       capture_output=True, text=True)
    check(p.returncode == 0, "pg_dump: " + p.stderr)
    return p.stdout


def read(path):
    try:
        return open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return ""


def logs(stack):
    """The service's log, nginx's logs and PostgreSQL's log."""
    out = {"neuvo.log": stack.log()}
    for p in glob.glob(os.path.join(stack.var, "nginx", "*.log")):
        out[os.path.basename(p)] = read(p)
    base = read(os.path.join(stack.var, "pgbase")).strip()
    if base:
        out["postgres.log"] = read(os.path.join(base, "postgres.log"))
    return out


def test_redaction_everywhere(stack):
    session = "sec-" + uuid.uuid4().hex[:12]
    marker = "zzsalaisuus%s" % uuid.uuid4().hex[:6]
    values = [v for v, _ in PLANTED]
    messages = [
        "Henkilötunnukseni on %s ja puhelin %s, %s" % (values[0], values[4], marker),
        "Lapseni hetu %s, toisen %s, ehkä %s" % (values[1], values[2], values[3]),
        "Soita numeroon %s tai laita viestiä %s" % (values[5], values[6]),
        "Palautus tilille %s, osoite %s Vaasa" % (values[7], values[8]),
        "min personbeteckning är %s och jag bor på %s" % (values[0], values[8]),
    ]
    for m in messages:
        r = stack.chat(m, lang="fi", session=session)
        check(r.status == 200, r)
    comment = "Palaute: %s, %s, %s, %s, %s, %s, %s" % (
        values[0], values[1], values[4], values[5], values[6], values[7], values[8])
    r = stack.request("POST", "/api/feedback", {"rating": 2, "comment": comment + " " + marker,
                                               "lang": "fi", "session": session})
    check(r.status == 201, r)

    # The rows are there, with placeholders in place of the values.
    stored = stack.psql("SELECT message || ' ' || norm FROM chat.turn WHERE session = '%s'"
                        % session)
    check(len(stored) == len(messages), stored)
    fb = stack.psql("SELECT comment FROM chat.feedback WHERE session = '%s'" % session)
    check(len(fb) == 1 and marker in fb[0][0], fb)
    everything = " ".join(x[0] for x in stored) + " " + fb[0][0]
    for ph in ["[hetu]", "[phone]", "[email]", "[iban]", "[address]"]:
        check(ph in fb[0][0], "%s not in the stored feedback: %r" % (ph, fb))
    check(marker in everything, everything)

    # A full dump of the database and every log: no planted value.
    dump = pg_dump(stack)
    check(marker in dump and session in dump, "the dump does not hold the test's rows")
    for ph in ["[hetu]", "[phone]", "[email]", "[iban]", "[address]"]:
        check(ph in dump, "%s not in the dump" % ph)
    haystacks = dict(logs(stack), dump=dump)
    check(haystacks["neuvo.log"] and haystacks.get("access.log"), "logs not found")
    leaks = []
    for name, text in haystacks.items():
        flat = squeeze(text)
        for v in values:
            if v in text or squeeze(v) in flat:
                leaks.append((name, v))
    check(not leaks, "planted personal data found: %r" % leaks)

    # Request bodies are never logged: not even the harmless marker.
    for name, text in haystacks.items():
        if name != "dump":
            check(marker not in text, "a request body reached %s" % name)


# --- 3. Retention, no IP addresses, no cookies ----------------------------

def test_retention_purge(stack):
    tag = "ret-" + uuid.uuid4().hex[:10]
    stack.psql(
        "INSERT INTO chat.turn (created_at, session, lang, kind, message, norm) VALUES "
        "(now() - interval '100 days', '{t}-old', 'fi', 'answer', 'vanha', 'vanha'),"
        "(now() - interval '89 days', '{t}-new', 'fi', 'answer', 'uusi', 'uusi'),"
        "(now() - interval '1 hour', '{t}-new', 'fi', 'answer', 'uusi', 'uusi');"
        "INSERT INTO chat.rating (turn_id, helpful) SELECT id, true FROM chat.turn "
        "WHERE session = '{t}-old';"
        "INSERT INTO chat.feedback (created_at, rating, comment, session) VALUES "
        "(now() - interval '400 days', 3, 'vanha palaute', '{t}-old'),"
        "(now() - interval '100 days', 4, 'tuore palaute', '{t}-new'),"
        "(now(), 5, 'uusi palaute', '{t}-new');".format(t=tag))
    count = ("SELECT (SELECT count(*) FROM chat.turn WHERE session = '{t}-old'), "
             "(SELECT count(*) FROM chat.turn WHERE session = '{t}-new'), "
             "(SELECT count(*) FROM chat.feedback WHERE session = '{t}-old'), "
             "(SELECT count(*) FROM chat.feedback WHERE session = '{t}-new'), "
             "(SELECT count(*) FROM chat.rating r JOIN chat.turn t ON t.id = r.turn_id "
             "WHERE t.session = '{t}-old')").format(t=tag)
    check(stack.psql(count) == [["1", "2", "1", "2", "1"]], stack.psql(count))
    # What `make purge` runs (conf/stack purge, default 90 and 365 days).
    p = stack.run("purge", check=False)
    check(p.returncode == 0 and "deleted turns:" in p.stdout, p.stdout + p.stderr)
    check(stack.psql(count) == [["0", "2", "0", "2", "0"]], stack.psql(count))
    # Retention of zero days would empty the log: refused.
    p = stack.psql("SELECT * FROM chat.purge(0)", check=False)
    check(p.returncode != 0 and "at least one day" in p.stderr, p.stderr)
    p = stack.psql("SELECT * FROM chat.purge(90, 0)", check=False)
    check(p.returncode != 0, p.stdout)
    check(stack.psql(count) == [["0", "2", "0", "2", "0"]], stack.psql(count))


def test_no_ip_addresses_stored(stack):
    cols = stack.psql("SELECT table_schema || '.' || table_name || '.' || column_name "
                      "FROM information_schema.columns WHERE table_schema IN ('chat', 'kb') "
                      "AND data_type IN ('inet', 'cidr')")
    check(cols == [], "address columns: %r" % cols)
    session = "ip-" + uuid.uuid4().hex[:10]
    for host in ("127.0.0.1", "127.0.0.2"):
        send = stack.request if host == "127.0.0.1" else (
            lambda m, p, b=None: from_other(stack, m, p, b))
        r = send("POST", "/api/chat", {"message": "Miten uusin reseptin?", "session": session})
        check(r.status in (200, 429), r)
        r = send("GET", "/api/topics?lang=fi")
        check(r.status == 200, r)
    check(stack.psql("SELECT count(*) FROM chat.turn WHERE session = '%s'" % session)[0][0]
          in ("1", "2"), "turns not stored")
    data = subprocess.run([pg_bin("pg_dump"), "--data-only", "--schema=chat", stack.dburl],
                          capture_output=True, text=True)
    check(data.returncode == 0, data.stderr)
    check(not re.search(r"\b127\.0\.0\.\d+\b", data.stdout), "an IP address is stored")


def test_no_cookies(stack):
    replies = [stack.request("GET", "/"), stack.request("GET", "/widget.js"),
               stack.request("GET", "/api/health"), stack.request("GET", "/api/topics?lang=sv"),
               stack.chat("Hei"), stack.request("POST", "/api/feedback", {"rating": 5}),
               stack.request("GET", "/no-such-page")]
    for r in replies:
        check(r.headers.get("Set-Cookie") is None, (r, r.headers))


# --- 4. Least privilege ----------------------------------------------------

def denied(stack, sql, user="neuvo_app"):
    p = stack.psql(sql, user=user, check=False)
    return p.returncode != 0 and "permission denied" in p.stderr


def test_app_role_least_privilege(stack):
    must_fail = [
        "UPDATE kb.answer_text SET body = 'muutettu' WHERE lang = 'fi'",
        "INSERT INTO kb.answer (key) VALUES ('zzhack')",
        "DELETE FROM kb.redflag",
        "UPDATE kb.service SET phone = '0100100'",
        "SELECT * FROM chat.feedback",
        "SELECT * FROM chat.turn",
        "SELECT * FROM chat.rating",
        "DELETE FROM chat.turn",
        "UPDATE chat.turn SET message = ''",
        "SELECT * FROM chat.purge(90, 365)",
        "SELECT kb.import_answer('{}'::jsonb)",
        "CREATE TABLE kb.zz (x int)",
        "CREATE TABLE chat.zz (x int)",
    ]
    allowed = [s for s in must_fail if not denied(stack, s)]
    check(not allowed, "neuvo_app may: %r" % allowed)
    # What the service needs works.
    ok = [
        "SELECT count(*) FROM kb.search('fi', ARRAY['resepti', 'uusia'], 'resepti', 4)",
        "SELECT count(*) FROM kb.redflag_match('fi', ARRAY['tajuton'])",
        "SELECT kb.topics('fi') IS NOT NULL",
        "SELECT kb.reply_key('fallback', 'sv') IS NOT NULL",
        "SELECT chat.log_turn(gen_random_uuid(), 'priv-test', 'fi', 'answer', 'x', 'x', NULL, 0.5, '{}') IS NULL",
        "SELECT chat.add_feedback(5::smallint, NULL, 'fi', 'priv-test', NULL) > 0",
    ]
    for sql in ok:
        p = stack.psql(sql, user="neuvo_app", check=False)
        check(p.returncode == 0, "neuvo_app cannot: %s: %s" % (sql, p.stderr))
    check(stack.psql("SELECT kb.redflag_match('fi', ARRAY['tajuton']) IS NOT NULL",
                     user="neuvo_app") == [["t"]], "red flags not visible")
    # Chat turns are asynchronous for the service, feedback durable.
    check(stack.psql("SHOW synchronous_commit", user="neuvo_app") == [["off"]], "sync commit")


def test_editor_role(stack):
    key = "zzsec" + uuid.uuid4().hex[:6]
    stack.psql("UPDATE kb.answer_text SET body = body WHERE answer_id = "
               "(SELECT min(answer_id) FROM kb.answer_text) AND lang = 'fi'", user="neuvo_editor")
    stack.psql("SELECT count(*) FROM chat.turn", user="neuvo_editor")
    stack.psql("SELECT count(*) FROM chat.feedback", user="neuvo_editor")
    # Editors read the log but cannot change or delete it, nor purge it.
    check(denied(stack, "DELETE FROM chat.turn", user="neuvo_editor"), "editor deletes turns")
    check(denied(stack, "UPDATE chat.feedback SET comment = 'x'", user="neuvo_editor"),
          "editor edits feedback")
    check(denied(stack, "SELECT * FROM chat.purge(90, 365)", user="neuvo_editor"), "editor purges")

    # An unpublished answer is invisible to the service (row-level security).
    stack.psql(
        "INSERT INTO kb.answer (key, published) VALUES ('{k}', false);"
        "INSERT INTO kb.answer_text (answer_id, lang, title, body) SELECT id, l, "
        "'Zzsalainen luonnos', 'Luonnos zzluonnosteksti' FROM kb.answer, "
        "unnest(ARRAY['fi', 'sv', 'en']) l WHERE key = '{k}';".format(k=key),
        user="neuvo_editor")
    try:
        check(stack.psql("SELECT count(*) FROM kb.answer WHERE key = '%s'" % key,
                         user="neuvo_app") == [["0"]], "neuvo_app sees an unpublished answer")
        check(stack.psql("SELECT count(*) FROM kb.answer WHERE key = '%s'" % key,
                         user="neuvo_editor") == [["1"]], "editor does not see the draft")
        aid = stack.psql("SELECT id FROM kb.answer WHERE key = '%s'" % key)[0][0]
        check(stack.psql("SELECT kb.reply(%s, 'fi') IS NULL" % aid, user="neuvo_app")
              == [["t"]], "kb.reply returns an unpublished answer")
        r = stack.request("POST", "/api/chat", {"answer_id": int(aid), "lang": "fi"})
        check(r.status == 200 and r.json["kind"] != "answer"
              and "zzluonnosteksti" not in r.json["text"], r)
        r = stack.chat("Zzsalainen luonnos", lang="fi")
        check(r.status == 200 and "zzluonnosteksti" not in r.json["text"], r)
    finally:
        stack.psql("DELETE FROM kb.answer WHERE key = '%s'" % key)


# --- 5. HTTP hardening -----------------------------------------------------

def from_other(stack, method, path, body=None):
    """A request from 127.0.0.2, which the rate limits do not exempt.
    Connecting to 127.0.0.2 is not enough: Linux picks 127.0.0.1 as the
    source of any loopback connection, so the source is bound here."""
    conn = http.client.HTTPConnection("127.0.0.2", stack.port, timeout=10,
                                      source_address=("127.0.0.2", 0))
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data,
                     headers={"Content-Type": "application/json"} if data else {})
        r = conn.getresponse()
        return Reply(r.status, r.headers, r.read())
    finally:
        conn.close()


def hammer(stack, path, body, n):
    return [from_other(stack, "POST", path, body) for _ in range(n)]


def wait_unlimited(stack, path, body, timeout=15):
    """Waits until 127.0.0.2 is served again, so later tests are not
    limited; the limit must lift by itself."""
    end = time.time() + timeout
    while time.time() < end:
        time.sleep(1.0)
        if from_other(stack, "POST", path, body).status != 429:
            return True
    return False


def test_rate_limits(stack):
    for path, body, n in [("/api/chat", {"message": "Hei"}, 45),
                          ("/api/feedback", {"rating": 4}, 15)]:
        replies = hammer(stack, path, body, n)
        limited = [r for r in replies if r.status == 429]
        check(limited, "%s: no 429 after %d requests" % (path, n))
        check(any(r.status in (200, 201) for r in replies), replies[:3])
        r = limited[0]
        check(r.json is not None and r.json["error"]["code"] == "rate_limited", r)
        check(r.headers["Content-Type"].startswith("application/json"), r.headers)
        # The machine's own address is exempt.
        r = stack.request("POST", path, body)
        check(r.status in (200, 201), r)
        check(wait_unlimited(stack, path, body), "%s: the limit did not lift" % path)


def test_body_too_large(stack):
    big = json.dumps({"message": "a" * 40000}).encode()
    r = stack.request("POST", "/api/chat", raw=big)
    check(r.status == 413, r)
    check(r.json is not None and r.json["error"]["code"] == "body_too_large", r)
    r = stack.request("POST", "/api/feedback", raw=json.dumps({"comment": "b" * 40000}).encode())
    check(r.status == 413 and r.json is not None, r)
    # Over the service's own limit of characters, under nginx's of bytes.
    r = stack.chat("c" * 1001)
    check(r.status == 400 and r.json["error"]["code"] == "message_too_long", r)


def test_header_too_large(stack):
    r = stack.request("GET", "/api/health", headers={"X-Filler": "x" * 10000})
    check(r.status in (400, 431, 494), r)
    r = stack.request("GET", "/api/health", headers={"Cookie": "a=" + "y" * 10000})
    check(r.status in (400, 431, 494), r)


def test_security_headers(stack):
    for path in ["/", "/widget.js", "/api/health", "/api/topics?lang=fi", "/nothing-here"]:
        r = stack.request("GET", path)
        check(r.status in (200, 404), (path, r))
        csp = r.headers.get("Content-Security-Policy") or ""
        check(csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, (path, csp))
        check("frame-ancestors" in csp and "default-src" in csp, (path, csp))
        check(r.headers.get("X-Content-Type-Options") == "nosniff", (path, r.headers))
        check(r.headers.get("Referrer-Policy"), (path, r.headers))
        server = r.headers.get("Server") or ""
        check(not re.search(r"\d", server), "server version leaks: %r" % server)
        check(r.headers.get("X-Powered-By") is None, (path, r.headers))
    r = stack.request("GET", "/api/health")
    check(r.headers.get("Cache-Control") == "no-store", r.headers)


def test_cors(stack):
    allowed = "https://www.pohjanmaanhyvinvointi.fi"
    check(allowed in open(os.path.join(TOP, "conf/cors.conf")).read(), "cors.conf changed")
    for path in ["/api/health", "/api/topics?lang=fi"]:
        r = stack.request("GET", path, headers={"Origin": allowed})
        check(r.headers.get("Access-Control-Allow-Origin") == allowed, (path, r.headers))
        r = stack.request("GET", path, headers={"Origin": "https://evil.example"})
        check(not r.headers.get("Access-Control-Allow-Origin"), (path, r.headers))
    r = stack.request("POST", "/api/chat", {"message": "Hei"}, headers={"Origin": allowed})
    check(r.headers.get("Access-Control-Allow-Origin") == allowed, r.headers)
    r = stack.request("POST", "/api/chat", {"message": "Hei"},
                      headers={"Origin": "https://www.pohjanmaanhyvinvointi.fi.evil.example"})
    check(not r.headers.get("Access-Control-Allow-Origin"), r.headers)
    # The browser's preflight of a JSON POST from an allowed site.
    for path in ["/api/chat", "/api/feedback"]:
        r = stack.request("OPTIONS", path, headers={
            "Origin": allowed, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        check(r.status in (200, 204), (path, r))
        check(r.headers.get("Access-Control-Allow-Origin") == allowed, (path, r.headers))
        check("content-type" in (r.headers.get("Access-Control-Allow-Headers") or "").lower(),
              (path, r.headers))
        r = stack.request("OPTIONS", path, headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        check(not r.headers.get("Access-Control-Allow-Origin"), (path, r.headers))


# --- 6. Disclaimers in the widget ------------------------------------------

DISCLAIMERS = {
    "fi": ["112", "lääkinnällinen laite", "henkilötunnus", "terveystie"],
    "sv": ["112", "medicinteknisk produkt", "personbeteckning", "hälsouppgift"],
    "en": ["112", "medical device", "identity code", "health details"],
}


def i18n_table():
    path = os.path.join(TOP, "web/i18n.js")
    node = shutil.which("node")
    check(node, "node is needed to read web/i18n.js")
    p = subprocess.run([node, "-e", "global.window = {}; require(%s); "
                        "process.stdout.write(JSON.stringify(window.NeuvoI18n))" % json.dumps(path)],
                       capture_output=True, text=True)
    check(p.returncode == 0, p.stderr)
    return json.loads(p.stdout)


def strings(v):
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):
        v = list(v.values())
    return [s for x in v for s in strings(x)] if isinstance(v, list) else []


def test_widget_disclaimers(stack):
    table = i18n_table()
    for lang, needles in DISCLAIMERS.items():
        t = table[lang]
        text = " ".join(strings(t))
        missing = [n for n in needles if n.lower() not in text.lower()]
        check(not missing, "%s: missing %r" % (lang, missing))
        check("112" in t["disclaimer"], (lang, t["disclaimer"]))
        check(t.get("privacyTitle") and t.get("privacyText"), "%s: no privacy notice" % lang)
        privacy = " ".join(t["privacyText"]).lower()
        check("90" in privacy, "%s: the privacy notice does not say how long" % lang)
    # The widget is served with the page.
    r = stack.request("GET", "/i18n.js")
    check(r.status == 200 and b"NeuvoI18n" in r.raw, r)
