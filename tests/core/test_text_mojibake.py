"""clean_field repairs mojibake and lost bytes, strips controls, and leaves right text alone."""
from __future__ import annotations

import re

import pytest

from tui_reader.core.formats.text import clean_field, is_placeholder, repair_mojibake, strip_controls

_C1 = re.compile("[\x80-\x9f]")


def garble(text: str) -> str:
    """What the digest did: UTF-8 bytes read as Latin-1."""
    return text.encode("utf-8").decode("latin-1")


def garble_and_lose(text: str) -> str:
    """Read as Latin-1, then the C1 characters (bytes 0x80-0x9F) dropped."""
    return _C1.sub("", garble(text))


@pytest.mark.parametrize("right", [
    "Gül Sena", "Jörg Schäfer", "Renée Dubois", "Iñaki Ibáñez", "Nathaniël de Wit",
    "Lê Văn Phúc", "Zoë Brontë", "Ångström units", "energy of 12 μJ per step",
    "a forgetting factor (γ) and a trace (λ)", "Łukasz Żółw", "Привет мир",
])
def test_utf8_read_as_latin1_is_repaired(right):
    assert clean_field(garble(right)) == right


@pytest.mark.parametrize("right", ["Müller", "the curly ’quotes’ and “doubles”", "em—dash", "Привет мир"])
def test_utf8_read_as_windows_1252_is_repaired(right):
    assert clean_field(right.encode("utf-8").decode("cp1252", errors="ignore")) == right


def test_mojibake_inside_latex_maths_is_repaired_and_the_maths_kept():
    assert clean_field(garble("reaching 812~$μ$J per frame")) == "reaching 812~$μ$J per frame"


@pytest.mark.parametrize("right", [
    "runs 3× faster than the baseline",
    "a 2-7× speedup.",
    "up to 500×.",
    "at 1.25× the cost",
    "a 4×4 grid",
])
def test_lost_byte_after_a_number_is_the_multiplication_sign(right):
    assert "Ã" in garble_and_lose(right)
    assert clean_field(garble_and_lose(right)) == right


def test_times_sign_survives_beside_other_mojibake_and_a_no_break_space_reading():
    # ftfy alone would read '1.5Ã with' as '1.5à with' (a lost no-break space).
    broken = garble_and_lose("Pruning 4–12 blocks gives 1.5× with ≤3% loss for Jürgen")
    assert clean_field(broken) == "Pruning 4–12 blocks gives 1.5× with ≤3% loss for Jürgen"


def test_lost_byte_inside_a_lowercase_word_is_eszett():
    assert clean_field(garble_and_lose("Die Straße")) == "Die Straße"


@pytest.mark.parametrize(("right", "sign"), [
    ("keeps ≤2% of the tokens and the rest", "≤"),
    ("keeps ≥90% of the accuracy and the rest", "≥"),
    ("retains ≈87% of the score for the model", "≈"),
    ("layers 6–18 are pruned for the model", "–"),
    ("a rate of O(1/√T) for the method", "√"),
    ("the thing … and the rest", "…"),
    ("the value a — b of the model", "—"),
])
def test_lone_e2_lead_is_read_from_its_context(right, sign):
    broken = garble_and_lose(right)
    assert sign not in broken
    assert clean_field(broken) == right


@pytest.mark.parametrize("right", [
    "it drops the weak heads—no tuning is needed for the model",
    "the baseline’s accuracy is lower than that of the proposed method",
    "the students’ answers are better than those of the teachers",
    "We don’t claim that it’s optimal, and we’re careful about the bounds",
    "we call it “adaptive pruning” and the results follow",
])
def test_lone_e2_lead_between_words_of_english_prose(right):
    broken = garble_and_lose(right)
    assert "â" in broken
    assert clean_field(broken) == right


def test_turkish_letter_whose_last_byte_was_lost():
    assert clean_field(garble_and_lose("Gül Altıntaş")) == "Gül Altıntaş"
    assert clean_field(garble_and_lose("Ayşe Doğan Işık")) == "Ayşe Doğan Işık"
    assert clean_field(garble_and_lose("Şahin Yılmaz")) == "Şahin Yılmaz"


