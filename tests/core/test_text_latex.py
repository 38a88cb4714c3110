"""render_latex turns the LaTeX of titles and abstracts into readable Unicode."""
from __future__ import annotations

import pytest

from tui_reader.core.formats.text import render_latex


@pytest.mark.parametrize(("latex", "shown"), [
    # the forms the issue names
    (r"up to $8\times$ faster", "up to 8× faster"),
    (r"we propose \textbf{FastNet}, a model", "we propose FastNet, a model"),
    (r"a 50\% cut", "a 50% cut"),
    (r"memory of $\mathcal{O}(d)$", "memory of 𝒪(d)"),
    (r"robust to ${\ell}_p$-norm attacks", "robust to ℓₚ-norm attacks"),
    # symbols and relations
    (r"$\alpha$, $\beta$, $\Gamma$ and $\omega$", "α, β, Γ and ω"),
    (r"accuracy $\approx 91\%$", "accuracy ≈91%"),
    (r"$\approx94\%$ of it", "≈94% of it"),
    (r"$\sim 300\times$ cheaper", "~300× cheaper"),
    (r"where $k \leq n$ and $m \geq 2$", "where k ≤ n and m ≥ 2"),
    (r"with $r \ll d$ and $N \gg 1$", "with r ≪ d and N ≫ 1"),
    (r"$a \neq b \in \mathbb{R}$", "a ≠ b ∈ ℝ"),
    (r"$x \to \infty$", "x → ∞"),
    (r"$\mathbb{E}[\theta]=0.5$", "𝔼[θ]=0.5"),
    (r"$\mathbb{R}^d$ and $\mathbb{N}$", "ℝᵈ and ℕ"),
    (r"$\mathfrak{g}$", "𝔤"),
    # roots, fractions, operators
    (r"a rate of $\mathcal{O}(1/\sqrt{T})$", "a rate of 𝒪(1/√T)"),
    (r"$\sqrt{n+1}$ and $\sqrt[3]{x}$", "√(n+1) and ∛x"),
    (r"$\frac{1}{2}$, $\frac{a+b}{c}$ and $\frac12$", "1/2, (a+b)/c and 1/2"),
    (r"in $O(n \log n)$ time", "in O(n log n) time"),
    (r"in O(n \log n) time", "in O(n log n) time"),
    (r"$\max_i x_i$", "maxᵢ xᵢ"),
    (r"$\binom{n}{k}$", "(n choose k)"),
    # sub- and superscripts
    (r"$\ell_2$ loss", "ℓ₂ loss"),
    (r"$10^{3}\times$ more", "10³× more"),
    (r"$x^{-1}$, $x^{n+1}$, $W^\top$, $90^\circ$", "x⁻¹, xⁿ⁺¹, Wᵀ, 90°"),
    (r"$E[S_m]$ and $T_k$", "E[Sₘ] and Tₖ"),
    (r"$x_{i,j}$ and $y_q$", "x_(i,j) and y_q"),
    (r"$x_{\max}$ and $x_{i+1}$", "x_max and xᵢ₊₁"),
    (r"$\hat{y}$ and $\bar{x}$", "ŷ and x̄"),
    # text commands
    (r"\textit{a}, \emph{b}, \texttt{c}, \textsc{d}, \underline{e}", "a, b, c, d, e"),
    (r"\texttt{Fx} (\textbf{F}ast e\textbf{X}perts)", "Fx (Fast eXperts)"),
    (r"45$\mathrm{nm}$ node", "45nm node"),
    (r"$\text{loss}_{\text{train}}$", "loss_train"),
    (r"{\bf bold} and {\em stressed}", "bold and stressed"),
    (r"Schr\"odinger, \'{e}t\'e, \c{c}a, G\"{o}del", "Schrödinger, été, ça, Gödel"),
    (r"see \cite{smith2020}", "see [smith2020]"),
    (r"\href{https://example.org}{our code}", "our code"),
    (r"7525~$\mu$J", "7525 μJ"),
    (r"costs \$5 and \& more \# one", "costs $5 and & more # one"),
    (r"a\_b and \{x\}", "a_b and {x}"),
    (r"\LaTeX{} and \ldots", "LaTeX and …"),
    # unknown commands
    (r"\ours adapts quickly", "ours adapts quickly"),
    (r"\newthing{kept} text", "kept text"),
    # TeX typography
    (r"from 1.3B--15B", "from 1.3B–15B"),
    (r"pages 3--5 and a---b", "pages 3–5 and a—b"),
    ("tasks -- including some -- and more", "tasks – including some – and more"),
    (r"$8$--$16$ layers", "8–16 layers"),
    ("``smooth'' claims", "“smooth” claims"),
])
def test_latex_becomes_unicode(latex, shown):
    assert render_latex(latex) == shown


@pytest.mark.parametrize("text", [
    "Plain abstract without any markup at all.",
    "Costs $5 and $10 per run.",
    "It costs $5.",
    "A budget of $20,000 and $30,000.",
    "Use the --verbose flag or `--help`.",
    "Arrows --> and <-- and <!-- comments -->",
    "snake_case and x^2 outside maths",
    "about ~50% of the data",
    "Müller, 日本語, emoji 😀 and “quotes”",
    "{0,1} set in plain text",
])
def test_text_that_must_not_change(text):
    assert render_latex(text) == text


def test_text_without_markup_is_the_same_object():
    text = "Nothing to render here, 50% plain."
    assert render_latex(text) is text


@pytest.mark.parametrize("broken", [
    "$", "$$", "\\", "\\\\", "{", "}", "}{", "$x", "x$", r"$\frac{$", r"\textbf{unclosed",
    r"$\sqrt$", r"$x^$", r"$x_{$", r"\left(", "$$x", r"\begin{itemize}", "{" * 200 + "x",
    "}" * 200, r"\sqrt" * 300, r"\hat" * 300, "$x^{" * 100, "^_" * 100,
])
def test_broken_latex_never_raises_and_keeps_the_text_readable(broken):
    shown = render_latex(broken)
    assert isinstance(shown, str)
    assert len(shown) <= 2 * len(broken) + 10


def test_unclosed_command_argument_keeps_its_text():
    assert render_latex(r"\textbf{unclosed bold") == "unclosed bold"


def test_a_command_group_around_maths_closes_after_it():
    assert render_latex(r"\textbf{$k$-means wins} here, {0,1} stays") == "k-means wins here, {0,1} stays"
    assert render_latex(r"\emph{\textbf{$x$}} and $y$}") == "x and y}"


def test_unbalanced_dollar_leaves_text_in_place():
    assert render_latex(r"a $\alpha and more") == "a $α and more"


def test_paragraph_breaks_survive_rendering():
    assert render_latex("First $x$.\n\nSecond \\textbf{y}.") == "First x.\n\nSecond y."


def test_display_and_bracket_maths():
    assert render_latex(r"$$\alpha$$ and \(\beta\) and \[\gamma\]") == "α and β and γ"
