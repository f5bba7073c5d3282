"""Every rule of every shipped pack carries examples that must flag and examples that must
pass; this one hook turns each of them into a test case (as sqlfluff's YAML rule tests)."""
from __future__ import annotations

import pytest

from replylint.config import Config
from replylint.engine import Linter
from replylint.finding import CATEGORIES, REWRITE_CATEGORIES
from replylint.packs import shipped_packs
from replylint.ruletest import cases, check_case

LINTER = Linter(Config())
CASES = cases(LINTER)


def test_shipped_packs_are_nl_and_en():
    assert {"nl", "en"} <= set(shipped_packs())


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_rule_example(case):
    problem = check_case(LINTER, case)
    assert problem is None, problem


@pytest.mark.parametrize("rule", LINTER.all_rules, ids=lambda r: r.id)
def test_rule_contract(rule):
    ex = rule.examples or {}
    assert ex.get("fail"), f"{rule.id} has no 'fail' examples"
    assert ex.get("pass"), f"{rule.id} has no 'pass' examples"
    assert rule.category in CATEGORIES
    assert rule.message.strip()
    if rule.category in REWRITE_CATEGORIES:
        assert rule.suggestions, f"{rule.id} is in a rewrite category but has no suggestions"
    # ids are derived from pack, file and key: never typed
    parts = rule.id.split(".")
    assert parts[0] == rule.pack.name and len(parts) == 3


def test_every_scored_category_has_rules_in_both_languages():
    scored = [c for c in CATEGORIES if c not in ("readability", "placeholder", "closing")]
    for lang in ("nl", "en"):
        have = {r.category for r in LINTER.all_rules if r.pack.language == lang}
        expected = set(scored) - ({"formality"} if lang == "en" else set())
        assert expected <= have, f"{lang} pack lacks {sorted(expected - have)}"


def test_rewrite_findings_carry_suggestions():
    # a finding (not just a rule) in a rewrite category has at least one rewrite
    findings = LINTER.lint("Dat weet ik niet. Dat is ons beleid. U had beter moeten opletten.", "nl")
    rewrite = [f for f in findings if f.category in REWRITE_CATEGORIES]
    assert {f.category for f in rewrite} >= {"brush-off", "policy", "blame"}
    assert all(f.suggestions for f in rewrite)
