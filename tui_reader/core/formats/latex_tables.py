"""The tables behind core.formats.latex: LaTeX commands and the Unicode characters they stand for."""
from __future__ import annotations

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ",
    "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}

_MATH_SYMBOLS = {
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆",
    "circ": "∘", "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "setminus": "∖",
    "approx": "≈", "sim": "~", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝",
    "neq": "≠", "ne": "≠", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "leqslant": "≤",
    "geqslant": "≥", "ll": "≪", "gg": "≫", "lesssim": "≲", "gtrsim": "≳", "prec": "≺",
    "succ": "≻", "preceq": "⪯", "succeq": "⪰", "triangleq": "≜", "coloneqq": "≔",
    "doteq": "≐", "models": "⊨", "vdash": "⊢", "perp": "⊥", "parallel": "∥", "mid": "|",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
    "supseteq": "⊇", "cup": "∪", "cap": "∩", "bigcup": "⋃", "bigcap": "⋂", "emptyset": "∅",
    "varnothing": "∅", "forall": "∀", "exists": "∃", "nexists": "∄", "neg": "¬", "lnot": "¬",
    "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "infty": "∞", "partial": "∂",
    "nabla": "∇", "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬",
    "oint": "∮", "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
    "implies": "⇒", "impliedby": "⇐", "iff": "⇔", "mapsto": "↦", "longrightarrow": "⟶",
    "longleftarrow": "⟵", "Longrightarrow": "⟹", "uparrow": "↑", "downarrow": "↓",
    "nearrow": "↗", "searrow": "↘", "hookrightarrow": "↪", "rightleftharpoons": "⇌",
    "ldots": "…", "cdots": "⋯", "dots": "…", "dotsc": "…", "dotsb": "⋯", "vdots": "⋮",
    "ddots": "⋱", "prime": "′", "angle": "∠", "top": "⊤", "bot": "⊥", "hbar": "ℏ",
    "ell": "ℓ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "wp": "℘", "imath": "ı", "jmath": "ȷ",
    "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
    "lvert": "|", "rvert": "|", "vert": "|", "lVert": "‖", "rVert": "‖", "Vert": "‖",
    "lbrace": "{", "rbrace": "}", "lbrack": "[", "rbrack": "]", "backslash": "\\",
    "square": "□", "Box": "□", "blacksquare": "■", "diamond": "⋄", "triangle": "△",
    "checkmark": "✓", "surd": "√", "degree": "°", "colon": ":", "cdotp": "·",
}

_TEXT_SYMBOLS = {
    "ldots": "…", "textellipsis": "…", "textendash": "–", "textemdash": "—",
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "textbar": "|", "textless": "<", "textgreater": ">",
    "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\", "textdegree": "°",
    "textregistered": "®", "texttrademark": "™", "copyright": "©", "textcopyright": "©",
    "pounds": "£", "euro": "€", "textbullet": "•", "textperiodcentered": "·",
    "LaTeX": "LaTeX", "TeX": "TeX", "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
    "S": "§", "P": "¶", "dag": "†", "ddag": "‡", "dagger": "†", "ddagger": "‡",
    "slash": "/", "newline": " ", "linebreak": " ", "par": " ", "item": "• ",
    "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ", "medspace": " ",
    "thickspace": " ", "space": " ", "hfill": "", "noindent": "", "centering": "",
    "maketitle": "", "nobreak": "", "relax": "", "xspace": "",
}

# One-character commands: escapes and spacing.
_ESCAPES = {
    "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "{": "{", "}": "}", "|": "‖",
    ",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "\n": " ", "\t": " ", "\\": " ",
    "!": "", "-": "", "/": "", "@": "", "(": "", ")": "", "[": "", "]": "",
}

SYMBOLS: dict[str, str] = {**_ESCAPES, **_GREEK, **_MATH_SYMBOLS, **_TEXT_SYMBOLS}
"""Commands that stand for a fixed string and take no argument."""

