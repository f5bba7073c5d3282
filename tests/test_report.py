"""Tests for ``replylint report``.

The figures are checked against a small input whose numbers were worked out by hand (see the
comments on FIXTURE and EXPECTED), not computed by the code under test.  A stub linter that flags
fixed phrases makes the expected findings independent of the shipped rule packs; the real engine
is exercised separately.  The browser test opens the HTML in headless Chromium.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import pickle
import re
import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from replylint.finding import CATEGORIES, Finding, InputError, Severity
from replylint.records import LineLocator, Record
from replylint.results import ReplyResult, RuleInfo
from replylint.report import privacy
from replylint.report.aggregate import Aggregator, load_weights, parse_date, WeightsError
from replylint.report.formats import render_csv, render_json, render_markdown
from replylint.report.html import render_html
from replylint.report.summary import summarize

# ----------------------------------------------------------------------------------------------
# The hand-checked input: 10 replies.  Columns: agent, team, channel, date, lang, text.
# The stub linter below flags exactly the phrases in PHRASES (plus a missing greeting/closing).
# ----------------------------------------------------------------------------------------------

FIXTURE = [
    # r1: brush-off x2                                  -> 100 - 25           = 75
    ("Anna", "A", "email", "2025-03-03", "nl",
     "Beste Jan de Vries,\nDat weet ik niet, bel 06-12345678 of mail jan.devries@example.nl. "
     "Dat weet ik niet, echt, Jan.\nMet vriendelijke groet, Anna"),
    # r2: clean                                         -> 100
    ("Anna", "A", "chat", "2025-03-04", "nl",
     "Hoi Sanne!\nBedankt voor je bericht, je pakket komt morgen.\nGroet, Anna"),
    # r3: blame + policy                                -> 100 - 30 - 15      = 55
    ("Bram", "A", "email", "2025-03-05", "nl",
     "Beste meneer Jansen,\nDat is uw eigen schuld, en dat is ons beleid.\nMet vriendelijke groet, Bram"),
    # r4: greeting (does not open with one)             -> 100 - 10           = 90
    ("Bram", "B", "email", "2025-03-11", "nl",
     "Uw pakket is verzonden.\nMet vriendelijke groet, Bram"),
    # r5: clean (English)                               -> 100
    ("Cas", "B", "chat", "2025-03-12", "en",
     "Hi Sarah,\nThanks for reaching out, your refund is on its way.\nKind regards, Cas"),
    # r6: brush-off + jargon + closing                  -> 100 - 25 - 10 - 5  = 60
    ("Cas", "B", "email", "2025-03-18", "nl",
     "Beste mevrouw Smit,\nDat weet ik niet. Het MX-record is aangepast."),
    # r7: clean, EMPTY AGENT                            -> 100
    ("", "B", "email", "2025-03-19", "nl",
     "Beste Piet,\nUw retour is binnen.\nMet vriendelijke groet"),
    # r8: blame, EMPTY CHANNEL, UNPARSEABLE DATE        -> 100 - 30           = 70
    ("Anna", "A", "", "gisteren", "nl",
     "Beste Kees,\nDat is uw eigen schuld.\nGroet, Anna"),
    # r9: readability x3 (English)                      -> 100 - 5            = 95
    ("Bram", "A", "email", "2025-03-20", "en",
     "Dear Mr. Carter,\nWe hereby confirm, in accordance with your request, the refund herewith.\n"
     "Kind regards, Bram"),
    # r10: brush-off, blame, policy, condescension, internal-talk, NO DATE
    #                                                   -> 100-25-30-15-25-30 < 0 -> 0
    ("Cas", "B", "chat", "", "nl",
     "Beste Karin,\nGeen idee. Dat is uw eigen schuld en dat is ons beleid. Zoals ik eerder al schreef: "
     "ik word hier slecht betaald.\nGroet, Cas"),
]
# The CSV written from FIXTURE (header on line 1): line on which each row starts, counted by hand
# from the number of lines in each text (3,3,3,2,3,2,3,3,3,3).
LINES = [2, 5, 8, 11, 13, 16, 18, 21, 24, 27]

PHRASES = [
    ("nl.brush-off.weet-niet", "brush-off", "Dat weet ik niet", ("Goede vraag, dat zoek ik voor u uit.",)),
    ("nl.brush-off.geen-idee", "brush-off", "Geen idee", ("Dat zoek ik voor u uit.",)),
    ("nl.blame.eigen-schuld", "blame", "uw eigen schuld", ()),
    ("nl.policy.beleid", "policy", "ons beleid", ("Ik kijk wat ik wél voor u kan doen.",)),
    ("nl.jargon.unknown", "jargon", "MX-record", ()),
    ("nl.condescension.eerder", "condescension", "Zoals ik eerder al schreef", ("Om het even samen te vatten:",)),
    ("nl.internal.salary", "internal-talk", "slecht betaald", ()),
    ("en.readability.stiff", "readability", "hereby", ("so",)),
    ("en.readability.stiff", "readability", "in accordance with", ("as",)),
    ("en.readability.stiff", "readability", "herewith", ("here is",)),
]
GREETINGS = ("Beste", "Hoi", "Hi", "Dear")
CLOSINGS = ("groet", "regards")


class StubLinter:
    """Same interface as replylint.engine.Linter; flags the fixed PHRASES."""

    def __init__(self, config=None):
        self.config = config
        self.rules = {
            rule: RuleInfo(rule, cat, Severity.WARNING, f"message of {rule}")
            for rule, cat, _, _ in PHRASES
        }
        self.rules["nl.greeting.missing"] = RuleInfo("nl.greeting.missing", "greeting", Severity.WARNING,
                                                     "message of nl.greeting.missing")
        self.rules["nl.closing.missing"] = RuleInfo("nl.closing.missing", "closing", Severity.INFO,
                                                    "message of nl.closing.missing")

    def lint_records(self, records):
        for rec in records:
            yield ReplyResult(rec, self._findings(rec), rec.lang or "nl")

    def _findings(self, rec):
        text = rec.text
        out = []
        for rule, cat, phrase, sugg in PHRASES:
            for m in re.finditer(re.escape(phrase), text):
                out.append(_finding(rec, rule, cat, m.start(), m.end(), text, sugg))
        if not text.startswith(GREETINGS):
            end = text.find("\n")
            out.append(_finding(rec, "nl.greeting.missing", "greeting", 0, end, text, ()))
        if not any(c in text.lower() for c in CLOSINGS):
            out.append(_finding(rec, "nl.closing.missing", "closing", len(text), len(text), text, ()))
        return sorted(out, key=lambda f: f.start)


def _finding(rec, rule, cat, start, end, text, sugg):
    f = Finding(rule, cat, Severity.WARNING, f"message of {rule}", start, end, text[start:end], tuple(sugg))
    line, col = rec.position(start)
    return f.placed(reply_id=rec.id, source=rec.source, line=line, column=col)


def fixture_records(source="fixture.csv"):
    recs = []
    for i, (agent, team, channel, date, lang, text) in enumerate(FIXTURE):
        meta = {k: v for k, v in (("agent", agent), ("team", team), ("channel", channel), ("date", date)) if v}
        recs.append(Record(id=f"r{i + 1}", text=text, source=source, lang=lang, meta=meta,
                           locator=LineLocator(LINES[i])))
    return recs


def fixture_results():
    return list(StubLinter().lint_records(fixture_records()))


def write_fixture_csv(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "agent", "team", "channel", "date", "lang", "text"])
        for i, row in enumerate(FIXTURE):
            w.writerow([f"r{i + 1}", *row])
    return path


# ----------------------------------------------------------------------------------------------
# Expected figures, worked out by hand from FIXTURE (default weights: brush-off 25, blame 30,
# policy 15, greeting 10, jargon 10, condescension 25, internal-talk 30, readability 5, closing 5).
# Points per reply: 75, 100, 55, 90, 100, 60, 100, 70, 95, 0 -> sum 745.
# ----------------------------------------------------------------------------------------------

EXPECTED_TOTALS = {
    "replies": 10,
    "replies_with_findings": 7,        # r1 r3 r4 r6 r8 r9 r10
    "share_with_findings": 70.0,
    "findings": 17,                    # 2+2+1+3+1+3+5
    "findings_per_100": 170.0,
    "score": 74.5,                     # 745 / 10
}
# category: (findings, replies, share %, findings per 100)
EXPECTED_CATEGORIES = {
    "greeting": (1, 1, 10.0, 10.0),
    "blame": (3, 3, 30.0, 30.0),
    "brush-off": (4, 3, 30.0, 40.0),
    "policy": (2, 2, 20.0, 20.0),
    "jargon": (1, 1, 10.0, 10.0),
    "condescension": (1, 1, 10.0, 10.0),
    "internal-talk": (1, 1, 10.0, 10.0),
    "readability": (3, 1, 10.0, 30.0),
    "closing": (1, 1, 10.0, 10.0),
}
# group: (replies, with findings, share, findings, per 100, score, {category: findings})
EXPECTED_GROUPS = {
    "agent": {
        "Anna": (3, 2, 66.7, 3, 100.0, 81.7, {"brush-off": 2, "blame": 1}),         # 245/3
        "Bram": (3, 3, 100.0, 6, 200.0, 80.0,
                 {"blame": 1, "policy": 1, "greeting": 1, "readability": 3}),        # 240/3
        "Cas": (3, 2, 66.7, 8, 266.7, 53.3,
                {"brush-off": 2, "jargon": 1, "closing": 1, "blame": 1, "policy": 1,
                 "condescension": 1, "internal-talk": 1}),                            # 160/3
        "unknown": (1, 0, 0.0, 0, 0.0, 100.0, {}),
    },
    "team": {
        "A": (5, 4, 80.0, 8, 160.0, 79.0,
              {"brush-off": 2, "blame": 2, "policy": 1, "readability": 3}),          # 395/5
        "B": (5, 3, 60.0, 9, 180.0, 70.0,
              {"greeting": 1, "brush-off": 2, "jargon": 1, "closing": 1, "blame": 1, "policy": 1,
               "condescension": 1, "internal-talk": 1}),                              # 350/5
    },
    "channel": {
        "email": (6, 5, 83.3, 11, 183.3, 79.2,
                  {"brush-off": 3, "blame": 1, "policy": 1, "greeting": 1, "jargon": 1, "closing": 1,
                   "readability": 3}),                                                # 475/6
        "chat": (3, 1, 33.3, 5, 166.7, 66.7,
                 {"brush-off": 1, "blame": 1, "policy": 1, "condescension": 1, "internal-talk": 1}),
        "unknown": (1, 1, 100.0, 1, 100.0, 70.0, {"blame": 1}),
    },
}
# Dates span 2025-03-03 .. 2025-03-20 (17 days) -> weekly.  r8 and r10 have no valid date.
EXPECTED_TREND = [
    # period, start, replies, with findings, share, findings, per 100, score
    ("2025-W10", "2025-03-03", 3, 2, 66.7, 4, 133.3, 76.7),    # r1 r2 r3: 230/3
    ("2025-W11", "2025-03-10", 2, 1, 50.0, 1, 50.0, 95.0),     # r4 r5: 190/2
    ("2025-W12", "2025-03-17", 3, 2, 66.7, 6, 200.0, 85.0),    # r6 r7 r9: 255/3
]
EXPECTED_RULES = [  # by findings, then rule id: (rule, category, findings, replies)
    ("en.readability.stiff", "readability", 3, 1),
    ("nl.blame.eigen-schuld", "blame", 3, 3),
    ("nl.brush-off.weet-niet", "brush-off", 3, 2),
    ("nl.policy.beleid", "policy", 2, 2),
    ("nl.brush-off.geen-idee", "brush-off", 1, 1),
    ("nl.closing.missing", "closing", 1, 1),
    ("nl.condescension.eerder", "condescension", 1, 1),
    ("nl.greeting.missing", "greeting", 1, 1),
    ("nl.internal.salary", "internal-talk", 1, 1),
    ("nl.jargon.unknown", "jargon", 1, 1),
]
# (field, problem, replies, [file:line])
EXPECTED_META = [
    ("agent", "missing", 1, [18]),         # r7
    ("channel", "missing", 1, [21]),       # r8
    ("date", "missing", 1, [27]),          # r10
    ("date", "malformed", 1, [21]),        # r8 "gisteren"
]


def fixture_summary(**kw):
    agg = Aggregator().add_all(fixture_results())
    return summarize(agg, inputs=["fixture.csv"], generated="2025-04-01T00:00:00+00:00", **kw)


def check_figures(s: dict, source: str = "fixture.csv") -> None:
    """Every figure of a summary against the hand-made expectations."""
    t = s["totals"]
    for k, v in EXPECTED_TOTALS.items():
        assert t[k] == v, k
    assert t["languages"] == {"nl": 8, "en": 2}
    cats = {c["category"]: c for c in s["categories"]}
    assert list(cats) == list(CATEGORIES)
    for c in CATEGORIES:
        exp = EXPECTED_CATEGORIES.get(c, (0, 0, 0.0, 0.0))
        got = cats[c]
        assert (got["findings"], got["replies"], got["share"], got["findings_per_100"]) == exp, c
    assert set(s["groups"]) == {"agent", "team", "channel"}
    for dim, exp_rows in EXPECTED_GROUPS.items():
        rows = {r["group"]: r for r in s["groups"][dim]}
        assert set(rows) == set(exp_rows), dim
        for name, (n, fl, share, f, p100, score, cats_) in exp_rows.items():
            r = rows[name]
            assert (r["replies"], r["replies_with_findings"], r["share_with_findings"], r["findings"],
                    r["findings_per_100"], r["score"]) == (n, fl, share, f, p100, score), (dim, name)
            assert r["categories"] == cats_, (dim, name)
    tr = s["trend"]
    assert tr["period"] == "week"
    assert tr["undated"] == 2
    assert [(p["period"], p["start"], p["replies"], p["replies_with_findings"], p["share_with_findings"],
             p["findings"], p["findings_per_100"], p["score"]) for p in tr["points"]] == EXPECTED_TREND
    assert [(r["rule"], r["category"], r["findings"], r["replies"]) for r in s["top_rules"]] == EXPECTED_RULES
    assert s["top_rules"][1]["message"] == "message of nl.blame.eigen-schuld"
    got_meta = [(m["field"], m["problem"], m["replies"], [loc["line"] for loc in m["locations"]])
                for m in s["metadata_issues"]]
    assert got_meta == EXPECTED_META
    assert {loc["source"] for m in s["metadata_issues"] for loc in m["locations"]} == {source}
    assert s["metadata_issues"][3]["locations"][0]["value"] == "gisteren"


# ----------------------------------------------------------------------------------------------
# aggregation
# ----------------------------------------------------------------------------------------------

def test_figures_against_hand_checked_input():
    s = fixture_summary()
    check_figures(s)
    assert s["report_lang"] == "nl"          # 8 Dutch replies, 2 English
    assert s["score"]["weights"]["blame"] == 30


def test_result_does_not_depend_on_split_or_order():
    results = fixture_results()
    parts = [Aggregator().add_all(results[i::3]) for i in range(3)]
    merged = Aggregator()
    for p in reversed(parts):
        merged.merge(pickle.loads(pickle.dumps(p)))   # as it comes back from a worker process
    whole = summarize(Aggregator().add_all(results), generated="x")
    split = summarize(merged, generated="x")
    assert whole == split
    check_figures(summarize(merged, inputs=["fixture.csv"], generated="x"))


def test_score_formula_floor_and_custom_weights(tmp_path):
    # r10 loses 125 points -> 0, not negative
    w = tmp_path / "w.yaml"
    w.write_text("brush-off: 50\nreadability: 0\n", encoding="utf-8")
    weights = load_weights(w)
    assert weights["brush-off"] == 50 and weights["readability"] == 0 and weights["blame"] == 30
    s = summarize(Aggregator(weights).add_all(fixture_results()), generated="x")
    # points: r1 50, r2 100, r3 55, r4 90, r5 100, r6 35, r7 100, r8 70, r9 100, r10 0 -> 700
    assert s["totals"]["score"] == 70.0
    assert s["score"]["weights"]["brush-off"] == 50
    # the same under report: weights: (a project config file)
    w2 = tmp_path / "cfg.yaml"
    w2.write_text("report:\n  weights:\n    brush-off: 50\n    readability: 0\n", encoding="utf-8")
    assert load_weights(w2) == weights
    bad = tmp_path / "bad.yaml"
    bad.write_text("rudeness: 10\n", encoding="utf-8")
    with pytest.raises(WeightsError, match="unknown category 'rudeness'"):
        load_weights(bad)
    bad.write_text("blame: lots\n", encoding="utf-8")
    with pytest.raises(WeightsError, match="number"):
        load_weights(bad)


def test_lang_filter():
    agg = Aggregator(lang="en").add_all(fixture_results())
    s = summarize(agg, generated="x")
    # r5 (clean) and r9 (readability x3, 95 points)
    assert (s["totals"]["replies"], s["totals"]["findings"], s["totals"]["score"]) == (2, 3, 97.5)
    assert s["totals"]["excluded"] == {"lang": 8}
    assert s["report_lang"] == "en"


def test_group_by_selection_and_monthly_trend():
    recs = fixture_records()
    # spread the dates over more than 120 days -> per month
    recs[0].meta["date"] = "2024-10-15"
    results = list(StubLinter().lint_records(recs))
    s = summarize(Aggregator().add_all(results), group_by=["team"], generated="x")
    assert list(s["groups"]) == ["team"]
    assert s["trend"]["period"] == "month"
    periods = [p["period"] for p in s["trend"]["points"]]
    # empty months in between are kept, so gaps show
    assert periods == ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    assert [p["replies"] for p in s["trend"]["points"]] == [1, 0, 0, 0, 0, 7]
    assert s["trend"]["points"][1]["score"] is None


def test_parse_date():
    assert parse_date("2025-03-05") == dt.date(2025, 3, 5)
    assert parse_date("2025-03-05T10:22:00Z") == dt.date(2025, 3, 5)
    assert parse_date("2025-03-05 10:22") == dt.date(2025, 3, 5)
    assert parse_date("05-03-2025") == dt.date(2025, 3, 5)
    for bad in ("gisteren", "2025-13-01", "32-13-2025", "", None, 12, "2025-03-05x"):
        assert parse_date(bad) is None, bad


def test_malformed_metadata_values_count_as_unknown():
    rec = Record("x", "Hoi!\nGroet", "in.jsonl", meta={"agent": {"name": "x"}, "team": "  ", "date": "2025-02-30"},
                 locator=LineLocator(7))
    agg = Aggregator().add_all(StubLinter().lint_records([rec]))
    s = summarize(agg, group_by=["agent", "team"], generated="x")
    assert [r["group"] for r in s["groups"]["agent"]] == ["unknown"]
    assert [r["group"] for r in s["groups"]["team"]] == ["unknown"]
    got = {(m["field"], m["problem"]): [f"{loc['source']}:{loc['line']}" for loc in m["locations"]]
           for m in s["metadata_issues"]}
    # no (usable) team or channel anywhere in the input: one note each, not a list of lines
    assert got == {("agent", "malformed"): ["in.jsonl:7"], ("team", "missing"): [],
                   ("channel", "missing"): [], ("date", "malformed"): ["in.jsonl:7"]}
    absent = {m["field"] for m in s["metadata_issues"] if m["absent_everywhere"]}
    assert absent == {"team", "channel"}


def test_memory_stays_bounded():
    agg = Aggregator()
    stub = StubLinter()
    recs = fixture_records()
    for n in range(300):
        for r in recs:
            agg.add(next(stub.lint_records([Record(f"{r.id}-{n}", r.text, r.source, r.lang, dict(r.meta),
                                                    r.locator)])))
    assert agg.total.replies == 3000
    assert all(len(pool) <= agg.examples_per_rule for pool in agg.examples.values())
    assert len(agg.issues) <= 4 * agg.max_issues
    assert len(pickle.dumps(agg)) < 60_000


# ----------------------------------------------------------------------------------------------
# examples and privacy
# ----------------------------------------------------------------------------------------------

def test_examples_highlight_mask_and_suggest():
    s = fixture_summary()
    ex = s["examples"]
    assert set(ex) == set(EXPECTED_CATEGORIES)
    b = ex["brush-off"]
    assert len(b) == 3
    assert {e["rule"] for e in b} == {"nl.brush-off.weet-niet", "nl.brush-off.geen-idee"}
    weet = [e for e in b if e["rule"] == "nl.brush-off.weet-niet"]
    assert all(e["match"] == "Dat weet ik niet" for e in weet)
    assert all(e["suggestions"] == ["Goede vraag, dat zoek ik voor u uit."] for e in weet)
    r1 = [e for e in b if e["reply_id"] == "r1"][0]
    full = r1["before"] + r1["match"] + r1["after"]
    assert "06-12345678" not in full and "jan.devries" not in full and "Jan" not in full
    assert full in ("Dat weet ik niet, bel [telefoon] of mail [e-mail].", "Dat weet ik niet, echt, [naam].")
    assert (r1["source"], r1["line"], r1["agent"], r1["channel"], r1["date"]) == \
        ("fixture.csv", 2, "Anna", "email", "2025-03-03")
    # English excerpts are masked with English labels
    rd = ex["readability"][0]
    assert rd["lang"] == "en"
    # masking can be switched off
    raw = summarize(Aggregator(mask=False).add_all(fixture_results()), generated="x")
    texts = " ".join(e["before"] + e["match"] + e["after"] for e in raw["examples"]["brush-off"])
    assert "06-12345678" in texts


def test_examples_are_not_repeated_for_canned_replies():
    text = "Beste Jan,\nDat weet ik niet.\nGroet"
    recs = [Record(f"c{i}", text, "canned.csv", "nl", {"agent": "Anna"}, LineLocator(i + 2)) for i in range(20)]
    recs.append(Record("other", "Beste Piet,\nTja. Dat weet ik niet, sorry.\nGroet", "canned.csv", "nl", {},
                       LineLocator(40)))
    parts = [Aggregator().add_all(StubLinter().lint_records(recs[i::2])) for i in range(2)]
    s = summarize(parts[0].merge(parts[1]), generated="x")
    texts = [e["before"] + e["match"] + e["after"] for e in s["examples"]["brush-off"]]
    assert sorted(texts) == ["Dat weet ik niet, sorry.", "Dat weet ik niet."]


@pytest.mark.parametrize("text, expected", [
    ("Mail jan.devries@example.nl of info@voorbeeld.co.uk.", "Mail [e-mail] of [e-mail]."),
    ("@105847 @sanne_b dank! Mail a@b.nl", "[gebruiker] [gebruiker] dank! Mail [e-mail]"),
    ("Bel 06-12345678, 06 1234 5678 of 0612345678.", "Bel [telefoon], [telefoon] of [telefoon]."),
    ("Bel 020-1234567 of (020) 123 4567.", "Bel [telefoon] of [telefoon]."),
    ("Bel +31 6 12345678 of +31 (0)20 123 4567.", "Bel [telefoon] of [telefoon]."),
    ("Bel 0031 6 1234 5678.", "Bel [telefoon]."),
    ("Call +44 20 7946 0958 or +1 (555) 123-4567.", "Call [telefoon] or [telefoon]."),
    ("Onze gratis lijn: 0800-0123.", "Onze gratis lijn: [telefoon]."),
    ("IBAN NL91 ABNA 0417 1643 00 en NL91ABNA0417164300.", "IBAN [IBAN] en [IBAN]."),
    ("IBAN DE89 3704 0044 0532 0130 00 en BE68539007547034.", "IBAN [IBAN] en [IBAN]."),
    ("Artikel AB12 CDEF GHIJ KLMN blijft.", "Artikel AB12 CDEF GHIJ KLMN blijft."),     # no valid IBAN
    ("Postcode 1234 AB 56 of 1234AB.", "Postcode [postcode] of [postcode]."),
    ("Kerkstraat 12, 1234 AB Amsterdam", "[adres], [postcode] Amsterdam"),
    ("Beste Jan de Vries,\nJan, dat klopt.", "Beste [naam],\n[naam], dat klopt."),
    ("Geachte heer De Vries,", "Geachte heer [naam],"),
    ("Beste mevrouw Van den Berg,", "Beste mevrouw [naam],"),
    ("Hoi Sanne!", "Hoi [naam]!"),
    ("Dag meneer Jansen,", "Dag meneer [naam],"),
    ("Beste klant,", "Beste klant,"),
    ("Goedemiddag,", "Goedemiddag,"),
    ("Beste {{ticket.requester.first_name}},", "Beste {{ticket.requester.first_name}},"),
    ("Op 05-03-2025 om 14:00, order 123456, in 2025 de beste.",
     "Op 05-03-2025 om 14:00, order 123456, in 2025 de beste."),
])
def test_masks(text, expected):
    assert privacy.mask(text, "nl") == expected


def test_masks_in_english():
    assert privacy.mask("Dear Mr. Carter, call +44 20 7946 0958.", "en") == "Dear Mr. [name], call [phone]."
    assert privacy.mask("Hi there,", "en") == "Hi there,"


def test_mask_keeps_highlight_in_place():
    text = "Bel 06-12345678 nu. Dat weet ik niet."
    start = text.index("Dat")
    masked, (s, e) = privacy.apply_masks(text, privacy.mask_spans(text), keep=(start, start + 16))
    assert masked == "Bel [telefoon] nu. Dat weet ik niet."
    assert masked[s:e] == "Dat weet ik niet"


def test_anonymized_agents():
    key = b"test-key"

    def expected(name):  # the documented construction: HMAC-SHA256(key, casefolded name)
        return "Agent " + hmac.new(key, name.casefold().encode(), hashlib.sha256).hexdigest()[:4]

    s = fixture_summary(anonymize_key=key)
    agents = {r["group"] for r in s["groups"]["agent"]}
    assert agents == {expected("Anna"), expected("Bram"), expected("Cas"), "unknown"}
    assert all(re.fullmatch(r"Agent [0-9a-f]{4}", a) for a in agents - {"unknown"})
    out = render_json(s) + render_markdown(s) + render_csv(s) + render_html(s)
    assert not re.search(r"\b(Anna|Bram|Cas)\b", out)       # not in tables, not in excerpts
    # stable: the same key gives the same pseudonyms in another report
    assert fixture_summary(anonymize_key=key)["groups"]["agent"] == s["groups"]["agent"]
    assert {r["group"] for r in fixture_summary(anonymize_key=b"other")["groups"]["agent"]} != agents


def test_pseudonym_collisions_are_lengthened():
    names = [f"agent{i}" for i in range(2000)]  # 2000 names in 65536 four-digit codes: collisions
    out = privacy.pseudonyms(names, b"k")
    assert len(set(out.values())) == len(names)


def test_anonymize_key_file(tmp_path, monkeypatch):
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    k1 = privacy.anonymize_key()
    assert (tmp_path / "replylint" / "anonymize.key").is_file()
    assert privacy.anonymize_key() == k1
    monkeypatch.setenv(privacy.KEY_ENV, "from-env")
    assert privacy.anonymize_key() == b"from-env"
    assert privacy.anonymize_key("explicit") == b"explicit"


# ----------------------------------------------------------------------------------------------
# formats: the same figures everywhere
# ----------------------------------------------------------------------------------------------

class _Tables(HTMLParser):
    """Collects <table id=...> cells and elements with id/data-value."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.values: dict[str, str] = {}
        self.attrs_by_id: dict[str, dict] = {}
        self._table = None
        self._row = None
        self._cell = None
        self.in_thead = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.attrs_by_id[a["id"]] = a
            if "data-value" in a:
                self.values[a["id"]] = a["data-value"]
        if tag == "table" and "id" in a:
            self._table = self.tables.setdefault(a["id"], [])
        elif tag == "thead":
            self.in_thead = True
        elif tag == "tbody":
            self.in_thead = False
        elif tag == "tr" and self._table is not None and not self.in_thead:
            self._row = []
            self._table.append(self._row)
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse_html(text):
    p = _Tables()
    p.feed(text)
    return p


