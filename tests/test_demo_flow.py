"""The demo's step machine: where each key leads, as a table (no terminal needed)."""

from __future__ import annotations

import pytest

from nutsec.demo.flow import DemoFlow, Move, Place, move_for

FLOW = DemoFlow([1, 3, 1])  # part 2 has three pages


@pytest.mark.parametrize(
    ("start", "move", "end"),
    [
        (Place(0, 0), Move.NEXT, Place(1, 0)),
        (Place(1, 0), Move.NEXT, Place(1, 1)),
        (Place(1, 2), Move.NEXT, Place(2, 0)),
        (Place(2, 0), Move.NEXT, None),  # past the last page: the demo is over
        (Place(2, 0), Move.BACK, Place(1, 2)),  # back to the page just left, not the part's start
        (Place(1, 1), Move.BACK, Place(1, 0)),
        (Place(1, 0), Move.BACK, Place(0, 0)),
        (Place(0, 0), Move.BACK, Place(0, 0)),  # nothing before the first page
        (Place(1, 1), Move.STOP, None),
    ],
)
def test_each_move_leads_to_the_right_page(start: Place, move: Move, end: Place | None) -> None:
    assert FLOW.step(start, move) == end


def test_back_always_undoes_next() -> None:
    place = FLOW.first
    while not FLOW.is_last(place):
        after = FLOW.step(place, Move.NEXT)
        assert after is not None
        assert FLOW.step(after, Move.BACK) == place
        place = after


@pytest.mark.parametrize(
    ("key", "move"),
    [
        (" ", Move.NEXT),
        ("\n", Move.NEXT),
        ("enter", Move.NEXT),
        ("right", Move.NEXT),
        ("pagedown", Move.NEXT),
        ("b", Move.BACK),
        ("left", Move.BACK),
        ("pageup", Move.BACK),
        ("q", Move.STOP),
        ("x", None),  # a stray key moves nothing
        ("\x1b", None),
    ],
)
def test_keys_mean_what_the_trainer_guide_says(key: str, move: Move | None) -> None:
    assert move_for(key) == move


def test_a_part_without_pages_is_a_bug() -> None:
    with pytest.raises(ValueError):
        DemoFlow([1, 0])
