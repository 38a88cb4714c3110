"""The search language's grammar: tokens, the syntax tree and its parser (folding: core.fold)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tui_reader.core.fold import fold_phrase
from tui_reader.core.search.fields import NUMBER_FIELDS, FieldTermError, HasTerm, NumberTerm, parse_has, parse_number

MAX_DEPTH = 64
"""Deepest nesting of parentheses a query may use; deeper gives a QueryError."""
MAX_TERMS = 100
"""Most terms (words, phrases, fields) a query may hold: each is a scan of the library, so a
pasted page of words would search for minutes; more gives a QueryError."""
MAX_QUERY_LENGTH = 2_000
"""Longest query text, in characters (the search line holds no more); longer gives a QueryError."""

TEXT_FIELDS = {"ti": "ti", "au": "au", "abs": "abs", "tldr": "tldr", "cat": "cat", "id": "id",
               "arxiv": "id", "note": "note", "comment": "comment", "kw": "kw", "keyword": "kw"}
"""Field prefixes that search text, mapped to the haystack they search."""

FIELD_NAMES = ("ti", "au", "abs", "tldr", "cat", "id", "date", "tag", "note", "is", "comment", "kw",
               "has", "like", *NUMBER_FIELDS)
STATES = ("unread", "read", "starred")

class QueryError(ValueError):
    """A query that cannot be understood: `message` says what, `position` (0-based offset
    into the query text) says where; str(err) is one line ending in the 1-based column."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} at column {self.position + 1}"


# The syntax tree -------------------------------------------------------------------------

@dataclass(slots=True, frozen=True)
class TextTerm:
    """Folded `value` appears in the haystack `field` ("any" = every text field, notes, tags)."""

    field: str
    value: str
    raw: str


@dataclass(slots=True, frozen=True)
class TagTerm:
    """The paper carries the tag (compared folded, whole tag)."""

    value: str


@dataclass(slots=True, frozen=True)
class DateTerm:
    """Some day the paper appeared on lies in [start, stop) (ISO strings; None = open)."""

    start: str | None
    stop: str | None
    newest: bool = False
    """`date:newest`: the library's newest day, whatever the clock says (SearchIndex finds
    it among its papers; Query.with_newest pins it for a search done a batch at a time)."""


def in_range(day: str, term: DateTerm) -> bool:
    """Whether an ISO day lies in a date term's [start, stop) (never for an unpinned
    date:newest: one paper alone cannot tell the library's newest day)."""
    if term.newest:
        return False
    return (term.start is None or day >= term.start) and (term.stop is None or day < term.stop)


@dataclass(slots=True, frozen=True)
class StateTerm:
    """is:unread, is:read or is:starred."""

    state: str


@dataclass(slots=True, frozen=True)
class LikeTerm:
    """The papers most like the paper `arxiv_id` (core.rank.similar), not the paper itself."""

    arxiv_id: str


@dataclass(slots=True, frozen=True)
class Not:
    """Papers not matching the child (`-term`)."""

    child: Node


@dataclass(slots=True, frozen=True)
class And:
    """Papers matching every child (words side by side)."""

    children: tuple[Node, ...]


@dataclass(slots=True, frozen=True)
class Or:
    """Papers matching any child (`a OR b`)."""

    children: tuple[Node, ...]


@dataclass(slots=True, frozen=True)
class MatchAll:
    """The empty query: every paper."""


Node = TextTerm | TagTerm | DateTerm | StateTerm | HasTerm | NumberTerm | LikeTerm | Not | And | Or | MatchAll


# Tokens ----------------------------------------------------------------------------------

@dataclass(slots=True, frozen=True)
class Token:
    """One piece of a query, with its 0-based offset (and its value's, for a field)."""

    kind: str  # "(", ")", "OR", "AND", "-", "word", "phrase", "field"
    text: str
    position: int
    field: str = ""
    value_position: int = 0


_FIELD_RE = re.compile(r"([A-Za-z]+):")
_BREAKS = frozenset(" \t\n\r\f\v()\"")


