"""Text repair for digest fields: control characters, mojibake, paragraphs, LaTeX."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from tui_reader.core.formats.latex import render_latex
from tui_reader.core.surrogates import replace_lone_surrogates

__all__ = [
    "MESSAGE_LIMIT", "PLACEHOLDERS", "clean_field", "is_placeholder", "join_wrapped_lines", "message_line",
    "render_latex", "repair_mojibake", "replace_lone_surrogates", "steady_width", "strip_controls",
]

# C0 and C1 controls except tab and newline, DEL, and the bidi controls used to spoof text
# (marks, embeddings, overrides, isolates, the Arabic letter mark).
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_CONTROL_NOT_C1_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Whole escape sequences, so that no residue ('[31m', ']0;title') is left once the ESC is
# gone: CSI (ESC [ or 0x9B) with its parameters and final byte; OSC, DCS, SOS, PM and APC
# (ESC ] P X ^ _ or 0x9D 0x90 0x98 0x9E 0x9F) up to BEL or ST (ESC \\ or 0x9C), the end of the
# line, or 4096 characters; any other ESC with its intermediate and final bytes. Every repeat
# is bounded and what is scanned is removed, so the cost stays linear.
_ESCAPE_7BIT = (
    r"\x1b\[[0-?]{0,64}[ -/]{0,16}[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]{0,16}[0-~]?"
)
_ESCAPE_7BIT_RE = re.compile(_ESCAPE_7BIT)
_ESCAPE_RE = re.compile(
    _ESCAPE_7BIT + r"|\x9b[0-?]{0,64}[ -/]{0,16}[@-~]?"
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)?"
)

PLACEHOLDERS = frozenset(
    s.casefold()
    for s in (
        "Summary generation failed",
        "Motivation analysis unavailable",
        "Method extraction failed",
        "Result analysis unavailable",
        "Conclusion extraction failed",
        "Processing failed",
        "摘要生成失败",
        "总结生成失败",
        "生成失败",
    )
)
_LONGEST_PLACEHOLDER = max(map(len, PLACEHOLDERS)) + 1


def strip_controls(text: str) -> str:
    """Remove every control character except newline and tab, and escape sequences whole;
    lone surrogates become U+FFFD."""
    text = replace_lone_surrogates(text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text or "\x90" in text or "\x98" in text \
            or "\x9e" in text or "\x9f" in text:
        text = _ESCAPE_RE.sub("", text)
    return _CONTROL_RE.sub("", text)


def one_line(text: str) -> str:
    """Text for one line of a terminal: control characters removed, every run of
    whitespace (line breaks too) one space, no space at either end."""
    return " ".join(strip_controls(text).split())


# What joins emoji into one glyph or changes its presentation: the zero-width joiner,
# variation selectors, skin-tone modifiers and tag characters. Terminals disagree on how
# wide the result is (2 cells, or the sum of its parts), so a column that counts one and a
# terminal that draws the other shifts every column after it.
_GLYPH_JOINERS_RE = re.compile("[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]")
_REGIONAL_INDICATORS_RE = re.compile("[\U0001f1e6-\U0001f1ff]")


def steady_width(text: str) -> str:
    """Text every terminal draws as wide as it is counted, for cells in columns: emoji
    joiners, variation selectors, skin tones and tags dropped (a joined emoji shows as its
    parts), flags as their two letters ('🇫🇷' -> 'FR')."""
    if text.isascii():
        return text
    text = _GLYPH_JOINERS_RE.sub("", text)
    return _REGIONAL_INDICATORS_RE.sub(lambda m: chr(ord(m.group()) - 0x1F1E6 + ord("A")), text)


MESSAGE_LIMIT = 1000
"""Most characters of one message line (a huge name, URL or setting is shortened in it)."""
_LONG_RUN_RE = re.compile(r"\S{201,}")


def message_line(message: str) -> str:
    """A message as one line a person can read: no control character, any run of more than
    200 characters without a space (a name, URL or value; paths are shorter) cut to its
    start and end, the whole at most MESSAGE_LIMIT characters."""
    text = _LONG_RUN_RE.sub(lambda run: run.group()[:150] + "…" + run.group()[-40:], one_line(message))
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT - 1] + "…"


_C1_CSI_RE = re.compile(r"\x9b[0-?]{0,64}[ -/]{0,16}[@-~]?")


def _strip_c1(text: str) -> str:
    """Controls left in a non-ASCII field once its mojibake is repaired. A C1 character
    here is debris of a broken UTF-8 sequence far more often than a terminal command, so
    only an 8-bit CSI takes its (short, bounded) parameters with it; the C1 string
    introducers (0x90 0x98 0x9D-0x9F: bytes of ş, ß, ğ, ”...) go alone instead of taking
    the rest of the line as strip_controls would."""
    if "\x9b" in text:
        text = _C1_CSI_RE.sub("", text)
    return _CONTROL_RE.sub("", text)


def is_placeholder(text: str) -> bool:
    """True for the generator's 'summary failed' placeholders."""
    return text.strip().rstrip(".").casefold() in PLACEHOLDERS


