"""Masking customer data in report excerpts, and stable pseudonyms for agents.

Excerpts in a report are real replies, and a report gets mailed around.  Before an excerpt is kept,
:func:`mask_spans` finds

- e-mail addresses                                   -> ``[e-mail]``
- IBANs (Dutch ones always; others when the mod-97 check holds) -> ``[IBAN]``
- phone numbers, Dutch (``06-12345678``, ``020 123 4567``, ``+31 (0)6 1234 5678``, ``0800-1234``)
  and international (``+44 20 7946 0958``, ``0032 470 12 34 56``)  -> ``[telefoon]`` / ``[phone]``
- Dutch postcodes, with the house number after them (``1234 AB 12a``) -> ``[postcode]``,
  and a street + house number (``Kerkstraat 12``)    -> ``[adres]`` / ``[address]``
- social media handles (``@sanne_b``)                 -> ``[gebruiker]`` / ``[user]``
- names after a salutation (``Beste Jan de Vries,`` -> ``Beste [naam],``); the same names are then
  masked everywhere else in the reply too.

Masking errs on the side of hiding: a 10-digit number starting with 0 is treated as a phone number.
Template placeholders (``{{ticket.requester.first_name}}``) are not customer data and stay visible.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

MASK_LABELS: dict[str, dict[str, str]] = {
    "nl": {"email": "[e-mail]", "phone": "[telefoon]", "iban": "[IBAN]", "postcode": "[postcode]",
           "address": "[adres]", "name": "[naam]", "handle": "[gebruiker]"},
    "en": {"email": "[e-mail]", "phone": "[phone]", "iban": "[IBAN]", "postcode": "[postcode]",
           "address": "[address]", "name": "[name]", "handle": "[user]"},
}

# Social media handles (@sanne_b, @105847) as in Twitter/X or Instagram replies.
_HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_]{2,30}\b(?!\.[A-Za-z]{2,}|@)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")

# Dutch IBAN: NL + 2 check digits + 4-letter bank code + 10 digits, spaces allowed between groups.
_IBAN_NL = re.compile(r"\bNL ?\d{2} ?[A-Z]{4} ?(?:\d ?){9}\d\b", re.IGNORECASE)
# Any IBAN: country + check digits + 11..30 alphanumerics (groups of four may be spaced);
# masked only when the mod-97 checksum is right, so product codes are left alone.
_IBAN_ANY = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")

# International: +CC or 00CC, an optional (0), then 6..13 more digits in groups.
_PHONE_INTL = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ .\-/]?\(?\d{1,4}\)?){2,6}(?![\w])"
)
# National (Dutch): starts with 0, digits in up to four groups separated by space, dash or slash,
# optionally with the area code in brackets: (020) 123 4567.
_PHONE_NL = re.compile(r"(?<![\w+/.,-])(?:\(0\d{1,3}\)|0\d{1,3})(?:[ \-/]?\d{2,4}){1,4}(?![\w]|[.,]\d)")

# Dutch postcode: 4 digits (no leading 0), 2 letters (never SA/SD/SS), optional house number.
_POSTCODE = re.compile(
    r"\b[1-9]\d{3}(?: ?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})\b"
    r"(?:,? ?(?:huisnummer |nr\.? ?)?\d{1,5}(?:-?[a-zA-Z]\b|-\d{1,4}\b)?\b)?"
)
_STREET = re.compile(
    r"\b[A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*"
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|steeg|hof|markt|dreef|park|ring|"
    r"plantsoen|baan|burgwal|wal|erf|veld|hage|straatweg)"
    r" \d{1,5}(?: ?[a-zA-Z]\b|-\d{1,4}\b|\b)"
)

_SALUTATION = (
    r"(?:beste|geachte|lieve|hoi|hallo|hey|hee|dag|goedemorgen|goedemiddag|goedenavond|"
    r"dear|hi|hello|good morning|good afternoon|good evening)"
)
_TITLE = (
    r"(?:(?:de )?heer|meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|mr\.?|mrs\.?|ms\.?|miss|dr\.?|ir\.?|"
    r"mr\.|drs\.?|prof\.?|sir|madam)"
)
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|von|le|la|di|da|du)"
_NAME_WORD = r"(?:[A-ZÀ-Ý][\w'’-]*\.?|[A-ZÀ-Ý]\.)"
_SALUTATION_NAME = re.compile(
    rf"(?im)(?:^|(?<=[\n>]))[ \t]*{_SALUTATION}[ \t]+(?:{_TITLE}[ \t]+)?"
    rf"(?P<name>(?:{_NAME_WORD}|{_PARTICLE})(?:[ \t]+(?:{_NAME_WORD}|{_PARTICLE}))*)"
    r"(?=[ \t]*(?:[,!:\n]|$))"
)
# Words after a salutation that are not names.
_NOT_NAMES = {
    "klant", "klanten", "allen", "allemaal", "team", "heer", "mevrouw", "meneer", "there", "all",
    "everyone", "customer", "customers", "sir", "madam", "team", "folks", "collega", "collega's",
    "support", "klantenservice", "daar", "iedereen", "lezer", "reader", "friend", "friends",
}
_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op", "von", "le",
              "la", "di", "da", "du"}


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _iban_ok(s: str) -> bool:
    s = s.replace(" ", "").upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    try:
        num = "".join(str(int(c, 36)) for c in moved)
    except ValueError:
        return False
    return int(num) % 97 == 1


def salutation_names(text: str) -> list[str]:
    """Names addressed in a salutation ("Beste Jan de Vries," -> ["Jan de Vries"])."""
    names = []
    for m in _SALUTATION_NAME.finditer(text):
        name = m.group("name").strip()
        words = name.split()
        # trim particles at the ends ("Beste de", "Hoi Sanne van")
        while words and words[0].lower() in _PARTICLES and len(words) > 1 and not words[0][0].isupper():
            words.pop(0)
        while words and words[-1].lower() in _PARTICLES:
            words.pop()
        if not words or all(w.lower().strip(".") in _NOT_NAMES | _PARTICLES for w in words):
            continue
        if not any(w[0].isupper() for w in words):
            continue
        names.append(" ".join(words))
    return names


def mask_spans(text: str, lang: str = "nl", names: Iterable[str] | None = None) -> list[tuple[int, int, str]]:
    """Spans of customer data in ``text`` with their replacement, sorted, non-overlapping.

    ``names`` are extra names to hide (found in a salutation elsewhere in the same reply)."""
    labels = MASK_LABELS.get(lang, MASK_LABELS["en"])
    found: list[tuple[int, int, str]] = []

    def add(start: int, end: int, kind: str) -> None:
        found.append((start, end, labels[kind]))

    for m in _EMAIL.finditer(text):
        add(m.start(), m.end(), "email")
    for m in _HANDLE.finditer(text):
        add(m.start(), m.end(), "handle")
    for m in _IBAN_NL.finditer(text):
        add(m.start(), m.end(), "iban")
    for m in _IBAN_ANY.finditer(text):
        if _iban_ok(m.group()):
            add(m.start(), m.end(), "iban")
    for m in _PHONE_INTL.finditer(text):
        if 8 <= _digits(m.group()) <= 15:
            add(m.start(), m.end(), "phone")
    for m in _PHONE_NL.finditer(text):
        g = m.group()
        d = _digits(g)
        service = re.match(r"\(?0(?:800|900|90\d|88\d)", g)
        if d == 10 or (service and 7 <= d <= 11):
            add(m.start(), m.end(), "phone")
    for m in _POSTCODE.finditer(text):
        add(m.start(), m.end(), "postcode")
    for m in _STREET.finditer(text):
        add(m.start(), m.end(), "address")
    for name in {*salutation_names(text), *(names or ())}:
        for token in _name_tokens(name):
            for m in re.finditer(rf"(?<![\w{{]){re.escape(token)}(?![\w}}])", text):
                add(m.start(), m.end(), "name")
    return _merge(found)


def _name_tokens(name: str) -> list[str]:
    """The full name first, then its distinctive parts ("Jan de Vries" -> also "Jan", "Vries")."""
    tokens = [name]
    words = [w.strip(".") for w in name.split()]
    if len(words) > 1:
        tokens += [w for w in words if w.lower() not in _PARTICLES and len(w) > 1]
    # longest first so "Jan de Vries" wins over "Jan"
    return sorted(set(tokens), key=len, reverse=True)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sort, and resolve overlaps by keeping the earliest-starting (then longest) span."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str]] = []
    for s in spans:
        if out and s[0] < out[-1][1]:
            if s[1] > out[-1][1]:  # overlapping: extend the kept one
                out[-1] = (out[-1][0], s[1], out[-1][2])
            continue
        out.append(s)
    return out


def apply_masks(text: str, spans: Iterable[tuple[int, int, str]],
                keep: tuple[int, int] | None = None) -> tuple[str, tuple[int, int] | None]:
    """Replace ``spans`` in ``text``.  ``keep`` is a (start, end) range (the highlighted finding)
    that is mapped to its position in the masked text."""
    parts: list[str] = []
    pos = 0
    shift_points: list[tuple[int, int]] = []  # (original offset, new offset) at each boundary
    new_len = 0
    for start, end, repl in spans:
        if start < pos:
            continue
        parts.append(text[pos:start])
        new_len += start - pos
        shift_points.append((start, new_len))
        parts.append(repl)
        new_len += len(repl)
        shift_points.append((end, new_len))
        pos = end
    parts.append(text[pos:])
    masked = "".join(parts)
    if keep is None:
        return masked, None

    def mapped(offset: int, is_end: bool) -> int:
        new = offset
        for (orig_a, new_a), (orig_b, new_b) in zip(shift_points[::2], shift_points[1::2]):
            if offset >= orig_b:
                new = offset - orig_b + new_b
            elif offset > orig_a:  # inside a masked span: snap to its edge
                new = new_b if is_end else new_a
                break
            elif offset <= orig_a:
                break
        return new

    return masked, (mapped(keep[0], False), mapped(keep[1], True))


def mask(text: str, lang: str = "nl") -> str:
    """``text`` with customer data replaced (see module docs)."""
    return apply_masks(text, mask_spans(text, lang))[0]


# --- agent pseudonyms -------------------------------------------------------------------------

KEY_ENV = "REPLYLINT_ANONYMIZE_KEY"


def anonymize_key(explicit: str | None = None) -> bytes:
    """The key for agent pseudonyms: ``--anonymize-key``, else ``$REPLYLINT_ANONYMIZE_KEY``, else a
    random key kept in ``$XDG_CONFIG_HOME/replylint/anonymize.key`` (created on first use), so the
    same agent gets the same pseudonym in every report made on this machine, while nobody can
    recompute it from a list of names."""
    if explicit:
        return explicit.encode()
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "replylint"
    path = base / "anonymize.key"
    try:
        return path.read_text(encoding="ascii").strip().encode()
    except OSError:
        pass
    key = os.urandom(32).hex()
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key + "\n")
    except FileExistsError:
        return path.read_text(encoding="ascii").strip().encode()
    except OSError:
        pass  # read-only home: pseudonyms are stable within this report only
    return key.encode()


def pseudonym(name: str, key: bytes, length: int = 4, prefix: str = "Agent") -> str:
    digest = hmac.new(key, name.strip().casefold().encode(), hashlib.sha256).hexdigest()
    return f"{prefix} {digest[:length]}"


def pseudonyms(names: Iterable[str], key: bytes, prefix: str = "Agent") -> dict[str, str]:
    """Pseudonyms for all ``names``; four hex digits, lengthened only where two names collide."""
    names = sorted(set(names))
    length = 4
    while True:
        out = {n: pseudonym(n, key, length, prefix) for n in names}
        if len(set(out.values())) == len(out) or length >= 64:
            return out
        length += 2


def replace_names(text: str, mapping: Mapping[str, str]) -> str:
    """Replace whole-word mentions of the (real) agent names in ``text`` by their pseudonyms,
    also the first name alone ("Sanne" of "Sanne Bakker")."""
    if not mapping or not text:
        return text
    subs: dict[str, str] = {}
    for real, fake in mapping.items():
        if real.strip():
            subs[real.strip()] = fake
            first = real.split()[0]
            if len(first) > 2 and first.lower() not in _PARTICLES and first not in subs:
                subs[first] = fake
    if not subs:
        return text
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(subs, key=len, reverse=True))
                         + r")(?!\w)")
    return pattern.sub(lambda m: subs[m.group(1)], text)
