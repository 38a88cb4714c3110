"""Confidence groups: thresholds from the person's own liked and passed-over scores."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui_reader.core.rank.confidence import LIKELY, MAYBE, UNLIKELY, calibrate

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_too_few_marks_on_either_side_give_no_groups():
    assert calibrate([0.9, 0.8], [0.1, 0.2, 0.3]) is None
    assert calibrate([0.9, 0.8, 0.7], [0.1, 0.2]) is None


def test_separated_scores_give_a_maybe_band_between_the_quartiles():
    confidence = calibrate([0.9, 0.8, 0.7, 0.6, 0.95], [0.1, 0.2, 0.3, 0.4, 0.05])
    assert confidence is not None
    assert confidence.likely == 0.7  # lower quartile of the liked
    assert confidence.unlikely == 0.3  # upper quartile of the passed over
    assert confidence.group(0.85) == LIKELY
    assert confidence.group(0.5) == MAYBE
    assert confidence.group(0.1) == UNLIKELY
    assert "likely (0.85" in confidence.explain(0.85)


def test_the_same_score_gets_the_same_word_whatever_the_day_brings():
    confidence = calibrate([0.6, 0.7, 0.8], [0.2, 0.3, 0.4])
    assert confidence is not None
    weak_day = [0.2, 0.25, 0.3]
    strong_day = [0.75, 0.8, 0.9]
    assert {confidence.group(s) for s in weak_day} == {UNLIKELY}
    assert {confidence.group(s) for s in strong_day} == {LIKELY}


@given(st.lists(unit, min_size=3, max_size=40), st.lists(unit, min_size=3, max_size=40), unit)
def test_thresholds_are_ordered_and_every_score_gets_one_group(liked, passed, score):
    confidence = calibrate(liked, passed)
    assert confidence is not None
    assert confidence.unlikely <= confidence.likely
    assert confidence.group(score) in (LIKELY, MAYBE, UNLIKELY)
    assert confidence.group(1.0) == LIKELY