def clean_field(text: str) -> str:
    """A field as people should read it: mojibake repaired, controls removed,
    whitespace trimmed; a placeholder becomes the empty string."""
    if text.isascii():  # most fields: no mojibake possible, and controls are rare
        if not text.isprintable():
            text = strip_controls(text)
    else:
        text = replace_lone_surrogates(text)
        if "\x1b" in text:  # whole 7-bit sequences first: the ESC alone goes just below
            text = _ESCAPE_7BIT_RE.sub("", text)
        # C1 characters may be the middle of a mojibake sequence: they go after the repair.
        text = _CONTROL_NOT_C1_RE.sub("", text).strip()
        if _looks_garbled(text):
            for _ in range(3):  # until settled, so that cleaning a clean field changes nothing
                repaired = _strip_c1(repair_mojibake(text)).strip()
                if repaired == text:
                    break
                text = repaired
        else:
            text = _strip_c1(text)
    text = text.strip()
    if len(text) <= _LONGEST_PLACEHOLDER and is_placeholder(text):
        return ""
    return text


# --- Mojibake: UTF-8 that was decoded as Latin-1 or Windows-1252 ---------------------

# What the bytes 0x80-0x9F became: C1 controls (Latin-1) or Windows-1252 punctuation.
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
# A UTF-8 lead byte followed by a continuation byte, seen through Latin-1 or cp1252, or a
# lead character whose continuation bytes were lost (see _LOST_BYTE_RULES).
_LEAD_RE = re.compile("[\u00c2-\u00f4]")
_SEQUENCE = f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_HIGH}]"
_SEQUENCE_RE = re.compile(_SEQUENCE)
_SUSPECT_RE = re.compile(_SEQUENCE + "|[\u00c3\u00e2\u00c4\u00c5]")

# Where a digest lost the C1 bytes of a UTF-8 sequence (bytes 0x80-0x9F dropped after a
# Latin-1 decoding), the context often tells which byte it was. Each rule puts the lost
# byte back, as the C1 character Latin-1 would have made of it, so that the decoder
# below turns the whole sequence into the right character. (Each pattern starts with its
# literal and looks behind afterwards, which lets the regex engine skip ahead quickly.)
_LOST_BYTE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # '8Ã lower', '1000Ã.': a number followed by the multiplication sign (C3 97).
    (re.compile(r"Ã(?<=\dÃ)(?=[\s.,;:!?)\]/\d-]|$)"), "Ã\x97"),
    # 'StraÃe': the only lowercase letter in C3 80-9F is ß (C3 9F).
    (re.compile(r"Ã(?<=[a-z]Ã)(?=[a-z])"), "Ã\x9f"),
    # 'â¤2%': E2 89 A4 (≤) with its middle byte lost; the third byte tells which sign.
    (re.compile("â(?=[¤¥ª«])"), "â\x89"),   # ≤ ≥ ≪ ≫
    (re.compile("â(?=[¦¢°²³])"), "â\x80"),   # … • ‰ ′ ″
    (re.compile("â(?=¼)"), "â\x88"),         # ∼
    (re.compile("â(?=¬)"), "â\x82"),         # €
    # 'â€ and': a closing ” whose last byte (0x9D, undefined in cp1252) was lost.
    (re.compile(r"â€(?<=\Sâ€)(?=\s|$|[.,;:!?)])"), "â€\x9d"),
    # A lone 'â' lost both continuation bytes: E2 80 xx punctuation or E2 88/89 xx maths.
    (re.compile(r"â(?<=\dâ)(?=\d)"), "â\x80\x93"),              # '8â16' → 8–16
    (re.compile(r"â(?<=/â)(?=[\w(])"), "â\x88\x9a"),             # 'O(1/âK)' → O(1/√K)
    (re.compile(r"â(?<![^\s(]â)(?=\d)"), "â\x89\x88"),           # 'â94%' → ≈94%
    (re.compile(r"â(?<=\sâ)(?=\s)"), "â\x80\x94"),               # 'a â b' → a — b
)
# These readings of a lone 'â' beside letters are only safe in English prose: French and
# Vietnamese spell real words with â ('château', 'Quân').
_PRONOUNS = ("I", "[Ww]e", "[Yy]ou", "[Tt]hey", "[Hh]e", "[Ss]he", "[Ii]t", "[Tt]hat",
             "[Tt]here", "[Ww]ho")
