"""The leadership survey's answers: every wave of every cohort, the planted data problems, and the true values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .dates import random_moment
from .leadership_survey import (
    ANSWER_NOISE_SD,
    FREE_TEXT,
    LEADERSHIP_ITEMS,
    PERSON_SD,
    PLANTED_SHIFT,
    POST_WAVES,
    TRUE_VALUE_PERSONS,
    SurveyItem,
    wave_items,
)
from .randomness import pick, random_stream
from .roster import Cohort, Participant


@dataclass(frozen=True)
class SurveyResponse:
    """One questionnaire as a survey tool recorded it."""

    person: Participant
    started: dt.datetime
    ended: dt.datetime
    recorded: dt.datetime
    answers: tuple[int | None, ...]  # stored values in item order; None = not answered
    free_text: str | None
    progress: int = 100

    @property
    def finished(self) -> bool:
        return self.progress == 100


@dataclass(frozen=True)
class TrueChange:
    """The true expected scale-score change of one construct, from the large simulation."""

    construct: str
    planted_shift: float
    baseline_mean: float
    expected_change: float
    standard_error: float


def likert_answers(items: Sequence[SurveyItem], theta: np.ndarray, wave: str, rng: np.random.Generator) -> np.ndarray:
    """Answers (persons x items) as a survey stores them.

    ``clip(round(mean + theta + shift + noise), 1, 5)`` in the construct's
    direction; a reverse-coded item is stored the other way round (6 - answer),
    because agreeing with it means *less* of the construct.
    """
    means = np.array([item.mean for item in items])
    shifts = np.array([PLANTED_SHIFT.get(item.construct, 0.0) if wave in POST_WAVES else 0.0 for item in items])
    noise = rng.normal(0.0, ANSWER_NOISE_SD, size=(theta.size, len(items)))
    answers = np.clip(np.rint(means + shifts + theta[:, None] + noise), 1, 5).astype(np.int64)
    reverse = np.array([item.reverse_coded for item in items])
    stored: np.ndarray = np.where(reverse, 6 - answers, answers)
    return stored


def scale_scores(items: Sequence[SurveyItem], stored: np.ndarray) -> dict[str, np.ndarray]:
    """Scale score per construct: the mean of its items, reverse-coded items turned back first."""
    reverse = np.array([item.reverse_coded for item in items])
    scored = np.where(reverse, 6 - stored, stored)
    constructs = list(dict.fromkeys(item.construct for item in items))
    return {c: scored[:, [i for i, item in enumerate(items) if item.construct == c]].mean(axis=1) for c in constructs}


def true_values(seed: int) -> tuple[list[TrueChange], dict[str, float]]:
    """True expected scale changes (baseline to endpoint) and endpoint rating means, by simulation.

    Rounding and clipping to 1-5 make the change of a scale score smaller than
    the planted latent shift; running the same generator for 200,000 people
    gives the expectation to about +/-0.002.
    """
    rng = random_stream(seed, "true values")
    theta = rng.normal(0.0, PERSON_SD, TRUE_VALUE_PERSONS)
    scales = [item for item in LEADERSHIP_ITEMS if not item.endpoint_only]
    baseline = scale_scores(scales, likert_answers(scales, theta, "baseline", rng))
    endpoint = scale_scores(scales, likert_answers(scales, theta, "endpoint", rng))
    changes = []
    for construct, shift in PLANTED_SHIFT.items():
        change = endpoint[construct] - baseline[construct]
        changes.append(
            TrueChange(
                construct,
                shift,
                float(baseline[construct].mean()),
                float(change.mean()),
                float(change.std(ddof=1) / math.sqrt(change.size)),
            )
        )
    ratings = [item for item in LEADERSHIP_ITEMS if item.endpoint_only]
    rating_scores = scale_scores(ratings, likert_answers(ratings, theta, "endpoint", rng))
    return changes, {construct: float(scores.mean()) for construct, scores in rating_scores.items()}


def simulate_wave(
    people: Sequence[Participant], wave: str, first_day: dt.date, rng: np.random.Generator
) -> list[SurveyResponse]:
    """Every given person's finished questionnaire for a wave, submitted within two weeks of ``first_day``."""
    items = wave_items(wave)
    question = FREE_TEXT[wave]
    answers = likert_answers(items, np.array([p.theta for p in people]), wave, rng)
    responses = []
    for person, row in zip(people, answers, strict=True):
        recorded = random_moment(rng, first_day, 14)
        started = recorded - dt.timedelta(seconds=int(rng.integers(240, 1500)))
        text = None if rng.random() < question.blank_share else pick(rng, question.answers)
        responses.append(SurveyResponse(person, started, recorded, recorded, tuple(int(v) for v in row), text))
    return responses


def leadership_responses(
    cohort: Cohort, people: Sequence[Participant], rng: np.random.Generator
) -> dict[str, list[SurveyResponse]]:
    """Baseline, endpoint and follow-up responses of one cohort, with the data problems the demo plants.

    Everybody answers at baseline; drop-outs answer nothing after. C1: one
    completer misses the endpoint survey. C2: one completer submits the
    endpoint survey twice (the later one counts). C3: one completer abandons
    the endpoint survey part-way (Finished = False). At follow-up one completer
    per cohort does not answer.
    """
    completers = [p for p in people if p.completed]
    baseline = simulate_wave(people, "baseline", cohort.start - dt.timedelta(days=16), rng)
    endpoint = simulate_wave(completers, "endpoint", cohort.end + dt.timedelta(days=1), rng)
    chosen = int(rng.integers(len(endpoint)))
    if cohort.cohort_id == "C1":
        endpoint.pop(chosen)
    elif cohort.cohort_id == "C2":
        first_go = simulate_wave([endpoint[chosen].person], "endpoint", cohort.end + dt.timedelta(days=1), rng)[0]
        earlier = endpoint[chosen].recorded - dt.timedelta(days=3, minutes=int(rng.integers(600)))
        endpoint.append(replace(first_go, started=earlier - dt.timedelta(minutes=9), ended=earlier, recorded=earlier))
    elif cohort.cohort_id == "C3":
        abandoned = endpoint[chosen]
        answered = 4
        ended = abandoned.started + dt.timedelta(seconds=int(rng.integers(60, 200)))
        endpoint[chosen] = replace(
            abandoned,
            answers=abandoned.answers[:answered] + (None,) * (len(abandoned.answers) - answered),
            free_text=None,
            progress=round(100 * answered / (len(abandoned.answers) + 1)),
            ended=ended,
            # Qualtrics records an abandoned response when it closes it, a week after the last activity.
            recorded=ended + dt.timedelta(days=7),
        )
    follow_up = simulate_wave(completers, "follow-up", cohort.end + dt.timedelta(days=91), rng)
    follow_up.pop(int(rng.integers(len(follow_up))))
    return {
        wave: sorted(responses, key=lambda r: r.recorded)
        for wave, responses in (("baseline", baseline), ("endpoint", endpoint), ("follow-up", follow_up))
    }