def tokenize(text: str) -> list[Token]:
    """Split a query into tokens in one pass; raises QueryError for an unclosed quote, a text
    over MAX_QUERY_LENGTH or more than MAX_TERMS terms."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query longer than {MAX_QUERY_LENGTH:,} characters", MAX_QUERY_LENGTH)
    tokens: list[Token] = []
    terms = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if terms > MAX_TERMS:
            raise QueryError(f"more than {MAX_TERMS} terms (a quoted phrase is one term)", tokens[-1].position)
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(Token(c, c, i))
            i += 1
        elif c == '"':
            end = _closing_quote(text, i)
            tokens.append(Token("phrase", text[i + 1:end], i))
            terms += 1
            i = end + 1
        elif c == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            tokens.append(Token("-", c, i))
            i += 1
        elif c == "-":
            raise QueryError('nothing to exclude after "-"', i)
        else:
            start = i
            match = _FIELD_RE.match(text, i)
            if match:
                name = match.group(1).lower()
                if name not in TEXT_FIELDS and name not in FIELD_NAMES:
                    raise QueryError(f'unknown field "{match.group(0)}" (fields: '
                                     + " ".join(f + ":" for f in FIELD_NAMES)
                                     + '; quote it to search for the text)', start)
                i = match.end()
                if i < n and text[i] == '"':
                    end = _closing_quote(text, i)
                    tokens.append(Token("field", text[i + 1:end], start, name, i + 1))
                    terms += 1
                    i = end + 1
                    continue
                value_start = i
                while i < n and text[i] not in _BREAKS:
                    i += 1
                if i == value_start:
                    raise QueryError(f'nothing after "{match.group(0)}"', start)
                tokens.append(Token("field", text[value_start:i], start, name, value_start))
                terms += 1
                continue
            while i < n and text[i] not in _BREAKS:
                i += 1
            word = text[start:i]
            kind = word if word in ("OR", "AND") else "word"
            tokens.append(Token(kind, word, start))
            terms += kind == "word"
    if terms > MAX_TERMS:
        raise QueryError(f"more than {MAX_TERMS} terms (a quoted phrase is one term)", tokens[-1].position)
    return tokens


def _closing_quote(text: str, opening: int) -> int:
    end = text.find('"', opening + 1)
    if end == -1:
        raise QueryError("unbalanced quote", opening)
    return end


# Parser ----------------------------------------------------------------------------------

def parse_tree(text: str, *, today: date | None = None) -> Node:
    """The syntax tree of a query; raises QueryError (never anything else) when it is bad."""
    tokens = tokenize(text)
    if not tokens:
        return MatchAll()
    parser = _Parser(tokens, today or date.today(), len(text))
    tree = parser.expression(0)
    if parser.index < len(tokens):
        token = tokens[parser.index]
        raise QueryError("unmatched closing parenthesis", token.position)
    return tree


class _Parser:
    """Recursive descent over: expression := conjunction ('OR' conjunction)*;
    conjunction := unary ('AND'? unary)*; unary := '-'* atom; atom := '(' expression ')' | term."""

    def __init__(self, tokens: list[Token], today: date, length: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.today = today
        self.length = length

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def expression(self, depth: int) -> Node:
        parts = [self.conjunction(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.index += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", ")"):
                raise QueryError("OR needs a term on each side", token.position)
            parts.append(self.conjunction(depth))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def conjunction(self, depth: int) -> Node:
        first = self.peek()
        if first is not None and first.kind in ("OR", "AND"):
            raise QueryError(f"{first.kind} needs a term on each side", first.position)
        parts = [self.unary(depth)]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.index += 1
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", "AND", ")"):
                    raise QueryError("AND needs a term on each side", token.position)
            parts.append(self.unary(depth))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, depth: int) -> Node:
        negations = 0
        while (token := self.peek()) is not None and token.kind == "-":
            negations += 1
            self.index += 1
        token = self.peek()
        if token is None:  # the tokenizer only emits "-" before a non-space character
            raise QueryError('nothing to exclude after "-"', self.length)
        node = self.atom(depth)
        return Not(node) if negations % 2 else node

    def atom(self, depth: int) -> Node:
        token = self.tokens[self.index]
        if token.kind == "(":
            if depth >= MAX_DEPTH:
                raise QueryError(f"parentheses nested deeper than {MAX_DEPTH}", token.position)
            self.index += 1
            inner = self.peek()
            if inner is None:
                raise QueryError("unbalanced parenthesis", token.position)
            if inner.kind == ")":
                raise QueryError("empty parentheses", token.position)
            node = self.expression(depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError("unbalanced parenthesis", token.position)
            self.index += 1
            return node
        if token.kind == ")":
            raise QueryError("unmatched closing parenthesis", token.position)
        if token.kind in ("OR", "AND"):
            raise QueryError(f"{token.kind} needs a term on each side", token.position)
        self.index += 1
        if token.kind in ("word", "phrase"):
            value = fold_phrase(token.text)
            if not value:
                raise QueryError("empty phrase", token.position)
            return TextTerm("any", value, token.text)
        return self.field_term(token)

    def field_term(self, token: Token) -> Node:
        name, raw = token.field, token.text
        if name in TEXT_FIELDS:
            value = fold_phrase(raw)
            if not value:
                raise QueryError(f'nothing after "{name}:"', token.position)
            if TEXT_FIELDS[name] == "id":
                value = _bare_id(value)
            return TextTerm(TEXT_FIELDS[name], value, raw)
        if name == "tag":
            value = fold_phrase(raw)
            if not value:
                raise QueryError('nothing after "tag:"', token.position)
            return TagTerm(value)
        if name == "is":
            state = raw.lower()
            if state not in STATES:
                raise QueryError(f'unknown state "is:{raw}" (is:unread, is:read, is:starred)',
                                 token.value_position)
            return StateTerm(state)
        if name == "like":
            return LikeTerm(_bare_id(raw.lower()))
        if name == "has" or name in NUMBER_FIELDS:
            try:
                return parse_has(raw) if name == "has" else parse_number(name, raw)
            except FieldTermError as err:
                raise QueryError(str(err), token.value_position) from None
        return parse_date_term(raw, token.value_position, self.today)


def _bare_id(value: str) -> str:
    """`id:` accepts ids with a version, `arXiv:` prefixes and URLs."""
    from tui_reader.core.model import find_arxiv_id

    found = find_arxiv_id(value)
    return found[0].lower() if found else value


_DATE_RE = re.compile(r"(?P<op><=|>=|<|>|=)?(?P<value>.*)", re.DOTALL)
_RELATIVE_RE = re.compile(r"(\d{1,4})([dw])")


def parse_date_term(raw: str, position: int, today: date) -> DateTerm:
    """`date:` value: an optional comparison, then YYYY, YYYY-MM, YYYY-MM-DD, today,
    yesterday, or Nd / Nw (N days or weeks ago); or newest (the library's newest day)."""
    match = _DATE_RE.fullmatch(raw)
    assert match is not None  # the pattern matches any text
    op = match.group("op") or "="
    value = match.group("value")
    if value.lower() == "newest":
        if op != "=":
            raise QueryError("date:newest takes no comparison (it is one day: the library's newest)", position)
        return DateTerm(None, None, newest=True)
    first, after = _date_span(value, position + (len(raw) - len(value)), today)
    start, stop = {
        "=": (first, after), ">=": (first, None), ">": (after, None),
        "<": (None, first), "<=": (None, after),
    }[op]
    return DateTerm(start, stop)


def _date_span(value: str, position: int, today: date) -> tuple[str, str]:
    """The first day of a date, year or month, and the day after its end (ISO strings)."""
    lowered = value.lower()
    try:
        if lowered in ("today", "yesterday") or _RELATIVE_RE.fullmatch(lowered):
            if lowered == "today":
                day = today
            elif lowered == "yesterday":
                day = today - timedelta(days=1)
            else:
                relative = _RELATIVE_RE.fullmatch(lowered)
                assert relative is not None  # tested just above
                count, unit = relative.groups()
                day = today - timedelta(days=int(count) * (7 if unit == "w" else 1))
            return day.isoformat(), (day + timedelta(days=1)).isoformat()
        parts = value.split("-")
        if not all(p.isascii() and p.isdigit() for p in parts) or len(parts[0]) != 4 \
                or any(len(p) != 2 for p in parts[1:]) or len(parts) > 3:
            raise ValueError
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1).isoformat(), f"{numbers[0] + 1:04d}-01-01"
        if len(numbers) == 2:
            year, month = numbers
            first = date(year, month, 1)
            after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return first.isoformat(), after.isoformat()
        day = date(*numbers)
        return day.isoformat(), (day + timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        raise QueryError(f'bad date "{value}" (YYYY-MM-DD, YYYY-MM, YYYY, today, newest, 7d, 2w)',
                         position) from None