def _fmt(x):
    return "–" if x is None else f"{x:.1f}" if isinstance(x, float) else str(x)


def check_html_figures(html_text: str, s: dict) -> None:
    p = _parse_html(html_text)
    t = s["totals"]
    assert p.values["figure-replies"] == str(t["replies"])
    assert p.values["figure-share"] == str(t["share_with_findings"])
    assert p.values["figure-score"] == str(t["score"])
    assert p.values["figure-per100"] == str(t["findings_per_100"])
    cats = {row[0]: row for row in p.tables["table-categories"]}
    for c in s["categories"]:
        if c["findings"]:
            assert cats[c["category"]][2:] == [_fmt(c["findings"]), _fmt(c["replies"]), _fmt(c["share"]),
                                              _fmt(c["findings_per_100"])]
        else:
            assert c["category"] not in cats
    for dim, rows in s["groups"].items():
        html_rows = {r[0]: r for r in p.tables[f"table-group-{dim}"]}
        for r in rows:
            assert html_rows[r["group"]][1:6] == [_fmt(r["replies"]), _fmt(r["share_with_findings"]),
                                                  _fmt(r["findings"]), _fmt(r["findings_per_100"]),
                                                  _fmt(r["score"])]
    trend = [r[:6] for r in p.tables["table-trend"]]
    assert trend == [[pt["period"], _fmt(pt["replies"]), _fmt(pt["share_with_findings"]), _fmt(pt["findings"]),
                      _fmt(pt["findings_per_100"]), _fmt(pt["score"])] for pt in s["trend"]["points"]]
    rules = [[r[0], r[1], r[3], r[4]] for r in p.tables["table-rules"]]
    assert rules == [[r["rule"], r["category"], str(r["findings"]), str(r["replies"])] for r in s["top_rules"]]