WORD_OPERATORS = frozenset(
    "log ln lg exp sin cos tan sec csc cot arcsin arccos arctan sinh cosh tanh max min "
    "arg argmax argmin sup inf lim liminf limsup det dim ker hom Pr deg gcd lcm mod bmod "
    "softmax sgn trace tr diag rank".split()
)
"""Commands printed as their own name ('\\log n' → 'log n')."""

ACCENTS: dict[str, str] = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}
"""Text accents ('\\"o' → 'ö'), as combining marks."""

MATH_ACCENTS: dict[str, str] = {
    "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
    "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307",
    "ddot": "\u0308", "acute": "\u0301", "grave": "\u0300", "breve": "\u0306",
    "check": "\u030c",
}

ARGUMENT_KEPT = frozenset(
    "textbf textit emph texttt textrm textsf textsc textup textmd textnormal textsl "
    "underline uline mbox hbox text textnormal mathrm mathbf mathit mathsf mathtt "
    "mathnormal boldsymbol bm operatorname ensuremath url fbox framebox makebox "
    "footnote underbrace overbrace mathop".split()
)
"""Commands whose argument is shown as it is, without the command."""

TEXT_ARGUMENT = frozenset(
    "textbf textit emph texttt textrm textsf textsc textup textmd textnormal textsl "
    "mbox hbox text url fbox framebox makebox footnote operatorname".split()
)
"""Of ARGUMENT_KEPT, those whose argument is text even inside maths."""

ARGUMENT_DROPPED = frozenset(
    "label begin end vspace hspace vskip hskip color usepackage documentclass "
    "bibliographystyle bibliography thanks phantom hphantom vphantom nocite".split()
)
"""Commands shown as nothing, their argument included."""

FONT_SWITCHES = frozenset(
    "bf it em rm tt sc sf sl small large Large LARGE huge Huge normalsize tiny scriptsize "
    "footnotesize bfseries itshape mdseries upshape scshape normalfont boldmath "
    "textstyle scriptstyle scriptscriptstyle limits nolimits".split()
)
"""Declarations that change the look of what follows; the text is kept."""


def _letters(upper: int, lower: int | None, exceptions: dict[str, str],
             digits: int | None = None) -> dict[str, str]:
    table = {chr(65 + i): chr(upper + i) for i in range(26)}
    if lower is not None:
        table.update({chr(97 + i): chr(lower + i) for i in range(26)})
    if digits is not None:
        table.update({chr(48 + i): chr(digits + i) for i in range(10)})
    table.update(exceptions)
    return table


_SCRIPT = _letters(0x1D49C, 0x1D4B6, {
    "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
    "e": "ℯ", "g": "ℊ", "o": "ℴ",
})
_DOUBLE_STRUCK = _letters(0x1D538, 0x1D552, {
    "C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ",
}, digits=0x1D7D8)
_FRAKTUR = _letters(0x1D504, 0x1D51E, {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"})

ALPHABETS: dict[str, dict[str, str]] = {
    "mathcal": _SCRIPT, "mathscr": _SCRIPT, "mathbb": _DOUBLE_STRUCK, "mathds": _DOUBLE_STRUCK,
    "mathbbm": _DOUBLE_STRUCK, "mathfrak": _FRAKTUR,
}
"""Styled maths alphabets: '\\mathcal{O}' → '𝒪', '\\mathbb{R}' → 'ℝ'."""

SUPERSCRIPTS: dict[str, str] = {
    **dict(zip("0123456789+-−=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾")),
    **dict(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ")),
    **dict(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ")),
    **dict(zip("αβγδεθφχ", "ᵅᵝᵞᵟᵋᶿᵠᵡ")),
    "*": "*", "∗": "*", "′": "′", "'": "′", "∘": "°", "°": "°", "⊤": "ᵀ", "†": "†", "‡": "‡",
}
"""Characters that Unicode has as superscripts."""

SUBSCRIPTS: dict[str, str] = {
    **dict(zip("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")),
    **dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")),
    **dict(zip("βγρφχ", "ᵦᵧᵨᵩᵪ")),
}
"""Characters that Unicode has as subscripts."""
