#!/usr/bin/env python3
"""Benchmarks for `replylint check` (figures go in the README; not run by the test suite).

    python bench/lint_bench.py                 # all: throughput per format + cold start
    python bench/lint_bench.py --replies 10000 --runs 3
    python bench/lint_bench.py --only cold

Throughput is end to end, one process: `replylint check --format json FILE > /dev/null` on a
generated library (Dutch and English, good and bad replies with placeholders), measured as
wall-clock time of the whole command, best of --runs.  Cold start is process start to exit
for one draft, median of --runs, with a split of where the time goes (measured in one process
by timing each phase: imports, rule packs, NLP pipeline + rule compilation, linting, output).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NL_OPEN = ["Beste {{ticket.requester.first_name}},", "Hoi {naam},", "Geachte heer Jansen,", "Goedemiddag,",
           "Dag mevrouw De Vries,", ""]
NL_BODY = [
    "Bedankt voor uw bericht over de factuur van maart.",
    "Wat vervelend dat uw pakket nog niet is aangekomen.",
    "Ik heb het bedrag vandaag teruggestort; u ziet het binnen drie werkdagen op uw rekening.",
    "Dat weet ik niet, vraag het maar aan iemand anders.",
    "Dat is ons beleid, daar kunnen wij niets aan doen.",
    "U had de handleiding beter moeten lezen.",
    "De DNS-propagatie van uw MX-record kan 24 uur duren.",
    "Alle informatie staat op onze website.",
    "We nemen zo snel mogelijk contact met u op.",
    "Onze excuses voor het eventuele ongemak.",
    "Je bestelling #{ticket.id} is vandaag verstuurd en morgen in huis.",
    "Indien u vragen heeft, kunt u derhalve contact opnemen.",
    "Ik stuur je morgen vóór 12:00 een nieuwe pas.",
]
NL_CLOSE = ["Met vriendelijke groet,\nKarin\nEnergiedirect", "Groetjes,\nTijn", "Groet", ""]
EN_OPEN = ["Hi {{first_name}},", "Dear Mr. Carter,", "Hello,", ""]
EN_BODY = [
    "Thanks for reaching out about your order.",
    "I'm sorry to hear the delivery was late.",
    "I've refunded the shipping cost; you'll see it within 3 days.",
    "I don't know, ask someone else.",
    "It's company policy, rules are rules.",
    "Your SSO login fails because the IdP's SAML assertion is missing a claim.",
    "All the information is on our website.",
    "We'll get back to you shortly.",
    "Apologies for any inconvenience.",
    "Your replacement card ships today and arrives by Friday.",
]
EN_CLOSE = ["Best,\nMatt", "Kind regards,\nSupport", "Cheers", ""]


def make_reply(rng: random.Random) -> dict:
    if rng.random() < 0.7:
        opening, body, close, lang = NL_OPEN, NL_BODY, NL_CLOSE, "nl"
    else:
        opening, body, close, lang = EN_OPEN, EN_BODY, EN_CLOSE, "en"
    parts = [rng.choice(opening), " ".join(rng.sample(body, rng.randint(2, 4))), rng.choice(close)]
    return {"text": "\n\n".join(p for p in parts if p), "lang": lang}


def generate(n: int, out: Path, seed: int = 7) -> dict[str, Path]:
    rng = random.Random(seed)
    replies = [make_reply(rng) for _ in range(n)]
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    p = out / f"replies-{n}.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(replies):
            fh.write(json.dumps({"id": f"r{i}", "text": r["text"], "agent": f"agent{i % 17}"},
                                ensure_ascii=False) + "\n")
    files["jsonl"] = p
    p = out / f"replies-{n}.csv"
    with p.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "agent"])
        for i, r in enumerate(replies):
            w.writerow([f"r{i}", r["text"], f"agent{i % 17}"])
    files["csv"] = p
    p = out / f"zendesk-{n}.json"
    macros = []
    for i, r in enumerate(replies):
        value = r["text"] if i % 3 else "<p>" + r["text"].replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
        field = "comment_value" if i % 3 else "comment_value_html"
        macros.append({"id": 360000000000 + i, "title": f"Macro {i}", "active": True,
                       "actions": [{"field": "status", "value": "solved"}, {"field": field, "value": value}]})
    p.write_text(json.dumps({"macros": macros, "count": n, "next_page": None}, ensure_ascii=False), encoding="utf-8")
    files["zendesk"] = p
    return files


def replylint_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("replylint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "replylint.cli"]


def run(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    dt = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return dt


def throughput(n: int, runs: int, out: Path) -> None:
    files = generate(n, out)
    print(f"\nThroughput: `replylint check --format json FILE`, {n} generated replies, best of {runs}")
    print(f"{'format':10} {'seconds':>8} {'replies/s':>10}")
    for fmt, path in files.items():
        best = min(run(replylint_cmd() + ["check", "--isolated", "--format", "json", str(path)])
                   for _ in range(runs))
        print(f"{fmt:10} {best:8.2f} {n / best:10.0f}")


PHASES = r"""
import time, sys, io
t0 = time.perf_counter()
import typer, rich  # the CLI's own imports
t1 = time.perf_counter()
import spacy
t2 = time.perf_counter()
from replylint.config import Config
from replylint.engine import Linter
lin = Linter(Config())
t3 = time.perf_counter()
lin._lang_rules("nl")
t4 = time.perf_counter()
res = lin.lint("Dat weet ik niet, vraag het maar aan iemand anders.", "nl")
t5 = time.perf_counter()
from replylint.formatters import render
from replylint.results import RunResult, ReplyResult
from replylint.records import Record
render("text", RunResult([ReplyResult(Record("-", "x"), res, "nl")], [], lin.rules), out=io.StringIO(), color=False)
t6 = time.perf_counter()
print(f"{t1-t0:.3f} {t2-t1:.3f} {t3-t2:.3f} {t4-t3:.3f} {t5-t4:.3f} {t6-t5:.3f}")
"""


def cold(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.txt"
        draft.write_text("Dat weet ik niet, vraag het maar aan iemand anders.\n", encoding="utf-8")
        # warm the lexicon cache once (a first-ever run builds it; see README)
        run(replylint_cmd() + ["check", "--isolated", str(draft)])
        times = [run(replylint_cmd() + ["check", "--isolated", str(draft)]) for _ in range(runs)]
        bare = statistics.median(run([sys.executable, "-c", "pass"]) for _ in range(runs))
        phases = []
        for _ in range(runs):
            p = subprocess.run([sys.executable, "-c", PHASES], capture_output=True, text=True, check=True)
            phases.append([float(x) for x in p.stdout.split()])
        med = [statistics.median(col) for col in zip(*phases)]
    print(f"\nCold start: `replylint check draft.txt`, process start to exit, median of {runs}: "
          f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
    names = ["python interpreter start", "typer + rich import", "spaCy import",
             "rule packs load + validate", "spaCy blank('nl') + rule compilation (cached lexicon)",
             "lint one draft", "format output"]
    for name, v in zip(names, [bare] + med):
        print(f"  {name:55} {v:6.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replies", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["throughput", "cold"])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    if a.only in (None, "throughput"):
        throughput(a.replies, a.runs, a.out)
    if a.only in (None, "cold"):
        cold(max(a.runs, 5))


if __name__ == "__main__":
    main()