def test_html_has_the_figures_and_is_self_contained():
    s = fixture_summary()
    text = render_html(s)
    check_html_figures(text, s)
    # the script's data carries the same figures
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', text,
                                re.S).group(1))
    assert [c["findings_per_100"] for c in data["categories"]] == [c["findings_per_100"] for c in s["categories"]]
    # nothing is loaded from anywhere: no external resources, and a CSP that forbids them
    assert "default-src 'none'" in text
    assert not re.search(r"""<(script|img|link|iframe)[^>]+(src|href)=["']?(https?:)?//""", text, re.I)
    assert "<link" not in text
    assert "sourceMappingURL" not in text
    assert "Chart.js v4" in text
    assert len(text.encode()) < 400_000
    # English labels on request
    en = render_html(fixture_summary(report_lang="en"))
    assert "Quality score" in en and "Kwaliteitsscore" not in en
    assert "Kwaliteitsscore" in text


def test_markdown_csv_json_agree():
    s = fixture_summary()
    # JSON is the summary itself
    assert json.loads(render_json(s)) == json.loads(json.dumps(s))
    # CSV: every figure of the summary, one per row
    rows = list(csv.DictReader(io.StringIO(render_csv(s))))
    by = {(r["section"], r["dimension"], r["group"], r["category"], r["metric"]): r["value"] for r in rows}
    for k, v in EXPECTED_TOTALS.items():
        assert by[("totals", "", "", "", k)] == _csv(v)
    for c, (f, n, share, p100) in EXPECTED_CATEGORIES.items():
        assert [by[("category", "", "", c, m)] for m in ("findings", "replies", "share", "findings_per_100")] == \
            [_csv(f), _csv(n), _csv(share), _csv(p100)]
    for dim, exp_rows in EXPECTED_GROUPS.items():
        for name, (n, fl, share, f, p100, score, cats_) in exp_rows.items():
            got = [by[("group", dim, name, "", m)] for m in
                   ("replies", "replies_with_findings", "share_with_findings", "findings", "findings_per_100",
                    "score")]
            assert got == [_csv(x) for x in (n, fl, share, f, p100, score)], (dim, name)
            for c, k in cats_.items():
                assert by[("group", dim, name, c, "findings")] == str(k)
    for period, _, n, fl, share, f, p100, score in EXPECTED_TREND:
        assert [by[("trend", "week", period, "", m)] for m in ("replies", "findings", "score")] == \
            [_csv(n), _csv(f), _csv(score)]
    for rule, cat, f, n in EXPECTED_RULES:
        assert by[("rule", "", rule, cat, "findings")] == str(f)
    assert by[("metadata", "date", "malformed", "", "replies")] == "1"
    # Markdown: the same numbers in its tables
    md = render_markdown(s)
    assert "| Antwoorden gecontroleerd | 10 |" in md
    assert "| Antwoorden met bevindingen | 70.0% (7) |" in md
    assert "| Kwaliteitsscore | 74.5 |" in md
    assert "| Bevindingen per 100 antwoorden | 170.0 |" in md
    assert "| `brush-off` | Afschepen | 4 | 3 | 30.0 | 40.0 |" in md
    assert "| Anna | 3 | 66.7 | 3 | 100.0 | 81.7 |" in md
    assert "| Cas | 3 | 66.7 | 8 | 266.7 | 53.3 |" in md
    assert "| 2025-W10 | 3 | 66.7 | 4 | 133.3 | 76.7 |" in md
    assert "| `nl.blame.eigen-schuld` | blame | message of nl.blame.eigen-schuld | 3 | 3 |" in md
    assert "  - fixture.csv:21 (`gisteren`)" in md
    assert "**Dat weet ik niet**" in md
    assert "Beter: Goede vraag, dat zoek ik voor u uit." in md