_AFTER_PRONOUN = "(?:" + "|".join(f"(?<=\\b{p}â)" for p in _PRONOUNS) + ")"
_PROSE_LOST_BYTE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # 'modelâs', 'donât', 'weâre': an apostrophe (E2 80 99).
    (re.compile(r"â(?:(?<=[A-Za-z]â)(?=s(?![A-Za-z]))|(?<=[A-Za-z]nâ)(?=t(?![A-Za-z]))"
                r"|" + _AFTER_PRONOUN + r"(?=(?:re|ve|ll|d|m)(?![A-Za-z])))"),
     "â\x80\x99"),
    # 'âbest effortâ': a pair of double quotes (E2 80 9C, E2 80 9D).
    (re.compile(r"â(?<![^\s(\[]â)(?=[A-Za-z0-9])([^â\n]{1,300}?[A-Za-z0-9.,!?])â(?![A-Za-z0-9])"),
     "â\x80\x9c\\1â\x80\x9d"),
    # "methodsâ adaptability": a closing apostrophe.
    (re.compile(r"â(?<=[A-Za-z]â)(?=[\s.,;:!?)]|$)"), "â\x80\x99"),
    # 'onesâno': an em dash (E2 80 94) between English words (four ASCII letters before).
    # Not 'Alcântara' or 'importância' (Portuguese writes â before n and m).
    (re.compile(r"â(?<=[A-Za-z]{4}â)(?<![^\W\d_A-Za-z][A-Za-z]{4}â)(?=[A-Za-z])(?!nci[ao])"),
     "â\x80\x94"),
)
_PROSE_RE = re.compile(
    r"\b(?:the|and|of|with|for|is|are|that|we|this|by|from|which|our|than)\b", re.IGNORECASE
)
# Turkish ş (C5 9F) and ğ (C4 9F) whose last byte was lost ('AltıntaÅ'), told apart from
# the other letters of those rows by a Turkish letter elsewhere in the same field.
_TURKISH_SIGN_RE = re.compile("[ıİğĞşŞ]")
_TURKISH_LOST_RE = re.compile(
    r"(?<=[A-Za-zÇçĞğİıÖöŞşÜü])[ÅÄ](?=[a-zçğıöşü]|[^\w]|$)"  # inside or ending a word: ş ğ
    r"|(?<![^\W\d_])Å(?=[a-zçğıöşü])"  # starting a word: Ş
)


def _is_prose(text: str) -> bool:
    """True when the text reads as English sentences (a few common words)."""
    return len(set(m.group().lower() for m in _PROSE_RE.finditer(text, 0, 4000))) >= 2


def _turkish_letter(match: re.Match[str]) -> str:
    if match.group() == "Ä":
        return "ğ"
    start = match.start()
    return "Ş" if start == 0 or not match.string[start - 1].isalpha() else "ş"


@lru_cache(maxsize=1)
def _mojibake_decoder() -> Callable[[str], str]:
    """ftfy's encoding repair alone (no quote, width or normalisation changes); imported
    on first use because it costs tens of milliseconds to load."""
    from ftfy import TextFixerConfig, fix_text

    config = TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
        fix_c1_controls=False, remove_control_chars=False, normalization=None, explain=False,
    )
    return lambda s: fix_text(s, config)


