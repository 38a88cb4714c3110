"""LaTeX in titles and abstracts turned into readable Unicode, by a small table-driven
converter that runs in linear time (microseconds per abstract)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tui_reader.core.formats.latex_tables import (
    ACCENTS, ALPHABETS, ARGUMENT_DROPPED, ARGUMENT_KEPT, FONT_SWITCHES, MATH_ACCENTS,
    SUBSCRIPTS, SUPERSCRIPTS, SYMBOLS, TEXT_ARGUMENT, WORD_OPERATORS,
)

__all__ = ["render_latex"]

_MAX_DEPTH = 40
"""Deeper nesting than this is treated as plain text: no recursion without bound."""

# Each pattern starts with a literal, not a look-behind, so that the regex engine can
# skip ahead to candidates: several times faster on an abstract.
# Inline maths follows pandoc's rule so that prices are not maths: the opening $ has a
# non-space on its right, the closing $ a non-space on its left and no digit after it.
_MATH_RE = re.compile(
    r"\$\$(?P<display>[^$]{1,3000}?)\$\$"
    r"|\$(?<![\\$]\$)(?P<inline>[^\s$](?:[^$\n\\]|\\.){0,1500}?)(?<!\s)\$(?!\d)"
    r"|\\\((?P<paren>(?:[^\\]|\\[^()\[\]]){1,1500}?)\\\)"
    r"|\\\[(?P<bracket>(?:[^\\]|\\[^()\[\]]){1,3000}?)\\\]",
    re.DOTALL,
)
_TOKEN_RE = re.compile(r"\\(?:[A-Za-z]+\*?|.)?|[{}^_]|[^\\{}^_]+", re.DOTALL)
_DASH_RE = re.compile(r"--(?<![-<!]--)-?(?![->])")
_QUOTES_RE = re.compile(r"``((?:[^`]|`(?!`)){0,500}?)''")  # stops at the next ``
# A TeX tie ('Fig.~\ref', '7525~$\mu$J'); a tilde after a space is an 'about' sign.
_TIE_RE = re.compile(r"~(?<=\S~)(?=[$\\])")
_SIMPLE_ARGUMENT_RE = re.compile(r"[\w.′]+|\(.*\)|\[.*\]")
_WORD_RE = re.compile(r"[^\W\d_]{2}")
"""Two letters in a row: a word, clearer as '_max' than in tiny letters."""
_LEADING_PREFIX_RE = re.compile(r"^([~≈∼≲≳]) +(?=\d)")


def render_latex(text: str) -> str:
    """LaTeX in a title or abstract turned into readable Unicode: `$8\\times$` → `8×`,
    `\\textbf{X}` → `X`, `50\\%` → `50%`, `$\\mathcal{O}(d)$` → `𝒪(d)`, `--` → `–`.

    Text without a backslash, a dollar, `--` or ``` `` ``` is returned as is. Unknown
    commands lose their backslash and keep their argument; unbalanced braces and dollars
    are left readable. Never raises."""
    if "\\" not in text and "$" not in text:
        if "--" not in text and "``" not in text:
            return text
        return _typography(text)
    return _render_cached(text)


@lru_cache(maxsize=4096)
def _render_cached(text: str) -> str:
    text = _TIE_RE.sub(" ", _typography(text))
    pieces: list[str] = []
    last = 0
    open_groups = 0  # '\textbf{$x$ wins}': a group opened before maths closes after it
    for match in _MATH_RE.finditer(text):
        shown, open_groups = _render_text(text[last:match.start()], open_groups)
        pieces.append(shown)
        pieces.append(_render_math(match.group(match.lastgroup or "inline")))
        last = match.end()
    pieces.append(_render_text(text[last:], open_groups)[0])
    return "".join(pieces)


def _typography(text: str) -> str:
    """TeX's dashes and quotes: `--` → –, `---` → —, ``` ``x'' ``` → “x”."""
    if "--" in text:
        text = _DASH_RE.sub(_dash, text)
    if "``" in text:
        text = _QUOTES_RE.sub("“\\1”", text).replace("``", "“")
    return text


