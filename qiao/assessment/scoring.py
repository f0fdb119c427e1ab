"""Pure functions for quizzes: drawing questions and scoring answers (no database writes)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence


def draw(pool: Iterable[int], count: int, seed: int) -> list[int]:
    """`count` question ids from `pool`, the same ones for the same seed and pool."""
    return random.Random(seed).sample(sorted(pool), count)


def is_right(selected: Sequence[int], correct: Sequence[int]) -> bool:
    """All or nothing: exactly the correct options, no more, no fewer."""
    return bool(correct) and set(selected) == set(correct)


def score(
    question_ids: Sequence[int],
    answers: Mapping[str, Sequence[int]],
    correct: Mapping[int, Sequence[int]],
) -> tuple[int, int]:
    """(number right, score in % of the questions drawn)."""
    right = sum(
        1 for qid in question_ids if is_right(answers.get(str(qid), []), correct.get(qid, []))
    )
    percent = round(100 * right / len(question_ids)) if question_ids else 0
    return right, percent
