"""Template placeholder awareness (category ``placeholder``).

Support teams keep canned responses (macros) as templates.  This module

* recognises placeholders and template tags in every common helpdesk syntax
  (:func:`template_spans`), so that other rules can skip them (no "jargon" on
  ``{{ticket.id}}``);
* guesses which helpdesk a template was written for (:func:`detect_dialect`);
* finds placeholders that would reach the customer broken (:func:`check_placeholders`).

Everything here is pure, stdlib + PyYAML, with the regexes compiled at import.

Recognised syntaxes (``kind`` in brackets):

==========================================  ==============================================
``{{ var }}``, ``{{ var | filter: x }}``    Liquid / Handlebars / Mustache / Django [variable]
``{{{ var }}}``                             Handlebars unescaped [variable]
``{{#if x}}`` ``{{/if}}`` ``{{else}}``       Handlebars / Mustache sections [tag]
``{{! ... }}`` ``{{!-- ... --}}``           Handlebars comments [comment]
``{% tag %}``                               Liquid / Django / Jinja tags [tag]
``{% comment %}...{% endcomment %}``        Liquid comment block, whole block [comment]
``{# ... #}``                               Django / Jinja comment (one line) [comment]
``{%customer.firstName,fallback=there%}``   Help Scout variable [variable]
``#{ticket.number}``                        Zammad (path must contain ``.`` or ``(``) [variable]
``%{ticket.number}``                        osTicket [variable]
``{{var order.id}}`` ``{{htmlescape var=$x}}`` ``{{trans "..."}}``  Magento output [variable]
``{{depend x}}``/``{{/depend}}``, ``{{if}}``, ``{{template ...}}``  Magento control [tag]
``{firstname}`` ``{shop_name}`` ``{ZAAKNUMMER}`` ``{0}``  PrestaShop / generic [variable]
``${name}``                                 shell / JS-template style [variable]
``[FIRSTNAME]`` ``[ORDER_ID]``              all-caps bracket tokens [variable]
``[vul datum in]`` ``[insert date]``        fill-in markers for the agent [variable]
``%FIRSTNAME%`` ``%%GLOBAL_ShopName%%``     percent tokens [variable]
==========================================  ==============================================

Deliberately *not* placeholders (prose): brackets with lower-case or mixed text
(``[bijlage]``, ``[reacties van klanten]``), Markdown link texts (``[DCO](https://...)``,
``[BUG][1]``), braces with spaces inside (``{zie bijlage}``), single-letter bracket tokens
(``[A]``), and a ``#`` before a brace without a dotted path (``#{id_order_return}`` is
PrestaShop's ``{id_order_return}`` after a literal ``#``: the span starts at the brace).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, NamedTuple

__all__ = [
    "DIALECTS", "Dialect", "PlaceholderProblem", "PROBLEM_CODES",
    "check_placeholders", "detect_dialect", "load_dialect", "template_spans",
]

#: Dialects shipped as ``replylint/data/dialects/<name>.yaml``.
DIALECTS: tuple[str, ...] = (
    "zendesk", "freshdesk", "intercom", "helpscout", "gorgias", "front",
    "zammad", "osticket", "magento", "prestashop",
)

PROBLEM_CODES: tuple[str, ...] = (
    "unbalanced", "malformed", "unknown-variable", "no-fallback", "empty-name",
)

# --------------------------------------------------------------------------- scanning

_MASTER = re.compile(
    r"""
    (?P<lcomment>\{%-?[ \t]*comment[ \t]*-?%\}(?s:.*?)\{%-?[ \t]*endcomment[ \t]*-?%\})
  | (?P<hbcomment>\{\{!--(?s:.*?)--\}\}|\{\{![^{}]{0,500}\}\})
  | (?P<jcomment>\{\#[^{}\n]{0,300}?\#\})
  | (?P<triple>\{\{\{[^{}]{0,300}\}\}\})
  | (?P<double>\{\{(?:[^{}]|\$\{[^{}]{0,100}\}){0,500}\}\})
  | (?P<pct>\{%(?:[^%]|%(?!\})){0,500}%\})
  | (?P<zammad>\#\{(?=[^{}\n]{0,200}[.(])[A-Za-z_][^{}\n]{0,200}\})
  | (?P<osticket>%\{[A-Za-z_][\w.]{0,100}\})
  | (?P<dollar>\$\{[A-Za-z_][^{}\n]{0,100}\})
  | (?P<single>\{(?:[A-Za-z_]\w*(?:\.\w+)*|\d{1,2})\})
  | (?P<fillin>\[(?:[Vv]ul|[Ii]nsert|[Ff]ill[ ]in|[Ee]nter)\b[^\[\]\n]{0,60}\])
  | (?P<bracket>\[[A-Z][A-Z0-9_]+(?:[ .][A-Z0-9_]+)*\](?![(\[:]))
  | (?P<percent>%%[A-Za-z_]\w*%%|%[A-Z][A-Z0-9_]+%)
    """,
    re.VERBOSE,
)

# Magento directives: those that output one value, and those that structure the template.
_MAGENTO_VALUE = frozenset({
    "var", "htmlescape", "escapehtml", "trans", "config", "store", "skin", "media", "view",
    "customvar", "protocol", "widget", "block", "layout", "template", "inlinecss", "css",
})
_MAGENTO_CONTROL = frozenset({"depend", "if", "for", "else"})
_MAGENTO_OUTPUT_TAGS = frozenset({"template", "layout", "block", "inlinecss", "css", "widget"})

_HELPSCOUT_VAR = re.compile(
    r"^\s*[A-Za-z_]\w*(?:\.\w+)+\s*(?:,\s*fallback\s*=[^%]*)?\s*$")
_FIRST_WORD = re.compile(r"[A-Za-z_]\w*")

# Liquid / Django / Jinja block tags that need an end tag.
_LIQUID_BLOCKS = frozenset({
    "if", "unless", "case", "for", "capture", "tablerow", "raw", "comment", "block", "with",
    "autoescape", "spaceless", "filter", "ifchanged", "ifequal", "ifnotequal", "blocktrans",
    "blocktranslate", "verbatim", "macro", "call", "paginate", "form", "embed", "apply",
})
_LIQUID_MIDDLE = frozenset({"else", "elsif", "elif", "when", "empty", "plural"})


class _Span(NamedTuple):
    start: int
    end: int
    kind: str    # variable | tag | comment
    style: str   # liquid | magento | helpscout | zammad | osticket | dollar | single |
                 # bracket | fillin | percent | comment
    inner: str   # text between the delimiters (stripped of whitespace-control dashes)


def _classify_double(inner: str) -> tuple[str, str]:
    """(kind, style) for the inside of ``{{ ... }}``."""
    s = inner.strip().lstrip("-~").lstrip()
    if not s:
        return "variable", "liquid"
    c = s[0]
    if c in "#/^>":
        return "tag", "liquid"
    m = _FIRST_WORD.match(s)
    if m:
        word = m.group(0)
        rest = s[m.end():]
        if word == "else" and not rest.strip():
            return "tag", "liquid"
        if word in _MAGENTO_CONTROL and (not rest or rest[0] in " \t\n"):
            return "tag", "magento"
        if word in _MAGENTO_VALUE and rest[:1] in (" ", "\t", "\n") and rest.strip():
            return ("tag" if word in _MAGENTO_OUTPUT_TAGS else "variable"), "magento"
    return "variable", "liquid"


# Every construct starts with one of these characters; searching for them first lets the C
# scanner skip prose quickly (the alternation itself has no literal prefix for re to use).
_CANDIDATE = re.compile(r"[{\[%$#]")


def _matches(text: str):
    search = _CANDIDATE.search
    match = _MASTER.match
    pos = 0
    while True:
        c = search(text, pos)
        if c is None:
            return
        m = match(text, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


def _scan(text: str) -> list[_Span]:
    spans: list[_Span] = []
    append = spans.append
    for m in _matches(text):
        g = m.lastgroup
        s, e = m.span()
        raw = m.group(0)
        if g == "double":
            inner = raw[2:-2]
            kind, style = _classify_double(inner)
            append(_Span(s, e, kind, style, inner))
        elif g == "pct":
            inner = raw[2:-2]
            if _HELPSCOUT_VAR.match(inner):
                append(_Span(s, e, "variable", "helpscout", inner.strip()))
            else:
                append(_Span(s, e, "tag", "liquid", inner.strip("-").strip()))
        elif g == "single":
            append(_Span(s, e, "variable", "single", raw[1:-1]))
        elif g == "zammad":
            append(_Span(s, e, "variable", "zammad", raw[2:-1]))
        elif g == "osticket":
            append(_Span(s, e, "variable", "osticket", raw[2:-1]))
        elif g == "triple":
            append(_Span(s, e, "variable", "liquid", raw[3:-3]))
        elif g == "dollar":
            append(_Span(s, e, "variable", "dollar", raw[2:-1]))
        elif g == "bracket":
            append(_Span(s, e, "variable", "bracket", raw[1:-1]))
        elif g == "fillin":
            append(_Span(s, e, "variable", "fillin", raw[1:-1]))
        elif g == "percent":
            append(_Span(s, e, "variable", "percent", raw.strip("%")))
        else:  # lcomment, hbcomment, jcomment
            append(_Span(s, e, "comment", "comment", raw))
    return spans


def template_spans(text: str) -> list[tuple[int, int, str]]:
    """Every placeholder / template construct in *text*, in any known syntax.

    Returns ``(start, end, kind)`` tuples, sorted and non-overlapping; ``kind`` is
    ``"variable"``, ``"tag"`` or ``"comment"``.  See the module docstring for the syntaxes.
    """
    if not text:
        return []
    return [(sp.start, sp.end, sp.kind) for sp in _scan(text)]


# --------------------------------------------------------------------------- dialects

@dataclass(frozen=True, eq=False)
class Dialect:
    name: str
    syntax: str
    styles: tuple[str, ...]
    variables: frozenset[str]          # exact paths
    wildcards: tuple[str, ...]         # entries with ``*``
    name_variables: frozenset[str]
    fallback: str | None               # template with VAR / FALLBACK, or None
    _wild_re: re.Pattern[str] | None = None

    def knows(self, path: str) -> bool:
        return path in self.variables or (
            self._wild_re is not None and self._wild_re.fullmatch(path) is not None)

    def closest(self, path: str) -> str | None:
        """The known variable nearest to *path* (difflib), or None.

        Variables with the same last segment (``firstname`` ~ ``first_name``) win, customer
        name variables first; otherwise the closest whole path with a ratio of at least 0.75.
        """
        return _closest(self, path)

    def render(self, path: str) -> str:
        """*path* written in this dialect's placeholder syntax."""
        return _render(self.styles[0] if self.styles else "liquid", path)


def _norm_seg(path: str) -> str:
    return path.rsplit(".", 1)[-1].replace("_", "").lower()


@lru_cache(maxsize=4096)
def _closest(d: "Dialect", path: str) -> str | None:
    seg = _norm_seg(path)
    same = [v for v in d.variables if _norm_seg(v) == seg]
    if same:
        return max(same, key=lambda v: (v in d.name_variables,
                                        difflib.SequenceMatcher(None, path, v).ratio(), v))
    best = difflib.get_close_matches(path, sorted(d.variables), n=1, cutoff=0.75)
    return best[0] if best else None


def _render(style: str, path: str) -> str:
    if style == "magento":
        return "{{var %s}}" % path
    if style == "helpscout":
        return "{%%%s%%}" % path
    if style == "zammad":
        return "#{%s}" % path
    if style == "osticket":
        return "%%{%s}" % path
    if style == "single":
        return "{%s}" % path
    return "{{%s}}" % path


def load_dialect(name: str, extra_variables: Iterable[str] | None = None) -> Dialect:
    """Load ``replylint/data/dialects/<name>.yaml`` (cached), adding *extra_variables*.

    Extra variables may use ``*`` wildcards too.  An unknown *name* raises ``ValueError``
    listing the known dialects.
    """
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in DIALECTS:
        raise ValueError(
            f"unknown placeholder dialect {name!r}; known dialects: {', '.join(DIALECTS)}")
    extra = tuple(sorted(set(extra_variables))) if extra_variables else ()
    return _load_cached(key, extra)


@lru_cache(maxsize=None)
def _read_yaml(name: str) -> dict:
    import yaml  # PyYAML; imported lazily so template_spans users never pay for it

    ref = resources.files("replylint").joinpath("data", "dialects", f"{name}.yaml")
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("name") != name:
        raise ValueError(f"dialect file {name}.yaml is malformed (name must be {name!r})")
    return data


@lru_cache(maxsize=64)
def _load_cached(name: str, extra: tuple[str, ...]) -> Dialect:
    data = _read_yaml(name)
    entries = [str(v) for v in (data.get("variables") or [])] + list(extra)
    exact = frozenset(v for v in entries if "*" not in v)
    wild = tuple(v for v in entries if "*" in v)
    wild_re = None
    if wild:
        wild_re = re.compile("|".join(
            ".+".join(re.escape(part) for part in w.split("*")) for w in wild))
    styles = data.get("styles") or ["liquid"]
    return Dialect(
        name=name,
        syntax=str(data.get("syntax") or ""),
        styles=tuple(styles),
        variables=exact,
        wildcards=wild,
        name_variables=frozenset(data.get("name_variables") or ()),
        fallback=data.get("fallback"),
        _wild_re=wild_re,
    )


# --------------------------------------------------------------------------- paths

_PATH_HEAD = re.compile(r"^[A-Za-z_][\w\-]*(?:\(\))?(?:\[[^\]]*\])*(?:\.[A-Za-z_]\w*(?:\([^()]*\))?(?:\[[^\]]*\])*)*$")
_INDEX = re.compile(r"\[-?\d+\]")
_CALL_ARGS = re.compile(r"\([^()]*\)")
_FALLBACK_PRESENT = re.compile(
    r"""(?:\|\|\s*(?:"[^"]+"|'[^']+'|[^\s}|]+)"""
    r"""|\|\s*(?:fallback|default)\s*[:(]\s*(?:"[^"]+"|'[^']+'|[^\s"'}|)]+)"""
    r"""|,\s*fallback\s*=\s*[^%\s]+)""")
_FALLBACK_EMPTY = re.compile(
    r"""\|\s*(?:fallback|default)\s*(?::\s*(?:""|'')?\s*|\(\s*(?:""|'')?\s*\)\s*)?(?=\||$)"""
    r"""|,\s*fallback\s*=\s*$""")


def _split_filters(expr: str) -> str:
    """The head of a Liquid expression, before filters (``|``) or ``||`` fallbacks."""
    depth_q = None
    for i, ch in enumerate(expr):
        if depth_q:
            if ch == depth_q:
                depth_q = None
        elif ch in "\"'":
            depth_q = ch
        elif ch == "|":
            return expr[:i]
    return expr


def _variable_path(sp: _Span) -> str | None:
    """The variable path a variable span refers to, normalised, or None if not a path."""
    style = sp.style
    inner = sp.inner.strip()
    if style in ("single", "zammad", "osticket", "bracket", "percent"):
        head = inner
    elif style == "helpscout":
        head = inner.split(",", 1)[0].strip()
    elif style == "dollar":
        head = inner.split(":", 1)[0].strip()
    elif style == "magento":
        m = re.match(r"(?:var|htmlescape\s+var=\$?)\s*(.*)$", inner, re.S)
        if not m:
            return None
        head = _split_filters(m.group(1)).strip()
    elif style == "liquid":
        head = _split_filters(inner.strip("-~ \t\n")).strip()
        if head.startswith("${") and head.endswith("}"):
            head = head[2:-1].strip()
    else:
        return None
    if not head or not _PATH_HEAD.match(head):
        return None
    return _CALL_ARGS.sub("()", _INDEX.sub("[]", head))


# --------------------------------------------------------------------------- detection

_LIQUID_DIALECTS = ("zendesk", "freshdesk", "intercom", "gorgias", "front")
_STYLE_DIALECT = {"zammad": "zammad", "osticket": "osticket", "helpscout": "helpscout",
                  "magento": "magento"}


def detect_dialect(text: str) -> str | None:
    """Guess the helpdesk a template was written for from the variables it uses, or None."""
    spans = [sp for sp in _scan(text) if sp.kind != "comment"] if text else []
    if not spans:
        return None
    scores: dict[str, float] = {}
    for sp in spans:
        if sp.style in _STYLE_DIALECT:
            d = _STYLE_DIALECT[sp.style]
            scores[d] = scores.get(d, 0.0) + 3.0
            continue
        if sp.kind != "variable":
            continue
        path = _variable_path(sp)
        if path is None:
            continue
        if sp.style == "single":
            if path in load_dialect("prestashop").variables:
                scores["prestashop"] = scores.get("prestashop", 0.0) + 1.0
        elif sp.style == "liquid":
            if re.search(r"\|\s*fallback\s*:", sp.inner):
                scores["intercom"] = scores.get("intercom", 0.0) + 1.0
            # a bare name ({{email}}) is weak evidence: many template languages use it
            weight = 1.0 if "." in path else 0.4
            for name in _LIQUID_DIALECTS:
                d = load_dialect(name)
                if path in d.variables:
                    scores[name] = scores.get(name, 0.0) + weight
                elif d.knows(path):
                    scores[name] = scores.get(name, 0.0) + 0.25
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked[0][1] < 1.0 or len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


# --------------------------------------------------------------------------- problems

@dataclass(frozen=True)
class PlaceholderProblem:
    start: int
    end: int
    code: str          # one of PROBLEM_CODES
    message: str
    suggestion: str | None = None


_PRIORITY = {"malformed": 0, "unbalanced": 1, "unknown-variable": 2, "no-fallback": 3,
             "empty-name": 4}

# Spaced delimiters, one regex each so that re can use the literal first character.
_SPACED: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\{[ \t]+\{([^{}\n]{0,200})\}\}"), "space between the opening braces",
     "{{%s}}"),
    (re.compile(r"\{\{([^{}\n]{0,200})\}[ \t]+\}"), "space between the closing braces",
     "{{%s}}"),
    (re.compile(r"\{[ \t]+%([^%\n]{0,200})%\}"), "space between '{' and '%'", "{%%%s%%}"),
    (re.compile(r"\{%([^%\n]{0,200})%[ \t]+\}"), "space between '%' and '}'", "{%%%s%%}"),
    (re.compile(r"%[ \t]+\{([A-Za-z_][\w.]{0,100})\}"),
     "space between '%' and '{': osTicket will not substitute it", "%%{%s}"),
    (re.compile(r"#[ \t]+\{([A-Za-z_]\w*\.[\w.]{0,100})\}"),
     "space between '#' and '{': Zammad will not substitute it", "#{%s}"),
)
_OPENERS = re.compile(r"\{\{|\{%|%\{(?=[A-Za-z_])|\#\{(?=[A-Za-z_]\w*\.)")
_CLOSERS = re.compile(r"\}\}|%\}")
_PATH_AFTER = re.compile(r"\s*[A-Za-z_][\w.\[\]()]*")
_SPACE_IN_PATH = re.compile(r"^[a-z_][a-z0-9_]*(?:\s+[a-z_][a-z0-9_]*){1,3}$")
_SPACE_AROUND_DOT = re.compile(r"^[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)+$")
_HELPERS = frozenset({
    "if", "unless", "each", "with", "lookup", "log", "t", "i18n", "default", "else",
    "var", "htmlescape", "trans", "depend", "template", "config", "store", "layout", "block",
    "media", "skin", "view", "css", "inlinecss", "widget", "customvar", "protocol", "for",
    "include", "render", "partial", "format", "date", "json", "raw",
})

_SAL = (r"beste|geachte|lieve|hallo|hoi|hey|hi|hello|dear|dag|goedemorgen|goedemiddag|"
        r"goedenavond|good[ \t]+(?:morning|afternoon|evening)")
_TITLE = r"heer|mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|mr\.?|mrs\.?|ms\.?|miss|sir|madam"
# "Hallo ," / "Beste meneer ," : whitespace before the punctuation = a name that rendered empty
_EMPTY_NAME_SPACE = re.compile(
    rf"(?i)[ \t>]*(?P<sal>(?:{_SAL})(?:[ \t]+(?:{_TITLE}))?)[ \t]+(?P<p>[,!:;])")
# "Beste," / "Dear," / "Dear Mr," : salutations that require a name, with none
_EMPTY_NAME_BARE = re.compile(
    r"(?i)[ \t>]*(?P<sal>(?:beste|geachte|lieve|dear)"
    r"(?:[ \t]+(?:mr|mrs|ms|dhr|mw|mevr)\.?)?)[ \t]*(?P<p>[,:]|\r?$|\r?\n)")
_DUTCH_GREETING = re.compile(r"(?i)\b(?:beste|geachte|hallo|hoi|dag|goede(?:morgen|middag|navond))\b")


def _greeting_region(text: str, greeting_end: int | None) -> tuple[int, int]:
    if greeting_end is not None:
        return 0, max(0, min(greeting_end, len(text)))
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end].strip():
            return pos, end
        pos = end + 1
    return 0, 0


def _tag_name(sp: _Span) -> tuple[str, str] | None:
    """(action, name) for block structure: action is open / close / middle."""
    inner = sp.inner.strip().strip("-~").strip()
    if not inner:
        return None
    if sp.style == "magento":
        word = _FIRST_WORD.match(inner)
        if not word:
            return None
        w = word.group(0)
        if w == "else":
            return "middle", "if"
        if w in ("depend", "if", "for"):
            return "open", "mg:" + w
        return None
    # liquid-family {{ }} tags and {% %} tags
    c = inner[0]
    if c in "#^":
        m = _FIRST_WORD.match(inner[1:].lstrip())
        return ("open", "hb:" + m.group(0)) if m else None
    if c == "/":
        m = _FIRST_WORD.match(inner[1:].lstrip())
        if not m:
            return None
        w = m.group(0)
        # {{/depend}} and {{/if}} close Magento blocks as well as Handlebars ones
        return "close", w
    if c == ">":
        return None
    m = _FIRST_WORD.match(inner)
    if not m:
        return None
    w = m.group(0)
    if w in _LIQUID_MIDDLE:
        return "middle", w
    if w.startswith("end") and w[3:] in _LIQUID_BLOCKS:
        return "close", "lq:" + w[3:]
    if w in _LIQUID_BLOCKS:
        return "open", "lq:" + w
    return None


def _block_problems(spans: list[_Span], text: str) -> list[PlaceholderProblem]:
    out: list[PlaceholderProblem] = []
    stack: list[tuple[str, _Span]] = []
    for sp in spans:
        if sp.kind != "tag":
            continue
        t = _tag_name(sp)
        if t is None:
            continue
        action, name = t
        if action == "open":
            stack.append((name, sp))
        elif action == "close":
            wanted = (name,) if ":" in name else ("hb:" + name, "mg:" + name)
            idx = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] in wanted), None)
            if idx is None:
                out.append(PlaceholderProblem(
                    sp.start, sp.end, "unbalanced",
                    f"{text[sp.start:sp.end]} closes a block that was never opened",
                    None))
                continue
            for open_name, osp in stack[idx + 1:]:
                out.append(_unclosed(open_name, osp, text))
            del stack[idx:]
    for open_name, osp in stack:
        out.append(_unclosed(open_name, osp, text))
    return out


