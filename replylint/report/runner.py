"""Read, filter, lint and aggregate: the pipeline behind ``replylint report``.

With ``jobs == 1`` everything runs in this process.  With ``jobs > 1`` the parent reads the input
and hands chunks of records to N worker processes through a bounded queue (so a fast reader cannot
pile up the whole input in memory); each worker builds its own :class:`~replylint.engine.Linter`
once, lints its chunks, fills its own :class:`~replylint.report.aggregate.Aggregator`, and sends it
back at the end, where the parent merges them.  The figures do not depend on ``jobs``.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import queue
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..finding import InputError
from ..records import Record
from .aggregate import Aggregator, parse_date

#: Records per chunk sent to a worker process.
CHUNK_SIZE = 256
#: The linter class, as "module:attribute" so worker processes can import it themselves.
DEFAULT_LINTER = "replylint.engine:Linter"
#: Input errors kept for the report (all of them are counted and printed).
MAX_KEPT_ERRORS = 200


@dataclass
class ReportRun:
    """What a run produced: the merged aggregate and the input errors."""

    aggregator: Aggregator
    errors: list[InputError] = field(default_factory=list)
    error_count: int = 0
    replies_read: int = 0


@dataclass
class RunOptions:
    paths: Sequence[str]
    input_format: str | None = None
    text_column: str | None = None
    id_column: str | None = None
    config: Any = None                 # replylint.config.Config | None
    weights: dict[str, float] | None = None
    lang: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    mask: bool = True
    jobs: int = 1
    chunk_size: int = CHUNK_SIZE
    #: "module:attribute" of the linter class (the engine's; tests substitute a stub)
    linter: str = field(default_factory=lambda: DEFAULT_LINTER)


def _linter_class(spec: str):
    import importlib

    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def _agg_kwargs(opts: RunOptions) -> dict[str, Any]:
    return {"weights": opts.weights, "mask": opts.mask, "lang": opts.lang}


def _records(opts: RunOptions, parent: Aggregator, run: ReportRun,
             on_error: Callable[[InputError], None]) -> Iterator[Record]:
    """Records from the readers, input errors passed on, the --since/--until filter applied."""
    from ..readers import read_inputs

    for item in read_inputs(list(opts.paths), input_format=opts.input_format,
                            text_column=opts.text_column, id_column=opts.id_column):
        if isinstance(item, InputError):
            run.error_count += 1
            if len(run.errors) < MAX_KEPT_ERRORS:
                run.errors.append(item)
            on_error(item)
            continue
        run.replies_read += 1
        if opts.since or opts.until:
            day = parse_date((item.meta or {}).get("date"))
            if day is None:
                parent.excluded["undated"] += 1
                continue
            if (opts.since and day < opts.since) or (opts.until and day > opts.until):
                parent.excluded["date"] += 1
                continue
        yield item


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for r in records:
        chunk.append(r)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _console():
    from rich.console import Console

    return Console(stderr=True)


class _Progress:
    """A rich progress display on stderr, or nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                                       TextColumn, TimeElapsedColumn)

            self._progress = Progress(
                SpinnerColumn(), TextColumn("[bold]replylint report[/]"), BarColumn(pulse_style="cyan"),
                MofNCompleteColumn(), TextColumn("replies"),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                console=_console(), transient=True, refresh_per_second=5,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("lint", total=None, rate="")
        return self

    def advance(self, n: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)
            task = self._progress.tasks[0]
            if task.elapsed:
                self._progress.update(self._task, rate=f"{task.completed / task.elapsed:,.0f}/s")

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)


def run(opts: RunOptions, *, progress: bool = False,
        on_error: Callable[[InputError], None] = lambda e: None) -> ReportRun:
    parent = Aggregator(**_agg_kwargs(opts))
    result = ReportRun(parent)
    jobs = opts.jobs if opts.jobs and opts.jobs > 0 else (os.cpu_count() or 1)
    if jobs == 1:
        linter = _linter_class(opts.linter)(opts.config)
        parent.rules = linter.rules
        with _Progress(progress) as bar:
            for chunk in _chunks(_records(opts, parent, result, on_error), opts.chunk_size):
                parent.add_all(linter.lint_records(chunk))
                bar.advance(len(chunk))
        parent.rules = None
        return result
    _run_parallel(opts, jobs, parent, result, progress, on_error)
    return result


# --- parallel ---------------------------------------------------------------------------------

def _worker(linter_spec: str, config, agg_kwargs: dict, in_q, out_q) -> None:
    try:
        linter = _linter_class(linter_spec)(config)
        agg = Aggregator(**agg_kwargs, rules=linter.rules)
        while True:
            chunk = in_q.get()
            if chunk is None:
                break
            agg.add_all(linter.lint_records(chunk))
            out_q.put(("progress", len(chunk)))
        agg.rules = None
        out_q.put(("done", agg))
    except BaseException as e:  # noqa: BLE001 - report any failure to the parent, then stop
        from ..yamlpos import ConfigError

        if isinstance(e, ConfigError):
            out_q.put(("config-error", e))
        else:
            out_q.put(("error", traceback.format_exc()))


def _context():
    methods = mp.get_all_start_methods()
    # forkserver: workers start from a clean, single-threaded server (no inherited threads or
    # open files); spawn where it does not exist.
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_parallel(opts: RunOptions, jobs: int, parent: Aggregator, result: ReportRun,
                  progress: bool, on_error: Callable[[InputError], None]) -> None:
    ctx = _context()
    in_q = ctx.Queue(maxsize=jobs * 3)
    out_q = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(opts.linter, opts.config, _agg_kwargs(opts), in_q, out_q),
                         name=f"replylint-report-{i}", daemon=True) for i in range(jobs)]
    for p in procs:
        p.start()
    done: list[Aggregator] = []

    def handle(msg, bar) -> None:
        kind, payload = msg
        if kind == "progress":
            bar.advance(payload)
        elif kind == "done":
            done.append(payload)
        elif kind == "config-error":
            raise payload
        else:
            raise RuntimeError(f"a report worker failed:\n{payload}")

    def drain(bar, block: bool = False) -> None:
        while True:
            try:
                msg = out_q.get(timeout=0.2) if block else out_q.get_nowait()
            except queue.Empty:
                return
            handle(msg, bar)
            block = False

    def check_alive() -> None:
        for p in procs:
            if p.exitcode not in (None, 0):
                raise RuntimeError(f"report worker {p.name} died (exit code {p.exitcode})")

    def put(item, bar) -> None:
        while True:
            try:
                in_q.put(item, timeout=0.2)
                return
            except queue.Full:
                drain(bar)
                check_alive()

    ok = False
    try:
        with _Progress(progress) as bar:
            for chunk in _chunks(_records(opts, parent, result, on_error), opts.chunk_size):
                put(chunk, bar)
                drain(bar)
            for _ in procs:
                put(None, bar)
            while len(done) < len(procs):
                drain(bar, block=True)
                if len(done) < len(procs):
                    # a worker that exited cleanly has already queued its result; only a crash counts
                    check_alive()
        ok = True
    finally:
        if not ok:
            # stop the other workers, and do not wait at exit for queued chunks nobody will read
            for q in (in_q, out_q):
                q.cancel_join_thread()
            for p in procs:
                if p.is_alive():
                    p.terminate()
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)
    for agg in done:
        parent.merge(agg)
