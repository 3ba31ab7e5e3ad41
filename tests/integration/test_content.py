"""The content team's tools (docs/content-guide.md): the admin functions,
their audit trail and versions, the constraints, live changes on the next
turn, opening hours, the insight views, the calls loader, the report and
an idempotent import/export.  Every test puts the knowledge base back as
it found it, since the other modules share the stack."""
import json, os, re, subprocess, tempfile, uuid
from lib import TOP, check

ED = "neuvo_editor"
APP = "neuvo_app"


def one(stack, sql, user=ED):
    rows = stack.psql(sql, user=user)
    return rows[0][0] if rows else None


def fails(stack, sql, user=ED):
    """Runs sql expecting an error; returns the error text."""
    p = stack.psql(sql, user=user, check=False)
    check(p.returncode != 0, "expected an error from: %s\n%s" % (sql, p.stdout))
    return p.stderr


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def record(key, **over):
    r = {"key": key, "category": "general", "service": "customer_service"}
    for lang, word in (("fi", "zzkoekysymys"), ("sv", "zzprovfraga"), ("en", "zzsamplequery")):
        r[lang] = {"title": "Testi %s %s" % (key, lang), "body": "Testivastaus (%s)." % lang,
                   "links": [{"title": "Esimerkki", "url": "https://example.org/%s" % lang}],
                   "variants": ["%s %s" % (word, key), "toinen %s" % word]}
    r.update(over)
    return r


def audit_count(stack):
    return int(one(stack, "SELECT count(*) FROM admin.audit", user=None))


def reply(stack, message, lang="fi"):
    r = stack.chat(message, lang=lang, session="content-" + uuid.uuid4().hex[:12])
    check(r.status == 200, r)
    return r.json


def title_of(stack, key, lang):
    return one(stack, "SELECT title FROM kb.answer_text t JOIN kb.answer a ON a.id = t.answer_id "
               "WHERE a.key = %s AND t.lang = %s" % (lit(key), lit(lang)), user=None)


def answer_id(stack, key):
    return int(one(stack, "SELECT id FROM kb.answer WHERE key = %s" % lit(key), user=None))


def test_add_answer_in_one_call(stack):
    before = audit_count(stack)
    rec = record("zz_added")
    aid = int(one(stack, "SELECT admin.add_answer(%s)" % lit(json.dumps(rec))))
    try:
        rows = stack.psql("SELECT lang, count(*) FROM kb.variant WHERE answer_id = %d GROUP BY 1 ORDER BY 1" % aid)
        check(rows == [["en", "2"], ["fi", "2"], ["sv", "2"]], rows)
        check(one(stack, "SELECT count(*) FROM kb.link WHERE answer_id = %d" % aid) == "3")
        # Audited as the editor, and version 1 is the record as exported.
        rows = stack.psql("SELECT DISTINCT db_user FROM admin.audit WHERE id > %d" % before, user=None)
        check(rows == [[ED]], rows)
        check(audit_count(stack) - before == 1 + 3 + 3 + 6, audit_count(stack) - before)
        exported = one(stack, "SELECT kb.export_answer(%d)" % aid)
        v = json.loads(one(stack, "SELECT record FROM admin.history WHERE answer_key = 'zz_added' AND version = 1"))
        check(v == json.loads(exported), v)
        for lang in ("fi", "sv", "en"):
            check(v[lang]["variants"] == rec[lang]["variants"] and v[lang]["links"] == rec[lang]["links"], v)
        # Live: the new answer's own word finds it on the next turn.
        r = reply(stack, "zzkoekysymys zz_added")
        check(r["kind"] == "answer" and r["answer_id"] == aid, r)
        err = fails(stack, "SELECT admin.add_answer(%s)" % lit(json.dumps(rec)))
        check('answer "zz_added" already exists' in err, err)
        # Deleted, then restored from its version 1: the same record again.
        stack.psql("SELECT admin.delete_answer('zz_added')", user=ED)
        check(one(stack, "SELECT count(*) FROM kb.answer WHERE key = 'zz_added'") == "0")
        check(one(stack, "SELECT deleted FROM admin.history WHERE answer_key = 'zz_added' AND version = 2") == "t")
        err = fails(stack, "SELECT admin.restore_answer('zz_added', 2)")
        check("is its deletion" in err, err)
        aid = int(one(stack, "SELECT admin.restore_answer('zz_added', 1)"))
        check(json.loads(one(stack, "SELECT kb.export_answer(%d)" % aid)) == json.loads(exported))
    finally:
        stack.psql("DELETE FROM kb.answer WHERE key = 'zz_added'", user=ED)


