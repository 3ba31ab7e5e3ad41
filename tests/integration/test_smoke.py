"""The done-when of the stack: a Finnish prescription question gets an
answer with an OmaKanta link, from one of several worker processes."""
from lib import check


def test_prescription_answer(stack):
    r = stack.chat("Miten uusin reseptin?", lang="fi")
    check(r.status == 200, r)
    check(r.json["kind"] == "answer", r)
    check(any("kanta.fi" in l["url"] for l in r.json["links"]), r)
    check(r.headers["Content-Type"] == "application/json; charset=utf-8", r.headers)
    check(r.headers["Cache-Control"] == "no-store", r.headers)


def test_several_workers(stack):
    check(len(stack.worker_pids()) == 3, stack.worker_pids())
