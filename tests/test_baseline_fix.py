"""`replylint baseline create` / `check --baseline`, and `--fix` / `--unsafe-fixes` / `--diff`,
through the real CLI."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replylint.cli import app

ROOT = Path(__file__).resolve().parents[1]
NL_PACK = ROOT / "rules" / "nl"

GOOD = ("Beste meneer Jansen,\n\nDank u voor uw bericht. Ik heb vandaag een nieuwe broek voor u "
        "verzonden; u ontvangt hem morgen.\n\nHeeft u nog vragen? Laat het me gerust weten.\n\n"
        "Met vriendelijke groet,\nSanne\n")
# two safe fixes (readability: 'derhalve' -> 'daarom', 'Indien' -> 'Als'), otherwise clean
STIFF = ("Beste klant,\n\nDank voor uw bericht. Wij sturen derhalve vandaag een nieuwe, die u morgen "
         "ontvangt.\nIndien u nog vragen heeft, laat het me gerust weten.\n\n"
         "Met vriendelijke groet,\nSanne\n")
STIFF_FIXED = STIFF.replace("derhalve", "daarom").replace("Indien", "Als")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / ".replylint.yaml").write_text(f"default_packs: false\npacks: [{NL_PACK}]\n",
                                              encoding="utf-8")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def jl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


# ----------------------------------------------------------------------------------- baseline

@pytest.fixture
def library(tmp_path) -> Path:
    lib = tmp_path / "library"
    write(lib / "a.txt", "Hoi,\n\nDat weet ik niet.\n")
    write(lib / "good.txt", GOOD)
    write(lib / "macros.jsonl", jl(
        {"id": "m1", "text": "Beste klant, dank voor uw bericht. Dat weet ik niet."},
        {"id": "m2", "text": GOOD},
        {"id": "m3", "text": "Volgens ons beleid kan dat niet."}))
    return lib


def test_baseline_then_check_passes(library):
    before = run("check", "-f", "json", "library")
    assert before.exit_code == 1
    n = len(findings(before))
    r = run("baseline", "create", "library", "-o", "base.json")
    assert r.exit_code == 0, r.stderr
    assert f"wrote {n} findings to base.json" in r.stderr
    data = json.loads(Path("base.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert sum(e["count"] for e in data["findings"]) == n
    assert {e["source"] for e in data["findings"]} == {"library/a.txt", "library/macros.jsonl"}
    after = run("check", "--baseline", "base.json", "-f", "json", "library")
    assert after.exit_code == 0, after.stdout
    assert findings(after) == []


def test_new_bad_reply_fails_with_only_the_new_finding(library):
    assert run("baseline", "create", "library", "-o", "base.json").exit_code == 0
    with (library / "macros.jsonl").open("a", encoding="utf-8") as f:
        f.write(jl({"id": "m4", "text": GOOD.replace("Ik heb vandaag", "Geen idee. Ik heb vandaag")}))
    r = run("check", "--baseline", "base.json", "-f", "json", "library")
    assert r.exit_code == 1
    new = findings(r)
    assert [(f["reply_id"], f["rule"], f["line"]) for f in new] == [("m4", "nl.brush-off.weet-niet", 4)]


def test_same_phrase_added_to_a_baselined_reply_is_new(library):
    assert run("baseline", "create", "library", "-o", "base.json").exit_code == 0
    a = library / "a.txt"
    a.write_text(a.read_text(encoding="utf-8") + "En verder: dat weet ik niet.\n", encoding="utf-8")
    r = run("check", "--baseline", "base.json", "-f", "json", "library")
    assert r.exit_code == 1
    assert [(f["rule"], f["line"]) for f in findings(r)] == [("nl.brush-off.weet-niet", 4)]


def test_edits_elsewhere_do_not_resurrect_old_findings(library):
    assert run("baseline", "create", "library", "-o", "base.json").exit_code == 0
    # shift every line of the library files, reword the first line of a reply whose
    # whole-reply findings (missing greeting/acknowledgement) are baselined
    a = library / "a.txt"
    a.write_text("\n\n\n" + a.read_text(encoding="utf-8").replace("Hoi,", "Hallo daar,"),
                 encoding="utf-8")
    lines = (library / "macros.jsonl").read_text(encoding="utf-8").splitlines(True)
    lines[0] = lines[0].replace("Beste klant, dank", "Beste klant, hartelijk dank")
    (library / "macros.jsonl").write_text("\n\n" + lines[2] + lines[1] + lines[0], encoding="utf-8")
    shifted = run("check", "-f", "json", "library")
    assert {f["line"] for f in findings(shifted) if f["reply_id"] == "m1"} == {5}
    r = run("check", "--baseline", "base.json", "-f", "json", "library")
    assert r.exit_code == 0, r.stdout
    assert findings(r) == []


def test_baseline_is_independent_of_working_directory(library, tmp_path, monkeypatch):
    assert run("baseline", "create", "library", "-o", "library/.baseline.json").exit_code == 0
    monkeypatch.chdir(library)
    r = run("check", "--config", tmp_path / ".replylint.yaml", "--baseline", ".baseline.json", ".")
    assert r.exit_code == 0, r.stdout
    assert "input error" not in r.stdout  # the baseline inside the library is not linted


def test_bad_baseline_is_exit_2(library):
    Path("base.json").write_text('{"findings": [', encoding="utf-8")
    r = run("check", "--baseline", "base.json", "library")
    assert r.exit_code == 2
    assert r.stderr.startswith("replylint: base.json:1:")
    assert "not valid JSON" in r.stderr and r.stdout == ""
    r = run("check", "--baseline", "missing.json", "library")
    assert r.exit_code == 2 and "cannot read baseline" in r.stderr


# -------------------------------------------------------------------------------------- fixes

def test_diff_prints_unified_diff_and_writes_nothing(tmp_path):
    p = write(tmp_path / "draft.txt", STIFF)
    before = p.read_bytes()
    mtime = p.stat().st_mtime_ns
    r = run("check", "--diff", "draft.txt")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[:2] == ["--- a/draft.txt", "+++ b/draft.txt"]
    assert "-Dank voor uw bericht. Wij sturen derhalve vandaag" in r.stdout
    assert "+Dank voor uw bericht. Wij sturen daarom vandaag" in r.stdout
    assert "+Als u nog vragen heeft" in r.stdout
    assert p.read_bytes() == before and p.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(tmp_path)) == [".replylint.yaml", "draft.txt"]


def test_diff_without_fixes_is_empty_and_exit_0(tmp_path):
    write(tmp_path / "good.txt", GOOD)
    r = run("check", "--diff", "good.txt")
    assert r.exit_code == 0 and r.stdout == ""


def test_fix_rewrites_text_file_and_reports_what_is_left(tmp_path):
    text = ("Beste klant,\n\nDank voor uw bericht. Indien u het vraagt: dat weet ik niet.\n\n"
            "Met vriendelijke groet,\nSanne\n")
    p = write(tmp_path / "draft.txt", text)
    before = findings(run("check", "-f", "json", "draft.txt"))
    assert [(f["line"], f["column"]) for f in before if f["rule"] == "nl.brush-off.weet-niet"] == [(3, 48)]
    r = run("check", "--fix", "-f", "json", "draft.txt")
    assert p.read_text(encoding="utf-8") == text.replace("Indien", "Als")
    assert "fixed 1 file(s)" in r.stderr
    left = findings(r)
    assert [f for f in left if f["category"] == "readability"] == []
    weet = [f for f in left if f["rule"] == "nl.brush-off.weet-niet"]
    # placed in the fixed text: three characters further left
    assert [(f["line"], f["column"], f["start"]) for f in weet] == [(3, 45, 58)]
    assert r.exit_code == 1
    again = run("check", "--fix", "draft.txt")
    assert "fixed" not in again.stderr
    assert p.read_text(encoding="utf-8") == text.replace("Indien", "Als")


def test_fix_keeps_crlf_bom_and_mode(tmp_path):
    raw = ("\ufeff" + STIFF.replace("\n", "\r\n")).encode("utf-8")
    p = write(tmp_path / "draft.md", raw)
    os.chmod(p, 0o640)
    r = run("check", "--fix", "draft.md")
    assert r.exit_code == 0, r.stdout
    assert p.read_bytes() == ("\ufeff" + STIFF_FIXED.replace("\n", "\r\n")).encode("utf-8")
    assert p.stat().st_mode & 0o777 == 0o640


def test_fix_never_touches_jsonl_csv_or_exports(tmp_path):
    files = {
        "lib.jsonl": jl({"id": "x", "text": STIFF}),
        "lib.csv": "id,text\nx,\"" + STIFF + "\"\n",
        "zendesk.json": json.dumps({"macros": [{"id": 1, "title": "t", "actions": [
            {"field": "comment_value", "value": STIFF}]}]}),
    }
    for name, text in files.items():
        write(tmp_path / name, text)
    stamp = {n: ((tmp_path / n).read_bytes(), (tmp_path / n).stat().st_mtime_ns) for n in files}
    r = run("check", "--fix", "--unsafe-fixes", "-f", "json", *files)
    assert r.exit_code == 0
    fixable = [f for f in findings(r) if f["fix"]]
    assert len(fixable) == 6  # reported, not applied
    for n in files:
        assert ((tmp_path / n).read_bytes(), (tmp_path / n).stat().st_mtime_ns) == stamp[n]
    assert "fixed" not in r.stderr


def test_failed_write_leaves_file_byte_identical(tmp_path, monkeypatch):
    p = write(tmp_path / "draft.txt", STIFF)
    before = p.read_bytes()

    def boom(src, dst):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("replylint.api.os.replace", boom)
    r = run("check", "--fix", "draft.txt")
    assert r.exit_code == 2
    assert "draft.txt" in r.stdout + r.stderr
    assert "cannot write fix: Permission denied; file left unchanged" in r.stdout + r.stderr
    assert p.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [".replylint.yaml", "draft.txt"]  # no temp file left


def test_file_changed_while_linting_is_not_touched(tmp_path, monkeypatch):
    p = write(tmp_path / "draft.txt", STIFF)
    import replylint.api as api
    real = api.apply_fixes

    def edit_meanwhile(text, found, unsafe):
        p.write_text(STIFF + "Nog een regel van een collega.\n", encoding="utf-8")
        return real(text, found, unsafe)
    monkeypatch.setattr(api, "apply_fixes", edit_meanwhile)
    r = run("check", "--fix", "draft.txt")
    assert r.exit_code == 2
    assert "changed while linting; not fixed" in r.stdout + r.stderr
    assert p.read_text(encoding="utf-8") == STIFF + "Nog een regel van een collega.\n"


def test_unsafe_fixes_only_with_unsafe_flag(tmp_path):
    write(tmp_path / "team" / "pack.yaml", "name: team\nlanguage: nl\nversion: 1.0.0\n")
    write(tmp_path / "team" / "toon.yaml",
          "rules:\n  helaas:\n    kind: existence\n    category: negative-language\n"
          "    severity: warning\n    message: \"'{match}' klinkt negatief.\"\n"
          "    patterns: [=helaas]\n    suggestions: [Jammer genoeg]\n    fix: unsafe\n"
          "  indien:\n    kind: existence\n    category: readability\n    severity: info\n"
          "    message: stijf\n    patterns: [=indien]\n    suggestions: [Als]\n    fix: safe\n")
    text = "Helaas is het op. Indien u wilt, bel me.\n"
    p = write(tmp_path / "d.txt", text)
    args = ["--isolated", "--pack", "team", "--select", "team", "d.txt"]
    run("check", "--fix", *args)
    assert p.read_text(encoding="utf-8") == "Helaas is het op. Als u wilt, bel me.\n"
    d = run("check", "--diff", "--unsafe-fixes", *args)
    assert "+Jammer genoeg is het op. Als u wilt, bel me." in d.stdout
    assert p.read_text(encoding="utf-8") == "Helaas is het op. Als u wilt, bel me.\n"
    r = run("check", "--unsafe-fixes", *args)
    assert r.exit_code == 0
    assert p.read_text(encoding="utf-8") == "Jammer genoeg is het op. Als u wilt, bel me.\n"


def test_fix_and_baseline_together(tmp_path):
    text = ("Beste klant,\n\nDank voor uw bericht. Indien u het vraagt: dat weet ik niet.\n\n"
            "Met vriendelijke groet,\nSanne\n")
    p = write(tmp_path / "lib" / "draft.txt", text)
    assert run("baseline", "create", "lib", "-o", "base.json").exit_code == 0
    assert "nl.brush-off.weet-niet" in Path("base.json").read_text(encoding="utf-8")
    r = run("check", "--fix", "--baseline", "base.json", "-f", "json", "lib")
    assert p.read_text(encoding="utf-8") == text.replace("Indien", "Als")
    assert r.exit_code == 0, r.stdout
    assert findings(r) == []


def test_atomic_write_new_file_follows_umask_existing_file_keeps_mode(tmp_path):
    import os
    import stat

    from replylint.api import atomic_write
    umask = os.umask(0o022)
    try:
        new = tmp_path / "report.sarif"
        atomic_write(new, "{}")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not mkstemp's private 0600
        assert new.read_text(encoding="utf-8") == "{}"
        kept = tmp_path / "draft.txt"
        kept.write_text("x", encoding="utf-8")
        kept.chmod(0o600)
        atomic_write(kept, "y")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    finally:
        os.umask(umask)