def test_invalid_calls_change_nothing(stack):
    before = audit_count(stack)
    nvar = one(stack, "SELECT count(*) FROM kb.variant", user=None)
    rec = record("zz_bad")
    del rec["sv"]
    err = fails(stack, "SELECT admin.add_answer(%s)" % lit(json.dumps(rec)))
    check('answer "zz_bad"' in err and "Swedish (sv)" in err, err)
    rec = record("zz_bad")
    rec["en"]["links"].append({"title": "Vanha", "url": "http://example.org/"})
    err = fails(stack, "SELECT admin.add_answer(%s)" % lit(json.dumps(rec)))
    check('answer "zz_bad"' in err and "http://example.org/" in err and "https://" in err, err)
    rec = record("zz_bad")
    rec["sv"]["variants"].append("   ")
    err = fails(stack, "SELECT admin.add_answer(%s)" % lit(json.dumps(rec)))
    check('answer "zz_bad"' in err and "empty Swedish (sv) variant" in err, err)
    # The check that kb.import_answer() does itself, after it has begun to
    # write: the answer row is already inserted when the text fails.
    rec = record("zz_bad")
    rec["en"]["title"] = None
    err = fails(stack, "SELECT kb.import_answer(%s)" % lit(json.dumps(rec)))
    check("title" in err, err)
    # A function that fails halfway: the variant is inserted, then the
    # unknown language stops it.
    err = fails(stack, "SELECT admin.add_variant('prescription', 'fi', 'zzpuolivalmis'), "
                "admin.add_variant('prescription', 'de', 'zzhalb')")
    check('unknown language "de"' in err, err)
    err = fails(stack, "SELECT admin.set_text('prescription', 'fi', 'Uusi otsikko', '  ')")
    check('answer "prescription"' in err and "cannot be empty" in err, err)
    err = fails(stack, "SELECT admin.remove_variant('prescription', 'fi', 'zzei ole')")
    check('answer "prescription" has no Finnish (fi) variant' in err, err)
    err = fails(stack, "SELECT admin.add_variant('zz_no_such', 'fi', 'x')")
    check('no answer with key "zz_no_such"' in err, err)
    check(one(stack, "SELECT count(*) FROM kb.answer WHERE key = 'zz_bad'") == "0")
    check(one(stack, "SELECT count(*) FROM kb.variant", user=None) == nvar)
    check(one(stack, "SELECT title FROM kb.answer_text WHERE lang = 'fi' AND answer_id = "
              "admin.answer_id('prescription')") != "Uusi otsikko")
    check(audit_count(stack) == before, (audit_count(stack), before))


def test_publish_needs_three_languages(stack):
    key = "zz_partial"
    try:
        stack.psql("INSERT INTO kb.answer (key, published) VALUES ('%s', false)" % key, user=ED)
        stack.psql("SELECT admin.set_text('%s', 'fi', 'Osittainen', 'Vain suomeksi.')" % key, user=ED)
        stack.psql("SELECT admin.set_text('%s', 'en', 'Partial', 'English too.')" % key, user=ED)
        err = fails(stack, "SELECT admin.publish('%s')" % key)
        check('answer "zz_partial" cannot be published' in err and "Swedish (sv)" in err
              and "English" not in err, err)
        # Around the function: the deferred check refuses the commit.
        err = fails(stack, "UPDATE kb.answer SET published = true WHERE key = '%s'" % key)
        check('answer "zz_partial" is published but has no text in Swedish (sv)' in err, err)
        check(one(stack, "SELECT published FROM kb.answer WHERE key = '%s'" % key) == "f")
        stack.psql("SELECT admin.set_text('%s', 'sv', 'Delvis', 'På svenska.')" % key, user=ED)
        stack.psql("SELECT admin.publish('%s')" % key, user=ED)
        check(one(stack, "SELECT published FROM kb.answer WHERE key = '%s'" % key) == "t")
        # Taking a language away from a published answer is refused too.
        err = fails(stack, "DELETE FROM kb.answer_text WHERE lang = 'fi' AND answer_id = "
                    "admin.answer_id('%s')" % key)
        check('answer "zz_partial" is published but has no text in Finnish (fi)' in err, err)
        check(one(stack, "SELECT count(*) FROM kb.answer_text WHERE answer_id = admin.answer_id('%s')" % key) == "3")
        # Unpublish and delete the text in one transaction: allowed.
        stack.psql("BEGIN; SELECT admin.unpublish('%s'); DELETE FROM kb.answer_text WHERE lang = 'fi' "
                   "AND answer_id = admin.answer_id('%s'); COMMIT;" % (key, key), user=ED)
        check(one(stack, "SELECT published FROM kb.answer WHERE key = '%s'" % key) == "f")
        stack.psql("SELECT admin.delete_answer('%s')" % key, user=ED)
    finally:
        stack.psql("DELETE FROM kb.answer WHERE key = '%s'" % key, user=ED)


