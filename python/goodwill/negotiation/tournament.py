"""Round-robin tournaments of strategies over scenarios (negotiation/tournament.hpp)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import int_arg, real_arg, threads_arg
from ._common import STATUSES, _strategy
from .scenario import Scenario

# ---- tournaments ---------------------------------------------------------------------


class TournamentResult:
    """What :func:`tournament` returns (:func:`tournament` builds it; there is
    no reason to build one by hand).

    Attributes
    ----------
    sessions : pandas.DataFrame
        One row per session (the columns of :func:`run_batch`, plus ``score1``
        and ``score2``, the first's and second's scores).
    ranking : pandas.DataFrame
        One row per strategy, best first: ``strategy``, ``n`` (scores: sides of
        sessions it played), ``mean``, ``lower``/``upper`` (interval of the
        mean at ``confidence``: Student's t, or a percentile bootstrap with
        ``bootstrap`` > 0), ``sd``, ``agreement_rate``.
    pairwise : pandas.DataFrame
        One row per pair of strategies: ``a``, ``b``, ``difference`` (mean a -
        mean b), Welch's (or Student's) ``t``, ``df``, two-sided ``p``, Benjamini–Hochberg
        ``q`` over all pairs, ``significant`` (q <= fdr).
    support : dict
        The data and assumptions behind every number (also in each frame's
        ``attrs["support"]``).

    Parameters
    ----------
    sessions, ranking, pairwise : pandas.DataFrame
        The frames above.
    support : dict
        As above.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, tournament
    >>> res = tournament({"boulware": boulware(), "conceder": conceder()}, [sc], seeds=2, n_steps=20)
    >>> res
    TournamentResult(8 sessions; boulware 0.618 [0.479, 0.756], conceder 0.214 [0.076, 0.353])
    >>> res.support["interval"]
    "Student's t interval of the mean, level 0.95"
    """

    __slots__ = ("pairwise", "ranking", "sessions", "support")

    def __init__(self, sessions: pd.DataFrame, ranking: pd.DataFrame, pairwise: pd.DataFrame,
                 support: dict[str, Any]) -> None:
        self.sessions = sessions
        self.ranking = ranking
        self.pairwise = pairwise
        self.support = support

    def __repr__(self) -> str:
        top = ", ".join(f"{r.strategy} {r.mean:.3f} [{r.lower:.3f}, {r.upper:.3f}]"
                        for r in self.ranking.head(3).itertuples())
        return f"TournamentResult({len(self.sessions)} sessions; {top})"


#: What a side of a tournament session scores, from C++.
TOURNAMENT_SCORES: list[str] = list(_core.negotiation.TOURNAMENT_SCORES)


def tournament(
    strategies: Mapping[str, Any] | Sequence[Any],
    scenarios: Mapping[str, Scenario] | Sequence[Scenario],
    seeds: Iterable[int] | int = 1,
    *,
    n_steps: int | None = None,
    clock: str | None = None,
    score: str | None = None,
    self_play: bool | None = None,
    equal_variance: bool | None = None,
    confidence: float | None = None,
    bootstrap: int | None = None,
    bootstrap_seed: int | None = None,
    fdr: float | None = None,
    threads: int | None = None,
) -> TournamentResult:
    """A cartesian tournament, as NegMAS's ``cartesian_tournament``: every
    scenario x ordered pair of strategies (each strategy in both roles; itself
    too with ``self_play``) x seed, run in C++ with the GIL released, then a
    ranking with intervals and pairwise significance tests.

    Each side of a session scores its ``score``: "advantage" ((u - r) /
    (u_max - r), r its reservation value and u_max its best utility in the
    scenario: NegMAS's default final score; 0 without agreement), "utility",
    or "welfare" (u1 + u2). Intervals are Student's t intervals of each
    strategy's mean score, or with ``bootstrap`` > 0 percentile-bootstrap
    intervals (that many resamples from counter-based streams, so results do
    not depend on ``threads``); pairs are compared by
    Welch's two-sided t-test (``equal_variance=True``: Student's pooled test,
    NegMAS's ``pairwise_tests`` default) and the Benjamini–Hochberg procedure
    over all pairs controls the false-discovery rate of ``significant`` at
    ``fdr``.
    Defaults (None) are those of the C++ ``tournament_options``: 100 rounds,
    advantage, self-play, 95 % t intervals, FDR 0.05, all cores.
    ``seeds`` is an iterable of seeds or a count (seeds 0..n-1).

    Parameters
    ----------
    strategies : mapping of str to Strategy, or sequence of Strategy
        The strategies (a mapping names them; else their ``name``; repeated
        names get ``#k`` suffixes).
    scenarios : mapping of str to Scenario, or sequence of Scenario
        The scenarios (a mapping names them; else their ``name``).
    seeds : iterable of int, or int, default 1
        The seeds, or a count of seeds 0..n-1.
    n_steps : int, optional
        Rounds per session.
    clock : str, optional
        As in :func:`run_session` (one of ``CLOCKS``; C++ default "relative").
    score : str, optional
        One of ``TOURNAMENT_SCORES`` ("advantage", "utility", "welfare").
    self_play : bool, optional
        Also match each strategy with itself.
    equal_variance : bool, optional
        Student's pooled test instead of Welch's.
    confidence : float, optional
        Level of the intervals.
    bootstrap : int, optional
        Bootstrap resamples (0: Student's t intervals).
    bootstrap_seed : int, optional
        Seed of the bootstrap streams.
    fdr : float, optional
        False-discovery rate of ``significant``.
    threads : int, optional
        Worker threads (0: all cores); results do not depend on it.

    Returns
    -------
    TournamentResult
        The sessions, the ranking with intervals, the pairwise tests and
        their support.

    Examples
    --------
    >>> from goodwill.negotiation import LinearAdditiveUtilityFunction, OutcomeSpace, Scenario
    >>> space = OutcomeSpace({"price": (100, 200), "support": ["basic", "premium"]})
    >>> seller = LinearAdditiveUtilityFunction({"price": (0.01, 0.0), "support": [1.0, 0.0]},
    ...                                        [0.7, 0.3], space, reserved_value=0.2)
    >>> buyer = LinearAdditiveUtilityFunction({"price": (-0.01, 1.0), "support": [0.0, 1.0]},
    ...                                       [0.6, 0.4], space, reserved_value=0.1)
    >>> sc = Scenario(seller, buyer, "sale").set_price_issue("price")
    >>> from goodwill.negotiation import boulware, conceder, tournament
    >>> res = tournament({"boulware": boulware(), "conceder": conceder()}, [sc], seeds=2, n_steps=20)
    >>> res.ranking[["rank", "strategy", "n", "agreement_rate"]]
       rank  strategy  n  agreement_rate
    0     1  boulware  8             1.0
    1     2  conceder  8             1.0
    >>> res.ranking["mean"].round(3).tolist()
    [0.618, 0.214]
    >>> bool(res.pairwise.loc[0, "significant"]), round(float(res.pairwise.loc[0, "q"]), 5)
    (True, 0.00025)
    """
    if isinstance(scenarios, Mapping):
        sc_names, sc_list = list(scenarios.keys()), list(scenarios.values())
    else:
        sc_list = list(scenarios)
        sc_names = [s.name or f"scenario{i}" for i, s in enumerate(sc_list)]
    if isinstance(strategies, Mapping):
        st_names, st_list = [str(k) for k in strategies], [_strategy(s) for s in strategies.values()]
    else:
        st_list = [_strategy(s) for s in strategies]
        st_names = [s.name for s in st_list]
    if len(set(st_names)) != len(st_names):
        st_names = [f"{n}#{k}" for k, n in enumerate(st_names)]
    seed_list = list(range(int(seeds))) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
    # The C++ TournamentOptions (its defaults) with the given fields set; the
    # names of clock and score, and the ranges, are checked in C++.
    o = _core.negotiation.TournamentOptions()
    if clock is not None:
        o.clock = clock
    if n_steps is not None:
        o.rounds = int_arg(n_steps, "n_steps", 1, 2**32 - 1)
    if score is not None:
        o.score = score
    if self_play is not None:
        o.self_play = bool(self_play)
    if equal_variance is not None:
        o.equal_variance = bool(equal_variance)
    if confidence is not None:
        o.confidence = real_arg(confidence, "confidence")
    if bootstrap is not None:
        o.bootstrap = int_arg(bootstrap, "bootstrap", 0, 2**32 - 1)
    if bootstrap_seed is not None:
        o.bootstrap_seed = int_arg(bootstrap_seed, "bootstrap_seed", 0, 2**64 - 1)
    if fdr is not None:
        o.fdr = real_arg(fdr, "fdr")
    if threads is not None:
        o.threads = threads_arg(threads)
    out = _core.negotiation.tournament([s._core for s in sc_list], st_list, seed_list, o)
    opt: dict[str, Any] = {k: getattr(o, k) for k in ("rounds", "score", "self_play", "equal_variance",
                                                      "confidence", "bootstrap", "fdr", "threads")}
    # Columns converted before the frame is built: one construction, no copies.
    cols: dict[str, Any] = {k: np.asarray(v) for k, v in out["sessions"].items()}
    st_dtype = pd.CategoricalDtype(st_names)
    cols["scenario"] = pd.Categorical.from_codes(cols["scenario"].astype(np.int64), dtype=pd.CategoricalDtype(sc_names))
    cols["first"] = pd.Categorical.from_codes(cols["first"].astype(np.int64), dtype=st_dtype)
    cols["second"] = pd.Categorical.from_codes(cols["second"].astype(np.int64), dtype=st_dtype)
    cols["status"] = pd.Categorical.from_codes(cols["status"].astype(np.int8), dtype=pd.CategoricalDtype(STATUSES))
    cols["outcome"] = cols["outcome"].astype(np.int64, copy=False)
    cols["seed"] = cols["seed"].astype(np.int64, copy=False)
    sessions = pd.DataFrame(cols, copy=False)
    ranking = pd.DataFrame({k: np.asarray(v) for k, v in out["ranking"].items()})
    ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    ranking["strategy"] = [st_names[int(i)] for i in ranking["strategy"]]
    pairwise = pd.DataFrame({k: np.asarray(v) for k, v in out["pairwise"].items()})
    pairwise["a"] = [st_names[int(i)] for i in pairwise["a"]]
    pairwise["b"] = [st_names[int(i)] for i in pairwise["b"]]
    pairwise["significant"] = pairwise["significant"].astype(bool)
    support = {
        "sessions": len(sessions),
        "scenarios": sc_names,
        "strategies": st_names,
        "seeds": len(seed_list),
        "score": opt["score"],
        "interval": (f"percentile bootstrap of the mean, {opt['bootstrap']} resamples" if opt["bootstrap"]
                     else "Student's t interval of the mean") + f", level {opt['confidence']}",
        "test": ("Student's pooled" if opt["equal_variance"] else "Welch's")
        + " two-sample t-test, two-sided, on per-side scores",
        "multiple_testing": f"Benjamini-Hochberg over {len(pairwise)} pairs, FDR {opt['fdr']}",
        "assumptions": [
            ("scores of a strategy are treated as independent draws, although sessions share scenarios, "
             "seeds and opponents"),
            "a session without agreement gives each side its reservation value",
        ],
        **{k: opt[k] for k in ("rounds", "self_play", "threads")},
    }
    for frame in (sessions, ranking, pairwise):
        frame.attrs["support"] = support
    return TournamentResult(sessions, ranking, pairwise, support)
