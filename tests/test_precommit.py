"""The `.pre-commit-hooks.yaml` of this repository, run by the real `pre-commit try-repo` on a
temporary git repository of canned responses.

pre-commit installs replylint from this repository's committed HEAD into its own virtualenv
(``language: python``), so this test needs network access to PyPI (or a configured index)
and takes a while the first time; later runs reuse pre-commit's cached environment.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pre_commit() -> list[str] | None:
    exe = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if Path(exe).exists():
        return [exe]
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pre_commit"]


PRE_COMMIT = _pre_commit()


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def make_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    for name, text in files.items():
        p = path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "library")
    return path


GOOD_NL = ("Beste mevrouw De Vries,\n\nDank u wel voor uw bericht, en wat vervelend dat uw pakket nog "
           "niet is aangekomen. Ik heb het nagevraagd: het wordt morgen vóór 17.00 uur bij u bezorgd, "
           "en ik stuur u vanmiddag de nieuwe track-en-tracecode.\n\nHeeft u nog vragen? Laat het me "
           "gerust weten.\n\nMet vriendelijke groet,\nSanne\n")
GOOD_EN = ("Hi Priya,\n\nThanks for getting in touch, and I'm sorry the charger stopped working. I've "
           "sent a replacement by express post today; it will arrive tomorrow before noon.\n\n"
           "Let me know if there's anything else I can do for you.\n\nBest regards,\nTom\n")


def library(bad: bool) -> dict[str, str]:
    replies = [{"id": "en-1", "text": GOOD_EN}]
    if bad:
        replies.append({"id": "nl-2", "text": GOOD_NL.replace(
            "Ik heb het nagevraagd", "Dat weet ik niet, daar ga ik niet over. Ik heb het nagevraagd")})
    return {
        "library/welkom.txt": GOOD_NL,
        "library/macros.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in replies),
        # not replies: the hook must leave these alone
        ".pre-commit-config.yaml": "repos: []\n",
        "README.md": "# Our canned responses\n\nDat weet ik niet.\n",
    }


def test_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for h in hooks}["replylint"]
    assert hook["language"] == "python"
    assert hook["entry"] == "replylint check"
    import re
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("library/a.txt", "library/a.md", "m.jsonl", "r.csv", "zendesk.json", "macros.yaml",
                 "macros.yml"):
        assert files.search(name) and not exclude.search(name), name
    for name in (".pre-commit-config.yaml", ".replylint.yaml", ".github/workflows/ci.yml",
                 "package.json", "README.md", "setup.py", "pyproject.toml"):
        assert not files.search(name) or exclude.search(name), name


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed")
def test_pre_commit_try_repo(tmp_path):
    head = git(ROOT, "rev-parse", "HEAD")
    committed = git(ROOT, "show", f"{head}:.pre-commit-hooks.yaml")
    assert "id: replylint" in committed, "commit .pre-commit-hooks.yaml first"
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["NO_COLOR"] = "1"

    def try_repo(repo: Path) -> subprocess.CompletedProcess:
        return subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "replylint", "--ref", head,
                               "--all-files", "--color", "never"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=1800)

    clean = try_repo(make_repo(tmp_path / "clean", library(bad=False)))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "replylint" in clean.stdout and "Passed" in clean.stdout

    bad = try_repo(make_repo(tmp_path / "bad", library(bad=True)))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    out = bad.stdout
    assert "library/macros.jsonl:2:" in out
    assert "[nl.brush-off." in out
    assert "README.md" not in out.split("hook id: replylint", 1)[-1]
    assert "input error" not in out