def _decode_mojibake(text: str) -> str:
    """Mojibake repaired by ftfy (see _mojibake_decoder)."""
    return _mojibake_decoder()(text)


def _looks_garbled(text: str) -> bool:
    """The fast precheck: ASCII text (most fields) is answered without a regex scan, and
    the full pattern only runs from the first lead character on."""
    if text.isascii():
        return False
    lead = _LEAD_RE.search(text)
    return lead is not None and _SUSPECT_RE.search(text, lead.start()) is not None


# A run of non-ASCII characters: the decoder looks at each alone, since its cost grows with
# the length of what it is given (milliseconds for a whole abstract), and no mojibake
# sequence holds an ASCII character (every byte of a UTF-8 sequence is 0x80 or above).
_WINDOW_RE = re.compile(r"[^\x00-\x7f]+")


def _decode_window(match: re.Match[str]) -> str:
    window = match.group()
    # Without a lead followed by a continuation there is nothing the decoder could undo.
    if not _SEQUENCE_RE.search(window):
        return window
    for misread_as in ("latin-1", "cp1252"):  # the common cases, without ftfy's cost per call
        try:
            return window.encode(misread_as).decode("utf-8")
        except UnicodeError:
            pass
    return _decode_mojibake(window)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 ('GÃ¼l' → 'Gül'), restoring bytes that were lost
    where the context is unambiguous ('8Ã faster' → '8× faster'). Text that does not look
    damaged is returned as is, without the cost of the decoder."""
    if not _looks_garbled(text):
        return text
    if "Ã" in text or "â" in text:
        for pattern, replacement in _LOST_BYTE_RULES:
            text = pattern.sub(replacement, text)
    if "â" in text and _is_prose(text):
        for pattern, replacement in _PROSE_LOST_BYTE_RULES:
            text = pattern.sub(replacement, text)
    text = _WINDOW_RE.sub(_decode_window, text)
    if ("Å" in text or "Ä" in text) and _TURKISH_SIGN_RE.search(text):
        text = _TURKISH_LOST_RE.sub(_turkish_letter, text)
    return text


# --- Paragraphs ----------------------------------------------------------------------

_SENTENCE_END = (".", "!", "?", ":", ".)", '."', ".'", ".”", "?”", "!”")
_PARAGRAPH_LINE = 100
"""A line longer than this is a whole paragraph, not part of a hard-wrapped block."""


def join_wrapped_lines(lines: list[str]) -> str:
    """Join a field's lines into paragraphs separated by a blank line.

    A blank line always ends a paragraph. Otherwise a line that closes a sentence ends
    one when it is a whole paragraph by itself (longer than any hard wrap), or when it is
    part of a hard-wrapped block yet the next line's first word would have fitted on it
    (a wrapper would not have broken there). Where the continuation lines are indented
    unevenly (arXiv's own convention), an indented line starts a paragraph; the
    generator's Markdown indents them all alike, which says nothing. Anything else is a
    hard wrap and joins with a space, or with nothing after a hyphen ('forward-' + 'only')."""
    if len(lines) == 1:  # most fields
        return lines[0].strip()
    indents = [len(line) - len(line.lstrip()) for line in lines]
    body = [indent for line, indent in zip(lines[1:], indents[1:]) if line.strip()]
    base_indent = min(body, default=0)
    uneven = bool(body) and max(body) > base_indent
    lines = [line.strip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    wrap_width = max((len(line) for line in lines if len(line) <= _PARAGRAPH_LINE), default=0)
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current and uneven and i and indents[i] > base_indent:
            paragraphs.append(current)
            current = ""
        if not current:
            current = line
        elif current.endswith("-") and current[-2:-1].isalpha() and line[:1].islower():
            current += line
        else:
            current += " " + line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if following and _ends_paragraph(line, following, wrap_width):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ends_paragraph(line: str, following: str, wrap_width: int) -> bool:
    if not line.endswith(_SENTENCE_END):
        return False
    if len(line) > _PARAGRAPH_LINE:
        return True
    next_word = following.split(maxsplit=1)[0]
    return len(line) + 1 + len(next_word) <= wrap_width