def _dash(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if (before.isspace() or before in "([{`'\"") and after.isalpha():
        return match.group()  # a command-line option: '--help'
    return "—" if end - start == 3 else "–"


def _render_text(segment: str, open_groups: int) -> tuple[str, int]:
    """A text segment, and how many command groups are still open at its end."""
    if "\\" not in segment and not (open_groups and "}" in segment):
        return segment, open_groups
    renderer = _Renderer(segment, math=False, open_groups=open_groups)
    return renderer.render(), renderer.open_groups


def _render_math(segment: str) -> str:
    result = _Renderer(segment, math=True).render().strip()
    return _LEADING_PREFIX_RE.sub(r"\1", result)


def _script(argument: str, table: dict[str, str], mark: str) -> str:
    """A sub- or superscript in Unicode where every character has one, else `_x`/`^(x y)`."""
    compact = argument.replace(" ", "")
    if not compact:
        return ""
    if not _WORD_RE.search(compact) and all(ch in table for ch in compact):
        return "".join(table[ch] for ch in compact)
    if len(compact) == 1 or compact.isalnum():
        return mark + compact
    return f"{mark}({compact})"


def _wrap(argument: str) -> str:
    argument = argument.strip()
    if len(argument) <= 1 or _SIMPLE_ARGUMENT_RE.fullmatch(argument):
        return argument
    return f"({argument})"


def _accent(argument: str, mark: str) -> str:
    if not argument:
        return ""
    return unicodedata.normalize("NFC", argument[0] + mark) + argument[1:]


class _Renderer:
    """One pass over the tokens of a text or maths segment; each token is read once."""

    __slots__ = ("tokens", "pos", "math", "open_groups")

    def __init__(self, segment: str, *, math: bool, open_groups: int = 0) -> None:
        self.tokens: list[str] = _TOKEN_RE.findall(segment)
        self.pos = 0
        self.math = math
        self.open_groups = open_groups
        """Groups whose braces are not shown, opened but not yet closed (text mode)."""

    def render(self) -> str:
        return self._until_close(0, closing=False)[0]

    def _until_close(self, depth: int, *, closing: bool) -> tuple[str, bool]:
        """Render tokens up to the matching '}' (consumed) or the end."""
        out: list[str] = []
        tokens = self.tokens
        while self.pos < len(tokens):
            token = tokens[self.pos]
            if token == "}":
                self.pos += 1
                if closing:
                    return "".join(out), True
                if self.open_groups:
                    self.open_groups -= 1  # closes a group opened before some maths
                elif not self.math:
                    out.append("}")
                continue
            out.append(self._atom(depth))
        return "".join(out), False

    def _atom(self, depth: int) -> str:
        token = self.tokens[self.pos]
        if token == "{":
            self.pos += 1
            if depth >= _MAX_DEPTH:
                return "{" if not self.math else ""
            starts_with_command = self.pos < len(self.tokens) and self.tokens[self.pos][:1] == "\\"
            inner, closed = self._until_close(depth + 1, closing=True)
            if self.math or starts_with_command or (closed and not inner):
                if not closed and not self.math:
                    self.open_groups += 1
                return inner
            return "{" + inner + ("}" if closed else "")
        if token[0] == "\\":
            return self._command(depth)
        self.pos += 1
        if token in ("^", "_"):
            if not self.math:
                return token
            table = SUPERSCRIPTS if token == "^" else SUBSCRIPTS
            return _script(self._argument(depth), table, token)
        if self.math:
            return token.replace("~", " ")
        return token

    def _argument(self, depth: int) -> str:
        """The next argument: a braced group, one command, or one character."""
        tokens = self.tokens
        while self.pos < len(tokens):
            token = tokens[self.pos]
            if token == "{":
                self.pos += 1
                if depth >= _MAX_DEPTH:
                    return ""
                inner, closed = self._until_close(depth + 1, closing=True)
                if not closed and not self.math:
                    self.open_groups += 1
                return inner
            if token[0] == "\\":
                return self._command(depth + 1) if depth < _MAX_DEPTH else ""
            if token in ("}", "^", "_"):
                return ""
            stripped = token.lstrip()
            if not stripped:
                self.pos += 1
                continue
            if len(stripped) > 1:
                tokens[self.pos] = stripped[1:]
            else:
                self.pos += 1
            return stripped[0]
        return ""

    def _argument_in(self, depth: int, *, math: bool) -> str:
        saved, self.math = self.math, math
        try:
            return self._argument(depth)
        finally:
            self.math = saved

    def _next_is(self, text: str) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos].startswith(text)

    def _command(self, depth: int) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        name = token[1:].rstrip("*") or token[1:]
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in WORD_OPERATORS:
            follows = self.tokens[self.pos][:1] if self.pos < len(self.tokens) else ""
            return name + (" " if follows == "{" or follows.isalnum() else "")
        if name in ALPHABETS:
            letters = ALPHABETS[name]
            return "".join(letters.get(ch, ch) for ch in self._argument_in(depth, math=True))
        if name in ARGUMENT_KEPT:
            return self._argument_in(depth, math=self.math and name not in TEXT_ARGUMENT)
        if name in ACCENTS:
            return _accent(self._argument_in(depth, math=False), ACCENTS[name])
        if name in MATH_ACCENTS and (self.math or self._next_is("{")):
            return _accent(self._argument(depth), MATH_ACCENTS[name])
        if name in FONT_SWITCHES:
            if self._next_is(" "):
                self._drop_char()  # TeX swallows the space that ends a command word
            return ""
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            numerator = self._argument_in(depth, math=True)
            return f"{_wrap(numerator)}/{_wrap(self._argument_in(depth, math=True))}"
        if name == "sqrt":
            return self._root(depth)
        if name == "binom":
            top = self._argument_in(depth, math=True)
            return f"({top} choose {self._argument_in(depth, math=True)})"
        if name in ("left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr",
                    "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"):
            if self._next_is("."):
                self._drop_char()
            return ""
        if name in ("textsuperscript", "textsubscript"):
            table = SUPERSCRIPTS if name == "textsuperscript" else SUBSCRIPTS
            return _script(self._argument(depth), table, "^" if table is SUPERSCRIPTS else "_")
        if name in ("href", "textcolor", "colorbox"):
            self._argument(depth)  # the address or colour
            return self._argument_in(depth, math=False)
        if name in ("cite", "citep", "citet", "citealp", "ref", "eqref", "autoref", "cref"):
            key = self._argument_in(depth, math=False)
            return f"[{key}]" if name.startswith("cite") else key
        if name in ARGUMENT_DROPPED:
            if self._next_is("{"):
                self._argument(depth)
            return ""
        if name.isalpha() and self._next_is("{"):
            return self._argument(depth)  # unknown command: keep its argument
        return name  # unknown: drop the backslash, keep the word ('\mode' → 'mode')

    def _drop_char(self) -> None:
        token = self.tokens[self.pos]
        if len(token) > 1:
            self.tokens[self.pos] = token[1:]
        else:
            self.pos += 1

    def _root(self, depth: int) -> str:
        degree = ""
        if self._next_is("["):
            token = self.tokens[self.pos]
            close = token.find("]")
            if close > 0:
                degree = token[1:close].strip()
                rest = token[close + 1:]
                if rest:
                    self.tokens[self.pos] = rest
                else:
                    self.pos += 1
        radicand = _wrap(self._argument_in(depth, math=True))
        sign = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(degree)
        if sign is None:
            sign = _script(degree, SUPERSCRIPTS, "^") + "√"
        return sign + radicand