def test_audit_and_restore(stack):
    key = "prescription"
    orig = one(stack, "SELECT kb.export_answer(admin.answer_id('%s'))" % key)
    ver = int(one(stack, "SELECT max(version) FROM admin.history WHERE answer_key = '%s'" % key))
    old_body = json.loads(orig)["fi"]["body"]
    variant = json.loads(orig)["fi"]["variants"][0]
    before = audit_count(stack)
    stack.psql("SELECT admin.set_text('%s', 'fi', NULL, 'Muokattu teksti zzmuokattu.')" % key, user=ED)
    stack.psql("SELECT admin.remove_variant('%s', 'fi', %s)" % (key, lit(variant)), user=ED)
    rows = stack.psql("SELECT db_user, tbl, op, before->>'body' = %s, after->>'body' FROM admin.audit "
                      "WHERE id > %d AND tbl = 'kb.answer_text'" % (lit(old_body), before), user=None)
    check(rows == [[ED, "kb.answer_text", "UPDATE", "t", "Muokattu teksti zzmuokattu."]], rows)
    rows = stack.psql("SELECT op, before->>'text' FROM admin.audit WHERE id > %d AND tbl = 'kb.variant'" % before,
                      user=None)
    check(rows == [["DELETE", variant]], rows)
    check(one(stack, "SELECT max(version) FROM admin.history WHERE answer_key = '%s'" % key) == str(ver + 2))
    r = reply(stack, title_of(stack, key, "fi"))
    check("zzmuokattu" in r["text"], r)
    stack.psql("SELECT admin.restore_answer('%s', %d)" % (key, ver), user=ED)
    check(json.loads(one(stack, "SELECT kb.export_answer(admin.answer_id('%s'))" % key)) == json.loads(orig))
    r = reply(stack, title_of(stack, key, "fi"))
    check("zzmuokattu" not in r["text"] and old_body[:30] in r["text"], r)
    err = fails(stack, "SELECT admin.restore_answer('%s', 99999)" % key)
    check('answer "prescription" has no version 99999' in err, err)


def test_service_role_cannot_edit(stack):
    for sql in ("SELECT admin.add_variant('prescription', 'fi', 'zzapp')",
                "SELECT admin.publish('prescription')",
                "SELECT * FROM admin.unanswered",
                "SELECT * FROM admin.daily_usage",
                "SELECT count(*) FROM admin.audit",
                "SELECT kb.import_answer('{}')",
                "UPDATE kb.service_hours SET opens = '00:00'"):
        err = fails(stack, sql, user=APP)
        check("permission denied" in err, (sql, err))
    # ...but it reads the hours for the note.
    check(int(one(stack, "SELECT count(*) FROM kb.service_hours", user=APP)) > 0)
    check(one(stack, "SELECT count(*) >= 0 FROM admin.busy_hours", user=ED) == "t")


def test_live_variant(stack):
    word = "zzhammaskolotus"
    dental = answer_id(stack, "dental")
    check(reply(stack, word)["answer_id"] != dental)
    check(one(stack, "SELECT admin.add_variant('dental', 'fi', '%s')" % word) == "t")
    r = reply(stack, word)
    check(r["kind"] == "answer" and r["answer_id"] == dental, r)
    stack.psql("SELECT admin.remove_variant('dental', 'fi', '%s')" % word, user=ED)
    check(reply(stack, word)["answer_id"] != dental)


def test_live_synonym(stack):
    target = reply(stack, "resepti")
    check(target["kind"] == "answer", target)
    check(reply(stack, "zzkrampa")["kind"] == "fallback")
    check(one(stack, "SELECT admin.add_synonym('fi', 'ZZkrampa', 'resepti')") == "t")
    r = reply(stack, "zzkrampa")
    check(r["kind"] == "answer" and r["answer_id"] == target["answer_id"], r)
    check(one(stack, "SELECT admin.remove_synonym('fi', 'zzkrampa')") == "1")
    check(reply(stack, "zzkrampa")["kind"] == "fallback")