def _csv(x):
    return f"{x:.1f}" if isinstance(x, float) else str(x)


# ----------------------------------------------------------------------------------------------
# the command, end to end (stub linter: hand-checked figures; real engine: it runs)
# ----------------------------------------------------------------------------------------------

class BrokenPackLinter(StubLinter):
    def __init__(self, config=None):
        from replylint.yamlpos import ConfigError

        raise ConfigError("rule x: broken on purpose", "packs/x.yaml", 3)


def test_jobs_config_error_exits_cleanly(tmp_path):
    """A pack error inside the worker processes ends the command with exit 2 (no hang)."""
    src = tmp_path / "many.jsonl"   # enough chunks to fill the pipe to the (dead) workers
    with open(src, "w", encoding="utf-8") as fh:
        for i in range(4000):
            fh.write(json.dumps({"id": f"m{i}", "text": FIXTURE[i % 10][5] * 3, "agent": "Anna"}) + "\n")
    code = ("import replylint.report.runner as r; r.DEFAULT_LINTER = 'test_report:BrokenPackLinter'; "
            "from replylint.report.__main__ import main; main()")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent),
                                                        str(Path(__file__).resolve().parent.parent)])}
    proc = subprocess.run([sys.executable, "-c", code, str(src), "--jobs", "2", "-o", str(tmp_path / "r.json")],
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2, proc.stderr
    assert "packs/x.yaml:3" in proc.stderr and "broken on purpose" in proc.stderr
    assert not (tmp_path / "r.json").exists()


def _app():
    import typer

    from replylint.report.cli import report

    app = typer.Typer()

    @app.callback()
    def main():  # a group, so that "report" is a subcommand as in replylint's CLI
        pass

    app.command("report")(report)
    return app


def _invoke(args):
    from typer.testing import CliRunner

    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # Click >= 8.2 always separates stderr
        runner = CliRunner()
    return runner.invoke(_app(), ["report", *args], catch_exceptions=False)


@pytest.fixture
def stub_linter(monkeypatch):
    from replylint.report import runner

    monkeypatch.setattr(runner, "DEFAULT_LINTER", f"{__name__}:StubLinter")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_figures_from_csv(tmp_path, stub_linter, jobs):
    src = write_fixture_csv(tmp_path / "replies.csv")
    out = tmp_path / "report.json"
    res = _invoke([str(src), "--out", str(out), "--jobs", jobs])
    assert res.exit_code == 0, res.stderr
    s = json.loads(out.read_text(encoding="utf-8"))
    check_figures(s, source=str(src))
    # bad metadata is reported on stderr with file:line, and never stops the report
    assert f"{src}:18: agent missing; counted as unknown" in res.stderr
    assert f"{src}:21: date malformed ('gisteren'); counted as unknown" in res.stderr


def test_cli_formats_by_extension_and_options(tmp_path, stub_linter):
    src = write_fixture_csv(tmp_path / "replies.csv")
    for ext in ("html", "md", "csv"):
        res = _invoke([str(src), "-o", str(tmp_path / f"r.{ext}"), "-q"])
        assert res.exit_code == 0, res.stderr
        assert res.stderr == ""
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "| Kwaliteitsscore | 74.5 |" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "totals,,,,score,74.5" in (tmp_path / "r.csv").read_text(encoding="utf-8")
    # --since/--until: only r4..r7 and r9 are dated inside; r8/r10 have no valid date
    res = _invoke([str(src), "--format", "json", "--since", "2025-03-10", "--until", "2025-03-19",
                   "--group-by", "team", "--report-lang", "en", "-q"])
    assert res.exit_code == 0, res.stderr
    s = json.loads(res.stdout)
    assert s["totals"]["replies"] == 4            # r4 r5 r6 r7
    assert s["totals"]["excluded"] == {"date": 4, "undated": 2}
    assert s["totals"]["score"] == 87.5          # (90 + 100 + 60 + 100) / 4
    assert list(s["groups"]) == ["team"] and s["report_lang"] == "en"
    # --lang filter, --weights, --anonymize-agents
    w = tmp_path / "w.yaml"
    w.write_text("readability: 0\n", encoding="utf-8")
    res = _invoke([str(src), "-f", "json", "--lang", "en", "--weights", str(w), "--anonymize-agents",
                   "--anonymize-key", "k", "-q"])
    s = json.loads(res.stdout)
    assert (s["totals"]["replies"], s["totals"]["score"]) == (2, 100.0)
    assert all(r["group"].startswith("Agent ") for r in s["groups"]["agent"])


def test_cli_usage_and_input_errors(tmp_path, stub_linter):
    src = write_fixture_csv(tmp_path / "replies.csv")
    assert _invoke([str(src), "--since", "yesterday"]).exit_code == 2
    assert _invoke([str(src), "--format", "pdf"]).exit_code == 2
    assert _invoke([str(src), "--group-by", "mood"]).exit_code == 2
    bad_w = tmp_path / "w.yaml"
    bad_w.write_text("rudeness: 3\n", encoding="utf-8")
    res = _invoke([str(src), "--weights", str(bad_w)])
    assert res.exit_code == 2 and "unknown category 'rudeness'" in res.stderr
    # an unreadable input and a broken JSONL line: reported, the report is still written, exit 2
    broken = tmp_path / "more.jsonl"
    broken.write_text('{"id": "j1", "text": "Beste Jan, Dat weet ik niet. Groet", "agent": "Anna"}\n{oops\n',
                      encoding="utf-8")
    out = tmp_path / "r.json"
    res = _invoke([str(src), str(broken), str(tmp_path / "missing.csv"), "-o", str(out), "-q"])
    assert res.exit_code == 2
    assert f"{broken}:2" in res.stderr and "missing.csv" in res.stderr
    s = json.loads(out.read_text(encoding="utf-8"))
    assert s["totals"]["replies"] == 11
    assert s["input_errors"]["count"] == 2


def test_progress_bar_only_on_a_terminal(tmp_path, stub_linter, capfd, monkeypatch):
    from rich.console import Console

    from replylint.report import runner
    from replylint.report.runner import RunOptions, run

    src = write_fixture_csv(tmp_path / "replies.csv")
    monkeypatch.setattr(runner, "_console", lambda: Console(stderr=True, force_terminal=True))
    run(RunOptions([str(src)]), progress=True)   # forced on: rich draws on stderr
    err = capfd.readouterr().err
    assert "replylint report" in err and "replies" in err
    # the CLI decides: stderr is not a terminal here -> nothing
    res = _invoke([str(src), "-o", str(tmp_path / "r.json")])
    assert "replylint report" not in res.stderr.replace("replylint report: wrote", "")


def test_real_engine_end_to_end(tmp_path):
    pytest.importorskip("replylint.engine")
    src = write_fixture_csv(tmp_path / "replies.csv")
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        res = _invoke([str(src), "-o", str(out), "--jobs", jobs, "-q"])
        assert res.exit_code == 0, res.stderr
        s = json.loads(out.read_text(encoding="utf-8"))
        s.pop("generated")
        outs[jobs] = s
    s = outs["1"]
    assert outs["1"] == outs["2"]
    assert s["totals"]["replies"] == 10
    assert {r["group"] for r in s["groups"]["agent"]} == {"Anna", "Bram", "Cas", "unknown"}
    assert [(m["field"], m["problem"], m["replies"]) for m in s["metadata_issues"]] == \
        [(f, p, n) for f, p, n, _ in EXPECTED_META]
    # the replies a trainer would flag are flagged by the shipped packs (once they exist)
    if s["totals"]["findings"]:
        assert s["totals"]["replies_with_findings"] >= 1


def test_example_data_report(tmp_path):
    """The committed sample data produces a report (the sample report in examples/ is made so)."""
    pytest.importorskip("replylint.engine")
    src = Path(__file__).resolve().parent.parent / "examples" / "report" / "replies.csv"
    out = tmp_path / "sample.json"
    res = _invoke([str(src), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.stderr
    s = json.loads(out.read_text(encoding="utf-8"))
    assert s["totals"]["replies"] == 60
    assert {m["field"] for m in s["metadata_issues"]} == {"agent", "date"}


# ----------------------------------------------------------------------------------------------
# in a real browser
# ----------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not installed (/usr/bin/chromium); `apt-get install -y chromium` "
           "(.ci/run installs it)")


def _chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
            "--window-size=1280,3200", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=180)


def _root_attrs(dom: str) -> dict:
    """Attributes of the <html> element as the scripts left them."""
    tag = re.search(r"<html[^>]*>", dom).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def _console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _render(tmp_path: Path, html_file: Path, fragment: str = ""):
    proc = _chromium(tmp_path, html_file.as_uri() + fragment, "--dump-dom", "--virtual-time-budget=5000")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, _console_messages(proc.stderr)


def _png_pixels(path: Path):
    """(width, height, rows of RGB(A) bytes) of a non-interlaced 8-bit PNG (Chromium's screenshots)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and interlace == 0
            bpp = {2: 3, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


@needs_chromium
def test_browser_detects_errors(tmp_path):
    """The checks below are not vacuous: a script error does show up."""
    bad = tmp_path / "bad.html"
    bad.write_text(render_html(fixture_summary()).replace("</main>", "<script>nope();</script></main>"),
                   encoding="utf-8")
    dom, console = _render(tmp_path, bad)
    assert any("nope is not defined" in c for c in console)
    assert "nope is not defined" in _root_attrs(dom)["data-js-errors"]


@needs_chromium
def test_browser_renders_report(tmp_path):
    s = fixture_summary()
    page = tmp_path / "report.html"
    page.write_text(render_html(s), encoding="utf-8")
    dom, console = _render(tmp_path, page)
    assert console == [], console                 # no errors, no CSP violations, no logging at all
    root = _root_attrs(dom)
    assert "data-js-errors" not in root and root["data-rendered"] == "true"
    p = _parse_html(dom)
    assert p.attrs_by_id["chart-categories"].get("data-rendered") == "true"
    assert p.attrs_by_id["chart-trend"].get("data-rendered") == "true"
    # the charts got the hand-checked numbers: findings per 100 per category (in category order)
    # and the weekly scores
    assert p.attrs_by_id["chart-categories"]["data-chart-values"] == "10,30,40,20,10,10,10,30,10"
    assert p.attrs_by_id["chart-categories"]["data-chart-labels"].split("|")[:3] == \
        ["Geen begroeting", "Schuld bij de klant", "Afschepen"]
    assert p.attrs_by_id["chart-trend"]["data-chart-values"] == "76.7,95,85"
    # and the tables, as the browser sees them after the scripts ran
    check_html_figures(dom, s)

    # sorting: a link can ask for the agent table sorted by score (column 5), lowest first
    dom, console = _render(tmp_path, page, "#sort=table-group-agent:5:asc")
    assert console == []
    agents = [r[0] for r in _parse_html(dom).tables["table-group-agent"]]
    assert agents == ["Cas", "Bram", "Anna", "unknown"]      # 53.3, 80.0, 81.7, 100.0
    dom, _ = _render(tmp_path, page, "#sort=table-group-agent:3:desc")      # by findings
    assert [r[0] for r in _parse_html(dom).tables["table-group-agent"]] == ["Cas", "Bram", "Anna", "unknown"]
    dom, _ = _render(tmp_path, page, "#sort=table-group-channel:0:asc")     # by name
    assert [r[0] for r in _parse_html(dom).tables["table-group-channel"]] == ["chat", "email", "unknown"]

    # a screenshot, kept in the test's tmp dir; the bar chart's blue is really painted
    shot = tmp_path / "report.png"
    proc = _chromium(tmp_path, page.as_uri(), f"--screenshot={shot}")
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    width, height, bpp, rows = _png_pixels(shot)
    assert (width, height) == (1280, 3200)
    blue = bytes((0x2F, 0x5F, 0xD0))
    painted = sum(row[i:i + 3] == blue for row in rows[:1200] for i in range(0, len(row), bpp))
    assert painted > 2000, painted
    print(f"screenshot: {shot}")


@needs_chromium
def test_browser_renders_cli_report_from_example_data(tmp_path):
    pytest.importorskip("replylint.engine")
    src = Path(__file__).resolve().parent.parent / "examples" / "report" / "replies.csv"
    page = tmp_path / "sample.html"
    res = _invoke([str(src), "-o", str(page), "-q", "--report-lang", "en"])
    assert res.exit_code == 0, res.stderr
    dom, console = _render(tmp_path, page)
    assert console == [], console
    root = _root_attrs(dom)
    assert "data-js-errors" not in root and root["data-rendered"] == "true"
    p = _parse_html(dom)
    assert p.values["figure-replies"] == "60"
    if "chart-categories" in p.attrs_by_id and json.loads(
            re.search(r'id="report-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S).group(1)
    )["categories"] and any(c["findings"] for c in json.loads(re.search(
            r'id="report-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S).group(1))["categories"]):
        assert p.attrs_by_id["chart-categories"].get("data-rendered") == "true"
    assert p.attrs_by_id["chart-trend"].get("data-rendered") == "true"
    proc = _chromium(tmp_path, page.as_uri(), f"--screenshot={tmp_path / 'sample.png'}")
    assert proc.returncode == 0 and (tmp_path / "sample.png").stat().st_size > 10_000