def _unclosed(name: str, sp: _Span, text: str) -> PlaceholderProblem:
    family, _, word = name.partition(":")
    if family == "lq":
        closer = "{%% end%s %%}" % word
    else:
        closer = "{{/%s}}" % word
    return PlaceholderProblem(
        sp.start, sp.end, "unbalanced",
        f"{text[sp.start:sp.end]} is never closed (expected {closer})", closer)


def _covered(starts: list[int], ends: list[int], pos: int) -> bool:
    import bisect
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def check_placeholders(
    text: str,
    dialect: str | None,
    *,
    known_variables: dict[str, list[str]] | None = None,
    greeting_end: int | None = None,
) -> list[PlaceholderProblem]:
    """Placeholders in *text* that would reach the customer broken.

    * ``unbalanced``: braces or block tags that do not pair up (``{{name},``, ``{{name}}}``,
      ``{% if %}`` without ``{% endif %}``, a stray ``}}``).
    * ``malformed``: empty placeholders, spaces inside a variable path or between braces
      (``{{first name}}``, ``{ {name}}``, ``% {ticket.name}``), an empty fallback.
    * ``unknown-variable`` (only with a *dialect*): a variable the dialect does not know, or a
      placeholder in another platform's syntax; the suggestion is the closest known variable.
    * ``no-fallback``: a customer-name variable in the greeting (before *greeting_end*, or on
      the first non-empty line) without a fallback, when the dialect supports one.  Without a
      *dialect* the one from :func:`detect_dialect` is used for this check only.
    * ``empty-name``: a salutation with nothing where the name should be (``Beste ,``).

    *known_variables* maps a dialect name to extra variables (from configuration).
    """
    if not text:
        return []
    d: Dialect | None = None
    if dialect:
        extra = (known_variables or {}).get(dialect.strip().lower())
        d = load_dialect(dialect, extra)
    spans = _scan(text)
    starts = [sp.start for sp in spans]
    ends = [sp.end for sp in spans]
    problems: list[PlaceholderProblem] = []
    add = problems.append

    # --- malformed: spaced delimiters
    if "{" in text:
        for rx, msg, fmt in _SPACED:
            for m in rx.finditer(text):
                add(PlaceholderProblem(m.start(), m.end(), "malformed", msg, fmt % m.group(1)))

    # --- per-span checks
    for sp in spans:
        raw = text[sp.start:sp.end]
        if sp.kind == "comment":
            continue
        # stray brace right before / after a span: {{name}, {{{name}}, {name}}, {{name}}}
        if raw[0] == "{" and sp.start > 0 and text[sp.start - 1] == "{" \
                and not raw.startswith("{{{"):
            n_open = 2 + raw.startswith("{{")
            n_close = len(raw) - len(raw.rstrip("}"))
            body = raw.lstrip("{").rstrip("}")
            add(PlaceholderProblem(
                sp.start - 1, sp.end, "unbalanced",
                f"{n_open} opening braces but {n_close} closing", "{{" + body + "}}"))
            continue
        if raw[-1] == "}" and sp.end < len(text) and text[sp.end] == "}" \
                and sp.style in ("liquid", "single", "magento"):
            n_close = len(raw) - len(raw.rstrip("}")) + 1
            n_open = len(raw) - len(raw.lstrip("{"))
            body = raw.lstrip("{").rstrip("}")
            add(PlaceholderProblem(
                sp.start, sp.end + 1, "unbalanced",
                f"{n_open} opening braces but {n_close} closing",
                "{{" + body + "}}"))
            continue
        if sp.style in ("liquid", "magento") and not sp.inner.strip():
            add(PlaceholderProblem(sp.start, sp.end, "malformed", "empty placeholder", None))
            continue
        if sp.kind == "tag" and sp.style == "liquid" and raw.startswith("{%") \
                and not sp.inner.strip():
            add(PlaceholderProblem(sp.start, sp.end, "malformed", "empty tag", None))
            continue
        if sp.kind != "variable":
            continue
        if sp.style == "liquid":
            head = _split_filters(sp.inner.strip("-~ \t\n")).strip()
            if _SPACE_IN_PATH.match(head) and head.split()[0] not in _HELPERS:
                joined = "_".join(head.split())
                if d is not None:
                    best = d.closest(joined)
                    if best:
                        joined = best
                add(PlaceholderProblem(
                    sp.start, sp.end, "malformed",
                    f"space inside the variable name {head!r}",
                    raw.replace(head, joined, 1)))
                continue
            if " " in head and _SPACE_AROUND_DOT.match(head):
                fixed = re.sub(r"\s*\.\s*", ".", head)
                add(PlaceholderProblem(
                    sp.start, sp.end, "malformed",
                    f"space inside the variable path {head!r}", raw.replace(head, fixed, 1)))
                continue
        if sp.style in ("liquid", "helpscout", "magento"):
            body = sp.inner.strip("-~ \t\n")
            if _FALLBACK_EMPTY.search(body):
                add(PlaceholderProblem(sp.start, sp.end, "malformed",
                                       "fallback without a value", None))
                continue

    # --- unbalanced: openers / closers outside every span
    for m in _OPENERS.finditer(text):
        p = m.start()
        if _covered(starts, ends, p) or _covered(starts, ends, p + 1):
            continue
        tok = m.group(0)
        pm = _PATH_AFTER.match(text, m.end())
        end = pm.end() if pm else m.end()
        path = text[m.end():end].strip() if pm else ""
        if tok == "{{":
            closer = "}}"
        elif tok == "{%":
            closer = "%}"
        else:
            closer = "}"
        sugg = (tok + path + closer) if path else None
        add(PlaceholderProblem(p, end, "unbalanced", f"{tok} is never closed with {closer}",
                               sugg))
    for m in _CLOSERS.finditer(text):
        p = m.start()
        if _covered(starts, ends, p):
            continue
        add(PlaceholderProblem(p, m.end(), "unbalanced",
                               f"{m.group(0)} without a matching opening", None))
    problems.extend(_block_problems(spans, text))

    # --- unknown-variable
    if d is not None:
        for sp in spans:
            if sp.kind != "variable" or sp.style == "fillin":
                continue
            raw = text[sp.start:sp.end]
            path = _variable_path(sp)
            if sp.style not in d.styles:
                if sp.style == "magento" and path is None:
                    continue  # {{trans "..."}} and friends: text, not a variable
                target = path if path and d.knows(path) else (d.closest(path) if path else None)
                sugg = d.render(target) if target else None
                add(PlaceholderProblem(
                    sp.start, sp.end, "unknown-variable",
                    f"{raw} is not {d.name} placeholder syntax ({d.syntax}); "
                    f"it would reach the customer as written", sugg))
                continue
            if path is None or d.knows(path):
                continue
            best = d.closest(path)
            add(PlaceholderProblem(
                sp.start, sp.end, "unknown-variable",
                f"{path!r} is not a known {d.name} variable"
                + (f"; did you mean {best!r}?" if best else ""),
                raw.replace(path, best, 1) if best and path in raw else
                (d.render(best) if best else None)))

    # --- no-fallback
    fb_dialect = d
    if fb_dialect is None:
        guess = detect_dialect(text)
        fb_dialect = load_dialect(guess) if guess else None
    if fb_dialect is not None and fb_dialect.fallback:
        g0, g1 = _greeting_region(text, greeting_end)
        region = text[g0:g1]
        word = "klant" if _DUTCH_GREETING.search(region) else "there"
        tags_before = [sp for sp in spans if sp.kind == "tag"]
        for sp in spans:
            if sp.kind != "variable" or sp.start < g0 or sp.start >= g1:
                continue
            if sp.style not in fb_dialect.styles:
                continue
            path = _variable_path(sp)
            if path is None or path not in fb_dialect.name_variables:
                continue
            body = sp.inner
            if _FALLBACK_PRESENT.search(body):
                continue
            if any(t.end <= sp.start and path in t.inner
                   and re.match(r"\s*(?:if|unless|#if|#unless)\b", t.inner.strip("-~ "))
                   for t in tags_before):
                continue
            sugg = fb_dialect.fallback.replace("VAR", path).replace("FALLBACK", word)
            add(PlaceholderProblem(
                sp.start, sp.end, "no-fallback",
                f"{text[sp.start:sp.end]} in the greeting has no fallback; "
                "a customer without a name would read an empty salutation", sugg))

    # --- empty-name
    pos = 0
    while pos <= len(text):
        for rx in (_EMPTY_NAME_SPACE, _EMPTY_NAME_BARE):
            m = rx.match(text, pos)
            if m:
                sal = m.group("sal")
                end = m.end("p") if m.group("p").strip() else m.end("sal")
                add(PlaceholderProblem(m.start("sal"), end, "empty-name",
                                       f"salutation {sal!r} has no name", None))
                break
        nl = text.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1

    return _dedupe(problems)


def _dedupe(problems: list[PlaceholderProblem]) -> list[PlaceholderProblem]:
    kept: list[PlaceholderProblem] = []
    for p in sorted(problems, key=lambda p: (_PRIORITY[p.code], p.start, p.end)):
        if any(p.start < k.end and k.start < p.end for k in kept):
            continue
        if p.start == p.end and any(k.start == p.start and k.code == p.code for k in kept):
            continue
        kept.append(p)
    kept.sort(key=lambda p: (p.start, p.end, _PRIORITY[p.code]))
    return kept