def test_live_redflag(stack):
    msg = "zzsydänhäiriö nyt"
    check(reply(stack, msg)["kind"] != "emergency")
    stack.psql("SELECT admin.add_redflag('fi', 'zzsydänhäiriö', 'emergency')", user=ED)
    r = reply(stack, msg)
    check(r["kind"] == "emergency" and "112" in r["text"], r)
    stack.psql("SELECT admin.remove_redflag('fi', 'zzsydänhäiriö')", user=ED)
    check(reply(stack, msg)["kind"] != "emergency")


def note(stack, key, lang="fi"):
    """The last paragraph of the answer's reply: the opening-hours note."""
    r = reply(stack, title_of(stack, key, lang), lang)
    check(r["kind"] == "answer" and r["answer_id"] == answer_id(stack, key), r)
    return r["text"].split("\n\n")[-1]


def test_opening_hours(stack):
    svc, key = "customer_service", "callback"
    saved = stack.psql("SELECT isodow, opens, closes, verify FROM kb.service_hours WHERE service = '%s'" % svc,
                       user=None)
    today = stack.psql("SELECT extract(isodow FROM now() AT TIME ZONE 'Europe/Helsinki')::int, "
                       "(now() AT TIME ZONE 'Europe/Helsinki')::date", user=None)[0]
    dow, day = int(today[0]), today[1]
    holiday = stack.psql("SELECT name_fi, name_sv, name_en FROM kb.holiday WHERE day = '%s'" % day, user=None)
    names = ["ma", "ti", "ke", "to", "pe", "la", "su"]
    try:
        stack.psql("DELETE FROM kb.holiday WHERE day = '%s'" % day, user=ED)
        # Closed now: today has no hours.
        stack.psql("SELECT admin.set_hours('%s', 'mon-sun', '08:00', '16:00', true); "
                   "SELECT admin.clear_hours('%s', '%s')" % (svc, svc, ["mon", "tue", "wed", "thu", "fri",
                                                                     "sat", "sun"][dow - 1]), user=ED)
        n = note(stack, key)
        check(n.startswith("Asiakaspalvelukeskus on nyt suljettu") and "116 117" in n and "112" in n, n)
        check("{tel:" not in n, n)
        n = note(stack, key, "sv")
        check(n.startswith("Kundbetjäningscentralen är stängd nu") and "116 117" in n, n)
        # Open now: today 0-24.
        stack.psql("SELECT admin.set_hours('%s', '%s', '00:00', '24:00')" % (svc, ["mon", "tue", "wed", "thu",
                                                                            "fri", "sat", "sun"][dow - 1]),
                   user=ED)
        n = note(stack, key)
        check(n.startswith("Asiakaspalvelukeskus on nyt avoinna (") and "116 117" not in n, n)
        check(("%s 0–24" % names[dow - 1]) in n, n)
        check(note(stack, key, "en").startswith("Customer service centre is open now ("))
        # A holiday today: closed, with the holiday's name.
        stack.psql("INSERT INTO kb.holiday VALUES ('%s', 'zztestipyhä', 'zztesthelg', 'zztest holiday')" % day,
                   user=ED)
        n = note(stack, key)
        check("suljettu" in n and "zztestipyhä" in n and "116 117" in n, n)
        check("zztest holiday" in note(stack, key, "en"))
        # An exception date wins over the holiday.
        stack.psql("SELECT admin.set_exception('%s', '%s', '00:00', '24:00')" % (svc, day), user=ED)
        check("avoinna (tänään 0–24)" in note(stack, key))
        stack.psql("SELECT admin.set_exception('%s', '%s')" % (svc, day), user=ED)
        check("suljettu" in note(stack, key))
        # A service without hours gives no note.
        stack.psql("DELETE FROM kb.service_hours WHERE service = '%s'" % svc, user=ED)
        r = reply(stack, title_of(stack, key, "fi"))
        check("avoinna" not in r["text"] and "on nyt suljettu" not in r["text"], r)
    finally:
        stack.psql("DELETE FROM kb.service_exception WHERE service = '%s' AND day = '%s'; "
                   "DELETE FROM kb.holiday WHERE day = '%s'; DELETE FROM kb.service_hours WHERE service = '%s'"
                   % (svc, day, day, svc), user=ED)
        for d, o, c, v in saved:
            stack.psql("INSERT INTO kb.service_hours VALUES ('%s', %s, '%s', '%s', %s)"
                       % (svc, d, o, c, "true" if v == "t" else "false"), user=ED)
        for fi, sv, en in holiday:
            stack.psql("INSERT INTO kb.holiday VALUES ('%s', %s, %s, %s)" % (day, lit(fi), lit(sv), lit(en)),
                       user=ED)
    # The data: confirmed hours are not marked verify, the invented ones are.
    rows = stack.psql("SELECT service, bool_and(verify) FROM kb.service_hours "
                      "WHERE service IN ('customer_service', 'social_ombudsman') GROUP BY 1 ORDER BY 1", user=None)
    check(rows == [["customer_service", "t"], ["social_ombudsman", "f"]], rows)
    check(one(stack, "SELECT count(*) FROM kb.holiday WHERE day BETWEEN '2026-01-01' AND '2027-12-31'") == "30")
    check(one(stack, "SELECT name_sv FROM kb.holiday WHERE day = '2027-06-25'") == "midsommarafton")


