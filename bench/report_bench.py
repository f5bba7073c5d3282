#!/usr/bin/env python3
"""Benchmark ``replylint report``: time and peak memory for generated inputs.

    python bench/report_bench.py                      # 100,000 and 1,000,000 replies, --jobs 1 and 2
    python bench/report_bench.py --sizes 20000 --jobs 1 2 4

For every size it writes ``bench/out/replies-<n>.jsonl`` (one reply per line with agent, team,
channel and date; a realistic mix of good and bad Dutch and English replies with varying names,
numbers and dates, so nothing is an exact repeat) and runs

    python -m replylint.report bench/out/replies-<n>.jsonl --format json --out ... --jobs J --quiet

measuring the wall time and the peak resident memory: of the largest single process
(its VmHWM) and of the whole process tree summed (VmRSS; with --jobs N that is the parent, the
forkserver and N workers), both sampled from /proc every 0.1 s, plus the summed PSS (shared
pages counted once).  The 1-minute load average before
each run is recorded too: on a shared machine other processes skew the timings.
Results go to stdout as a Markdown table and to ``bench/out/report_bench-<linter>.json``.

``--linter phrase`` swaps the engine for a stand-in that only looks for a few fixed phrases, to
measure the report's own part (reading, aggregation, rendering) without the NLP.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

FIRST = ["Jan", "Sanne", "Kees", "Fatima", "Mohammed", "Emma", "Lucas", "Anna", "Daan", "Sophie", "Noah",
         "Julia", "Sarah", "Mark", "Ahmed", "Laura", "Tom", "Eva"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "El Amrani",
        "Yilmaz", "van Dijk", "Bos", "Carter", "Evans"]

NL = [
    "Beste {name},\n\nBedankt voor uw bericht. Wat vervelend dat uw pakket nog niet is aangekomen. Ik heb het "
    "nagevraagd: het wordt morgen vóór 17:00 bezorgd. U ontvangt vanavond een e-mail met de track-en-tracecode "
    "{code}.\n\nHeeft u nog vragen? Dan help ik u graag.\n\nMet vriendelijke groet,\n{agent}",
    "Hoi {first}!\n\nFijn dat je contact opneemt. Ik heb het verschil van € {amount} vandaag teruggestort; je "
    "ziet het binnen drie werkdagen op je rekening.\n\nGroetjes,\n{agent}",
    "Goedemiddag {title} {last},\n\nHet spijt me te horen dat de wasmachine niet meer start. Ik heb een monteur "
    "voor u ingepland op {day} tussen 8:00 en 12:00.\n\nIk wens u een fijne dag!\n{agent}",
    "Dat is niet mogelijk.",
    "Beste klant,\n\nDat weet ik niet. Daar ga ik niet over.\n\nMvg",
    "Geachte {title} {last},\n\nU heeft de kabel verkeerd om gedraaid. Dat is uw eigen schuld. Bel ons op "
    "06-{phone} als u er niet uitkomt.",
    "Beste {title} {last},\n\nDat is ons beleid. Volgens de regels kunnen wij hier niets aan doen.\n\nMet "
    "vriendelijke groet",
    "Hoi,\n\nZoals ik eerder al schreef, het is echt heel eenvoudig. U kunt de oplossing op onze website vinden.",
    "Beste {name},\n\nHelaas kunnen wij uw bestelling {code} niet wijzigen. U dient eerst te betalen. Wij nemen "
    "t.z.t. contact met u op.",
    "Goedemorgen,\n\nIndien u het formulier niet heeft ontvangen, gelieve dit te melden middels het "
    "contactformulier. Derhalve kunnen wij uw aanvraag m.b.t. de KYC-check nog niet afronden.",
    "Beste {first},\n\nDank voor uw mail. Je pakket is onderweg. Belt u hiervoor even met onze klantenservice.",
    "Beste {title} {last},\n\nIk zet u door naar de buitendienst, wilt u uw verhaal daar opnieuw doen?",
    "Beste {title} {last},\n\nHet MX-record is aangepast, de DNS-propagatie kan even duren. Het ticket is "
    "gemerged met de 3rd line.\n\nGroet",
]
EN = [
    "Hi {first},\n\nThanks for reaching out, and I'm sorry to hear your order {code} arrived damaged. I've sent a "
    "replacement today; it will arrive by {day}.\n\nLet me know if there's anything else I can do!\n{agent}",
    "Dear {title_en} {last},\n\nThank you for your patience. I've reset your account and you can log in again "
    "right away. I'll follow up on {day} to check that everything works.\n\nKind regards,\n{agent}",
    "That's not possible.",
    "Hi,\n\nI don't know. Not my department. It's company policy.",
    "Dear Customer,\n\nAs I mentioned before, it's not rocket science. The answer is on our website.",
    "Hi,\n\nApologies for the trouble. We will look into it shortly. Our SSO had a latency spike.",
]
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"]


def generate(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    agents = [(f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}", f"Team {i % 12 + 1}") for i in range(200)]
    channels = ["email", "chat", "social", "phone-note"]
    start = 738_000  # 2021-07-24 as an ordinal; one year of dates
    import datetime as dt

    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for i in range(n):
            agent, team = agents[rnd.randrange(len(agents))]
            en = rnd.random() < 0.3
            tpl = rnd.choice(EN if en else NL)
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            text = tpl.format(
                name=f"{first} {last}", first=first, last=last, agent=agent.split()[0],
                title=rnd.choice(["meneer", "mevrouw"]), title_en=rnd.choice(["Mr.", "Ms."]),
                code=f"3S{rnd.randrange(10**9):09d}", amount=f"{rnd.randrange(1, 200)},{rnd.randrange(100):02d}",
                phone=f"{rnd.randrange(10**8):08d}", day=rnd.choice(DAYS if not en else ["Monday", "Friday"]),
            )
            date = dt.date.fromordinal(start + rnd.randrange(365)).isoformat()
            rec = {"id": f"t{i}", "text": text, "agent": agent, "team": team,
                   "channel": rnd.choice(channels), "date": f"{date}T{rnd.randrange(8, 18):02d}:00:00"}
            if i % 5000 == 17:
                rec["date"] = "onbekend"          # some bad metadata, as in real exports
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants (workers of the forkserver included)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError, IndexError):
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().decode("ascii", "replace").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class PhraseLinter:
    """A stand-in for the engine that only looks for a few phrases (no NLP): with ``--linter
    phrase`` the benchmark measures reading + aggregation + rendering alone."""

    PHRASES = {"Dat weet ik niet": ("nl.brush-off.weet-niet", "brush-off"),
               "ons beleid": ("nl.policy.beleid", "policy"),
               "eigen schuld": ("nl.blame.eigen-schuld", "blame"),
               "MX-record": ("nl.jargon.x", "jargon"),
               "I don't know": ("en.brush-off.dont-know", "brush-off"),
               "company policy": ("en.policy.policy", "policy")}

    def __init__(self, config=None):
        self.rules = {}

    def lint_records(self, records):
        from replylint.finding import Finding, Severity
        from replylint.results import ReplyResult

        for rec in records:
            out = []
            for phrase, (rule, cat) in self.PHRASES.items():
                i = rec.text.find(phrase)
                if i >= 0:
                    out.append(Finding(rule, cat, Severity.WARNING, rule, i, i + len(phrase), phrase,
                                       ("Dat zoek ik voor u uit.",), reply_id=rec.id, source=rec.source))
            yield ReplyResult(rec, out, rec.lang or "nl")


def run_report(src: Path, jobs: int, linter: str = "engine") -> dict:
    out = OUT / f"{src.stem}-jobs{jobs}-{linter}.json"
    args = [str(src), "--format", "json", "--out", str(out), "--jobs", str(jobs), "--quiet"]
    if linter == "engine":
        cmd = [sys.executable, "-m", "replylint.report", *args]
    else:
        cmd = [sys.executable, "-c", "import sys, replylint.report.runner as r; "
               "r.DEFAULT_LINTER = 'report_bench:PhraseLinter'; "
               "from replylint.report.__main__ import main; main()", *args]
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
           # a private lexicon cache, warmed below: a cold or foreign cache costs a transient
           # ~150 MB and some seconds, which is not what this benchmark measures
           "REPLYLINT_CACHE_DIR": str(OUT / "lexicon-cache")}
    if linter == "engine":
        warm = OUT / "warm.jsonl"
        with open(src, encoding="utf-8") as fin, open(warm, "w", encoding="utf-8") as fout:
            for _, line in zip(range(200), fin):
                fout.write(line)
        subprocess.run([sys.executable, "-m", "replylint.report", str(warm), "-f", "json", "-o", os.devnull,
                        "-q"], cwd=ROOT, env=env, check=False)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    peak_total = 0
    peak_pss = 0
    hwm: dict[int, int] = {}
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample():
        nonlocal peak_total, peak_pss
        while not stop.is_set():
            total = pss = 0
            for pid in _tree(proc.pid):
                total += _status_kb(pid, "VmRSS:")
                pss += _pss_kb(pid)
                hwm[pid] = max(hwm.get(pid, 0), _status_kb(pid, "VmHWM:"))
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_seconds(pid))
            peak_total = max(peak_total, total)
            peak_pss = max(peak_pss, pss)
            stop.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    elapsed = time.perf_counter() - t0
    stop.set()
    th.join()
    summary = json.loads(out.read_text(encoding="utf-8")) if rc in (0, 2) and out.exists() else {}
    replies = summary.get("totals", {}).get("replies", 0)
    return {
        "replies": replies, "linter": linter,
        "jobs": jobs, "exit_code": rc, "seconds": round(elapsed, 1),
        "replies_per_second": round(replies / elapsed) if elapsed else None,
        "max_rss_largest_process_mb": round(max(hwm.values(), default=0) / 1024, 1),
        "peak_rss_all_processes_mb": round(peak_total / 1024, 1),
        "peak_pss_all_processes_mb": round(peak_pss / 1024, 1),
        "cpu_seconds_sampled": round(sum(cpu.values()), 1),
        "loadavg_before": round(load_before, 2),
        "score": summary.get("totals", {}).get("score"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--linter", choices=["engine", "phrase"], default="engine",
                    help="engine: the real linter; phrase: a few fixed phrases, no NLP (measures the "
                         "report pipeline alone)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        src = OUT / f"replies-{n}.jsonl"
        if not src.exists():
            t0 = time.perf_counter()
            generate(src, n)
            print(f"generated {src} ({src.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f}s",
                  file=sys.stderr)
        for jobs in args.jobs:
            res = json.loads(subprocess.run(
                [sys.executable, __file__, "--_one", str(src), str(jobs), args.linter], check=True,
                capture_output=True, text=True).stdout)
            rows.append({"size": n, **res})
            print(json.dumps(rows[-1]), file=sys.stderr)
    (OUT / f"report_bench-{args.linter}.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"linter: {args.linter}\n")
    print("| replies | jobs | time (s) | replies/s | peak RSS, largest process (MB) | peak RSS, all processes (MB) "
          "| peak PSS, all processes (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    base = {}
    for r in rows:
        base.setdefault(r["size"], r["seconds"])
        print(f"| {r['size']:,} | {r['jobs']} | {r['seconds']} | {r['replies_per_second']:,} | "
              f"{r['max_rss_largest_process_mb']} | {r['peak_rss_all_processes_mb']} | "
              f"{r['peak_pss_all_processes_mb']} |")
    for size in base:
        one = [r for r in rows if r["size"] == size and r["jobs"] == 1]
        for r in rows:
            if one and r["size"] == size and r["jobs"] > 1:
                print(f"\nspeed-up at {size:,} replies with --jobs {r['jobs']}: "
                      f"{one[0]['seconds'] / r['seconds']:.2f}x")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--_one":
        print(json.dumps(run_report(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])))
    else:
        main()