def test_lost_byte_without_context_is_left_for_a_person():
    # Ö, Ł, Ś, Ş... all lost the same byte; nothing says which one it was.
    assert clean_field(garble_and_lose("Mehmet Öz")) == "Mehmet Ãz"
    assert clean_field(garble_and_lose("Ewa Łuk")) == "Ewa Åuk"


@pytest.mark.parametrize("right", [
    "Müller", "José", "Ångström", "naïve", "São Paulo", "SÃO PAULO", "Åse Berg", "Äpfel",
    "Île-de-France", "Straße", "Ça va", "Jean-François", "Nguyễn Quân, Trần Tâm, Phạm Tấn",
    "Ãngel",  # ambiguous, so left for a person to judge
    "the château and the pâte are the theme of this study",
    "I think that the Tâm method is of interest for the community",
    "深度学习模型", "日本語のテキスト", "한국어 텍스트", "emoji 😀🚀 and ✓", "α, β, γ ≤ 1",
    "price in € and £", "x × y ÷ z", "“quoted” ‘text’ — dash – dash …",
    "Ã", "â", "Â", "costs 5 Ã",
])
def test_right_text_is_left_unchanged(right):
    assert clean_field(right) == right


def test_text_without_suspect_characters_is_returned_as_is():
    text = "Plain ASCII abstract with numbers 1-2 and symbols <>&."
    assert repair_mojibake(text) is text


@pytest.mark.parametrize(("dirty", "clean"), [
    ("a\x1b[31mred\x1b[0m", "ared"),  # the whole sequence goes, not just the ESC
    ("bell\x07 and null\x00", "bell and null"),
    ("csi\x9b2J c1\x85", "csi c1"),
    ("del\x7f", "del"),
    ("over\u202eride \u2066isolate\u2069 mark\u200f", "override isolate mark"),
    ("keeps\ttab and\nnewline", "keeps\ttab and\nnewline"),
    ("carriage\rreturn", "carriagereturn"),
])
def test_control_characters_never_pass(dirty, clean):
    assert clean_field(dirty) == clean


@pytest.mark.parametrize("text", ["Â\x08¡", "\x8dÂ\x80", "\xa0Î\x80", " GÃ\x07¼l "])
def test_cleaning_twice_changes_nothing_more(text):
    once = clean_field(text)
    assert clean_field(once) == once


@pytest.mark.parametrize("text", ["naïve x\x9dhello world", "Gül x\x9fhello world",
                                  "Ã¼ber \x90hello world", "café\x98 hello world"])
def test_a_stray_c1_byte_goes_alone_without_the_text_after_it(text):
    cleaned = clean_field(text)
    assert "hello world" in cleaned
    assert not re.search("[\x80-\x9f]", cleaned)


def test_controls_inside_mojibake_are_removed_after_repair():
    assert clean_field("G\x1bÃ¼l\x07") == "Gül"


def test_strip_controls_keeps_newline_and_tab_only():
    everything = "".join(chr(i) for i in range(0x00, 0xA0))
    assert strip_controls(everything) == "\t\n" + "".join(chr(i) for i in range(0x20, 0x7F))


@pytest.mark.parametrize("text", [
    "Summary generation failed", "Motivation analysis unavailable.", "  method extraction failed ",
    "Result analysis unavailable", "Conclusion extraction failed", "Processing failed",
])
def test_placeholders_become_empty(text):
    assert is_placeholder(text)
    assert clean_field(text) == ""


def test_a_sentence_mentioning_a_placeholder_is_content():
    text = "Processing failed for 3% of the inputs."
    assert not is_placeholder(text)
    assert clean_field(text) == text


def test_clean_field_trims_whitespace():
    assert clean_field("  \n spaced out \t ") == "spaced out"


def test_double_mojibake_is_undone_in_one_call():
    assert clean_field(garble(garble("été à Zürich"))) == "été à Zürich"


def test_a_run_that_is_not_plain_mojibake_goes_to_ftfy():
    # 'Ã©' then a cp1252 '”' whose last byte (undefined in cp1252) was lost: neither a
    # Latin-1 nor a cp1252 reading decodes the run whole.
    assert clean_field("the cafÃ©â€ and the bar") == "the café” and the bar"
