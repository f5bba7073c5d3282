"""Before any rule runs, a reply is *prepared*: a same-length copy of the text in which

* template variables (``{{ticket.requester.first_name}}``, ``{firstname}``, ``#{ticket.id}``)
  become a run of ``x`` so they tokenise as one harmless word (a name in "Beste xxxx,");
* template tags and comments (``{% if %}``, ``{% comment %}…{% endcomment %}``, ``<!-- -->``)
  become spaces: the customer never sees them;
* quoted customer text becomes spaces: lines starting with ``>``, the history below a reply
  header ("Op 3 mei 2024 schreef Jan:", "On Mon, … wrote:"), the lines after "U schreef:" /
  "You wrote:", reported speech ("Je schreef dat je het niet meer weet") up to the end of its
  sentence, and text in double quotes.

Offsets are preserved, so every finding still points into the original text.  The prepared
reply also knows where the salutation line ends and where the sign-off/signature starts, and
which rules inline suppression comments disable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .placeholders import template_spans

_SALUTATION = re.compile(
    r"^\s*(?:@[\w.]+[\s,:]+)*(beste|hoi|hallo|hey|heey|hee|heej|hé|hej|hi|hiya|hello|dear|geachte|goede(?:n)?\s*(?:morgen|middag|avond|dag)|goeie(?:n)?(?:morgen|middag|avond|dag)|moin|"
    r"goedemorgen|goedemiddag|goedenavond|goedenmiddag|dag|lieve|good\s+(?:morning|afternoon|evening|day)|"
    r"greetings|morning|afternoon|evening|heya|yo|hai|moi|hoihoi|hallo\s+daar|l\.s\.|geachte\s+heer|"
    r"zeer\s+geachte|to\s+whom)\b[^\n]{0,80}", re.I)

_SIGNOFF = re.compile(
    r"^\s*(?:met\s+)?(?:vriendelijke|hartelijke|warme|zonnige|sportieve|beste|lieve|fijne|veel)?\s*"
    r"(?:groet(?:en|jes)?|groetjes)\b|^\s*(?:hoogachtend|mvg|m\.v\.g\.|vr(?:iendelijke)?\s*gr(?:oet)?\.?|"
    r"kind\s+regards|best\s+regards|warm(?:est)?\s+regards|regards|best\s+wishes|best|cheers|"
    r"sincerely|yours\s+(?:sincerely|faithfully|truly)|many\s+thanks|thanks(?:\s+again)?|thank\s+you|"
    r"all\s+the\s+best|take\s+care|talk\s+soon|tot\s+(?:ziens|snel|gauw|de\s+volgende\s+keer)|"
    r"fijne\s+dag|een\s+fijne\s+dag|prettige\s+dag|--\s*$|—\s*$)[\s,.!]*", re.I)

_REPLY_HEADER = re.compile(
    r"^[ \t]*(?:op\s.{3,120}?\s(?:schreef|heeft\s.{0,40}geschreven)[^\n]*:[ \t]*$|"
    r"on\s.{3,120}?\swrote:[ \t]*$|-{2,}\s*(?:original\s+message|oorspronkelijk\s+bericht|"
    r"origineel\s+bericht|forwarded\s+message|doorgestuurd\s+bericht)\s*-{2,}|"
    r"(?:van|from):\s.+\n(?:.*\n){0,3}?(?:onderwerp|subject|verzonden|sent|datum|date):)",
    re.I | re.M)

_YOU_WROTE = re.compile(
    r"^[ \t]*(?:u|je|jij|you|klant|customer)\s+(?:schreef|schrijft|wrote|write|said|zei)\s*:[ \t]*$",
    re.I | re.M)

_REPORTED = re.compile(
    r"(\b(?:u|je|jij|you|jullie)\s+(?:schreef|schrijft|zei|zegt|gaf\s+aan|geeft\s+aan|vroeg|vraagt|"
    r"meldde|meldt|noemde|noemt|liet\s+weten|laat\s+weten|vertelde|vertelt|stelde|stelt|mailde|"
    r"wrote|write|said|say|mentioned|asked|told\s+(?:us|me)|tell\s+(?:us|me)|indicated|reported|"
    r"explained|noted)\b)(?:(?![,;]\s*(?:maar|but|en\s+(?:ik|we|wij)|and\s+(?:i|we)|geen\s+probleem|"
    r"no\s+problem|dus|so)\b)[^.!?;\n])*", re.I)

_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|„[^”“\n]{1,300}[”“]|«[^»\n]{1,300}»")

_SUPPRESS = re.compile(
    r"replylint:\s*(disable|enable)\s*[=:]?\s*([A-Za-z0-9_.,\-\s]*?)(?:\s+--\s+(.*?))?\s*"
    r"(?=\{%|-->|--\}\}|\}\}|#\}|%\}|\*/|$)", re.I | re.M)

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True, slots=True)
class Suppression:
    rules: tuple[str, ...]  # rule ids, prefixes or categories; empty = all
    reason: str
    start: int
    end: int


@dataclass(slots=True)
class Prepared:
    text: str
    clean: str
    placeholders: list[tuple[int, int]]
    masked: list[tuple[int, int]]
    greeting_end: int  # end of the salutation line (0 when there is none)
    signature_start: int  # start of the sign-off (len(text) when there is none)
    suppressions: list[Suppression] = field(default_factory=list)

    def in_placeholder(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.placeholders)


def _is_signoff(line: str, end: int) -> bool:
    rest = line[end:].strip()
    if not rest:
        return True
    words = rest.split()
    return len(words) <= 4 and not rest.endswith(("?", ".")) and len(line.strip()) <= 50


def _blank(buf: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if buf[i] != "\n":
            buf[i] = " "


def prepare(text: str) -> Prepared:
    buf = list(text)
    placeholders: list[tuple[int, int]] = []
    masked: list[tuple[int, int]] = []
    suppressions: list[Suppression] = []
    comment_spans: list[tuple[int, int]] = []

    for start, end, kind in template_spans(text):
        if kind == "variable":
            placeholders.append((start, end))
            for i in range(start, end):
                buf[i] = "x"
        else:
            if kind == "comment":
                comment_spans.append((start, end))
            _blank(buf, start, end)
    if "<!--" in text:
        for m in _HTML_COMMENT.finditer(text):
            comment_spans.append(m.span())
            _blank(buf, *m.span())
    for cs, ce in comment_spans:
        for m in _SUPPRESS.finditer(text, cs, ce):
            if m.group(1).lower() != "disable":
                continue
            ids = tuple(x for x in re.split(r"[\s,]+", m.group(2) or "") if x)
            suppressions.append(Suppression(ids, (m.group(3) or "").strip(), cs, ce))

    # Quoted history and customer text.
    if ">" in text:
        pos = 0
        for line in text.split("\n"):
            if line.lstrip().startswith(">"):
                masked.append((pos, pos + len(line)))
            pos += len(line) + 1
    m = _REPLY_HEADER.search(text)
    if m:
        # Gmail-style: the header, then "> " lines (masked above), then the agent may go on
        # writing; Outlook-style: everything below the header is the old message.
        rest = text[m.end():].lstrip("\n")
        if rest.startswith(">"):
            masked.append(m.span())
        else:
            masked.append((m.start(), len(text)))
    for m in _YOU_WROTE.finditer(text):
        end = text.find("\n\n", m.end())
        masked.append((m.start(), len(text) if end == -1 else end))
    for m in _REPORTED.finditer(text):
        masked.append((m.end(1), m.end()))
    if '"' in text or "“" in text or "„" in text or "«" in text:
        for m in _QUOTED.finditer(text):
            if len(m.group(0).split()) > 3:  # "Opslaan", the "gratis" installatie: keep visible
                masked.append(m.span())
    for s, e in masked:
        _blank(buf, s, e)
    clean = "".join(buf)
    if "’" in clean or "‘" in clean:  # one tokenisation for "don’t" and "don't"
        clean = clean.replace("’", "'").replace("‘", "'")

    # Salutation line.
    greeting_end = 0
    stripped = clean.lstrip()
    lead = len(clean) - len(stripped)
    first_nl = clean.find("\n", lead)
    first_line_end = len(clean) if first_nl == -1 else first_nl
    sm = _SALUTATION.match(clean, lead, first_line_end)
    if sm:
        line = clean[lead:first_line_end]
        # "Hoi Sanne! Fijn dat…" on one line: the salutation ends at its first , ! or :
        cut = re.search(r"[,!:]", line)
        if cut and line[cut.end():].strip():
            greeting_end = lead + cut.end()
        else:
            greeting_end = first_line_end

    # Sign-off: the last short line among the final lines that looks like one.
    signature_start = len(text)
    lines = clean.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    # Walk up from the end through the short lines (name, title, company, phone) to the
    # sign-off: a line that is a sign-off phrase plus at most a name ("Groet, Mees").
    for i in reversed(nonempty[-6:]):
        ln = lines[i]
        if offsets[i] + len(ln) <= greeting_end:
            break
        m = _SIGNOFF.match(ln)
        if m and _is_signoff(ln, m.end()):
            signature_start = offsets[i] + (len(ln) - len(ln.lstrip()))
            break
        if len(ln.strip()) > 60:
            break
    return Prepared(text, clean, placeholders, masked, greeting_end, signature_start, suppressions)