SEED = [("fi", "Miten uusin reseptin?"), ("fi", "hammaslääkäriaika"), ("fi", "Takaisinsoittopyyntö"),
        ("fi", "zzqwerty asdf"), ("fi", "hei"), ("fi", "kiitos"), ("fi", "rokotus"), ("fi", "laskun maksaminen"),
        ("sv", "Hur förnyar jag mitt recept?"), ("sv", "tandläkartid"), ("sv", "zzblorp flimflam"),
        ("sv", "hej"), ("sv", "vaccination"), ("en", "How do I renew my prescription?"),
        ("en", "dentist appointment"), ("en", "zzfoo barbaz"), ("en", "hello"), ("en", "vaccine"),
        ("fi", "zzqwerty asdf"), ("fi", "apua"), ("fi", "neuvola")]


def seed_traffic(stack):
    """~60 turns in three languages spread over 70 days, thumbs, feedback."""
    turns = []
    for i in range(63):
        lang, msg = SEED[i % len(SEED)]
        r = stack.chat(msg, lang=lang, session="report-%d" % (i // 3))
        check(r.status == 200, r)
        turns.append(r.json)
    for j, t in enumerate(turns[:24]):
        r = stack.request("POST", "/api/feedback", {"turn_id": t["turn_id"], "helpful": j % 3 != 0})
        check(r.status in (200, 201), r)
    for j in range(8):
        r = stack.request("POST", "/api/feedback", {"rating": 1 + j % 5, "comment": "zzpalaute %d <b>" % j,
                                                    "lang": ["fi", "sv", "en"][j % 3]})
        check(r.status == 201, r)
    ids = ",".join("'%s'" % t["turn_id"] for t in turns)
    stack.psql("UPDATE chat.turn SET created_at = created_at - (mod(abs(hashtext(id::text)), 70) || ' days')"
               "::interval - (mod(abs(hashtext(id::text || 'h')), 12) || ' hours')::interval WHERE id IN (%s)"
               % ids)
    return turns


def test_insight_views(stack):
    turns = seed_traffic(stack)
    top = stack.psql("SELECT norm, times, fallbacks FROM admin.unanswered LIMIT 3", user=ED)
    check(any("zzqwerty" in r[0] and int(r[1]) >= 6 for r in top), top)
    check(int(top[0][1]) >= int(top[-1][1]), top)
    worst = stack.psql("SELECT key, ratings, unhelpful, unhelpful_share FROM admin.worst_answers", user=ED)
    check(worst and float(worst[0][3]) >= float(worst[-1][3]), worst)
    check(sum(int(r[2]) for r in worst) >= 1, worst)
    fb = stack.psql("SELECT rating, comment FROM admin.feedback WHERE comment LIKE 'zzpalaute%'", user=ED)
    check(len(fb) >= 8, fb)
    rows = stack.psql("SELECT sum(turns), sum(fi), sum(sv), sum(en), sum(fallback) FROM admin.daily_usage", user=ED)
    check(int(rows[0][0]) >= 63 and all(int(x) > 0 for x in rows[0][1:]), rows)
    rows = stack.psql("SELECT count(*), bool_and(answer_share BETWEEN 0 AND 1), bool_or(answer_share < 1) "
                      "FROM admin.answer_rate", user=ED)
    check(int(rows[0][0]) >= 5 and rows[0][1] == "t" and rows[0][2] == "t", rows)
    rows = stack.psql("SELECT count(*), sum(turns) FROM admin.busy_hours", user=ED)
    check(rows[0][0] == "24" and int(rows[0][1]) >= 63, rows)
    rows = stack.psql("SELECT count(*) FROM admin.usage_by_kind WHERE kind = 'smalltalk'", user=ED)
    check(int(rows[0][0]) > 0, rows)
    check(len(turns) == 63)


def test_load_calls(stack):
    csv = open(os.path.join(TOP, "sql/calls-example.csv"), encoding="utf-8").read()
    n = int(one(stack, "SELECT admin.load_calls(%s)" % lit(csv)))
    lines = [l for l in csv.splitlines() if l and not l.startswith("#") and not l.startswith("month")]
    check(n == len(lines) and n >= 100, n)
    check(one(stack, "SELECT count(*) FROM admin.call_stats") == str(n))
    err = fails(stack, "SELECT admin.load_calls(%s)" % lit("month,category,calls\n2026-01,dental,1\nbad,line\n"))
    check("line 3" in err and "bad,line" in err, err)
    check(one(stack, "SELECT calls FROM admin.call_stats WHERE month = '2026-01-01' AND category = 'dental'")
          != "1")
    rows = stack.psql("SELECT count(*), count(*) FILTER (WHERE calls IS NOT NULL AND bot_answers > 0) "
                      "FROM admin.calls_vs_bot", user=ED)
    check(int(rows[0][0]) >= n and int(rows[0][1]) > 0, rows)
    check("permission denied" in fails(stack, "SELECT * FROM admin.call_stats", user=APP))


def test_report(stack):
    if int(one(stack, "SELECT count(*) FROM chat.turn WHERE created_at < now() - interval '7 days'",
               user=None)) == 0:
        seed_traffic(stack)
    out = os.path.join(stack.var, "report.html")
    p = subprocess.run([os.path.join(TOP, "sql/report"), stack.dburl, out, "--calls",
                        os.path.join(TOP, "sql/calls-example.csv")], capture_output=True, text=True)
    check(p.returncode == 0, p.stderr)
    doc = open(out, encoding="utf-8").read()
    check(doc.startswith("<!DOCTYPE html>") and "@media print" in doc, doc[:200])
    # No assets: no src at all, href only on plain <a> links.
    check(not re.search(r'\bsrc\s*=', doc, re.I), "no src attributes")
    for m in re.finditer(r'<(\w+)[^>]*\bhref\s*=', doc, re.I):
        check(m.group(1).lower() == "a", m.group(0))
    check(not re.search(r'<link\b|@import|url\(', doc, re.I), "no external style sheets or urls")
    points = [int(x) for x in re.findall(r'<svg[^>]*data-points="(\d+)"', doc)]
    check(len(points) >= 8, points)
    check(all(n > 0 for n in points), points)
    check(doc.count("<svg") == len(points), "every svg carries data-points")
    marks = re.findall(r'class="mark"', doc)
    check(len(marks) >= sum(points), (len(marks), sum(points)))
    check("zzpalaute 1 &lt;b&gt;" in doc and "zzpalaute 1 <b>" not in doc, "comments are escaped")
    for title in ("Turns per day by language", "Turns per week by kind", "Top questions",
                  "Top unanswered questions", "Feedback", "Share of turns that ended in an answer",
                  "Calls versus Neuvo"):
        check(title in doc, title)


def kbtool(stack, *args):
    p = subprocess.run([os.path.join(TOP, "sql/kbtool"), "--db", stack.dburl] + list(args),
                       capture_output=True, text=True)
    check(p.returncode == 0, p.stderr)


def test_import_export_idempotent(stack):
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        kbtool(stack, "import")		# the seed again: whatever tests changed
        state = "SELECT (SELECT count(*) FROM admin.audit), (SELECT max(updated_at) FROM kb.answer), " \
                "(SELECT count(*) FROM admin.answer_version)"
        first = stack.psql(state)
        kbtool(stack, "import")
        check(stack.psql(state) == first, (stack.psql(state), first))
        kbtool(stack, "export", "--dir", a)
        kbtool(stack, "import", "--dir", a)
        check(stack.psql(state) == first, (stack.psql(state), first))
        kbtool(stack, "export", "--dir", b)
        p = subprocess.run(["diff", "-r", a, b], capture_output=True, text=True)
        check(p.returncode == 0, p.stdout[:2000])
        for f in ("hours.tsv", "holidays.tsv"):
            check(open(os.path.join(a, f)).read() == open(os.path.join(TOP, "sql/kb", f)).read(), f)
        check(len(os.listdir(os.path.join(a, "answers"))) > 5)
