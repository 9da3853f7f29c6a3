"""Markov chains of customer states: fit, analyse, value (Pfeifer & Carraway 2000).

:class:`MarkovChain` speaks R markovchain's vocabulary with pandas objects:
fit a transition matrix from a :class:`goodwill.Replay` (or a count matrix) by
maximum likelihood or Dirichlet-prior MAP, get per-cell confidence intervals,
steady states, absorption probabilities, mean absorption and first-passage
times, and value customers by state: V = Σ_t [(1+d)^-1 P]^t R over a finite or
infinite horizon. :meth:`MarkovChain.without_state` shows a policy change (no
longer serving a state). Formulas: ``include/goodwill/markov_chain.hpp``.

A fitted chain knows its support: a state whose row had no data is made
absorbing by the fit (P_ii = 1) — an assumption, not a finding — so
:meth:`MarkovChain.absorbing_states` leaves such states out (unless asked),
and :meth:`MarkovChain.state_support` says for every state how often it was
entered and left and whether it is ``unobserved`` (never seen),
``never left`` (entered, no exit on record), ``absorbing`` (seen staying,
never leaving), ``transient`` or ``recurrent``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._columns import int_arg, invalid, real_arg
from .._support import check
from ..ledger import Ledger
from ..relationship import Replay


@dataclasses.dataclass
class ConfidenceIntervals:
    """Per-cell intervals of a fitted transition matrix (rows: from, columns: to).

    MLE fits: Jeffreys intervals of each cell's binomial proportion; MAP fits:
    quantiles of the Dirichlet posterior's Beta marginals. NaN for rows without
    data (MLE).

    Parameters
    ----------
    level : float
        The confidence level, e.g. 0.95.
    lower, upper : DataFrame
        The bounds, states × states; unpacks as ``lower, upper``.

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> counts = pd.DataFrame([[8, 2], [0, 10]], index=["a", "b"], columns=["a", "b"])
    >>> lower, upper = goodwill.MarkovChain().fit(counts).confidence_intervals(0.95)
    >>> bool(lower.loc["a", "b"] < 0.2 < upper.loc["a", "b"])
    True
    """

    level: float
    lower: pd.DataFrame
    upper: pd.DataFrame

    def __iter__(self) -> Any:
        return iter((self.lower, self.upper))


def _square(data: Any, field: str, states: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    if isinstance(data, pd.DataFrame):
        names = [str(s) for s in data.index]
        if [str(c) for c in data.columns] != names:
            raise invalid(field, None, "rows and columns must name the same states in the same order")
        values = data.to_numpy(dtype=np.float64)
        if states is not None and list(states) != names:
            raise invalid("states", None, "do not match the DataFrame's index")
    else:
        try:
            values = np.asarray(data, dtype=np.float64)
        except (TypeError, ValueError):
            raise invalid(field, None, "must be a square matrix of numbers") from None
        if values.ndim != 2 or values.shape[0] != values.shape[1]:
            raise invalid(field, None, f"must be a square matrix, got shape {values.shape}")
        names = [str(s) for s in states] if states is not None else [str(i) for i in range(values.shape[0])]
    return np.ascontiguousarray(values), names


class MarkovChain:
    """A finite discrete-time Markov chain over named states.

    Build one from a transition matrix (``MarkovChain(P)``, a square DataFrame
    with state names, or an array with ``states=``), or fit one:
    ``MarkovChain().fit(replay, period=30, ledger=ledger)``.

    Parameters
    ----------
    transition_matrix : DataFrame or array, optional
        A row-stochastic square matrix; none for a chain to :meth:`fit`.
    states : sequence of str, optional
        The state names of an array (a DataFrame names them itself).

    Examples
    --------
    >>> import pandas as pd, goodwill
    >>> P = pd.DataFrame([[0.9, 0.1], [0.0, 1.0]], index=["active", "churned"],
    ...                  columns=["active", "churned"])
    >>> mc = goodwill.MarkovChain(P)
    >>> mc.absorbing_states()
    ['churned']
    >>> mc.customer_value(pd.Series([100.0, 0.0], index=mc.states), discount_rate=0.1).round(1).tolist()
    [550.0, 0.0]
    """

    __slots__ = ("_core", "_recipe", "support")

    #: Version of the pickled state (``__getstate__``).
    STATE_VERSION = 1

    def __init__(self, transition_matrix: Any = None, states: Sequence[str] | None = None) -> None:
        self._core: Any = None
        #: What a chain fitted from a replay rests on (goodwill.evidence.Support), else None.
        self.support: Any = None
        # How to rebuild the chain (pickling): its matrix, or the counts,
        # method and prior it was fitted from, then any without_state steps.
        self._recipe: dict[str, Any] | None = None
        if transition_matrix is not None:
            values, names = _square(transition_matrix, "transition_matrix", states)
            self._core = _core.value.MarkovChain(values, names)
            self._recipe = {"matrix": np.asarray(values, dtype=np.float64).tolist(), "states": list(names),
                            "without": []}

    @classmethod
    def _wrap(cls, core: Any) -> MarkovChain:
        mc = cls()
        mc._core = core
        mc._recipe = None
        return mc

    def fit(
        self,
        data: Replay | pd.DataFrame | Any,
        *,
        method: str = "mle",
        prior: float | Any = None,
        period: float | None = None,
        ledger: Ledger | None = None,
        start: float | None = None,
        end: float | None = None,
        states: Sequence[str] | None = None,
    ) -> MarkovChain:
        """Fit the transition matrix; returns self.

        ``data``: a :class:`goodwill.Replay` or a count matrix (square
        DataFrame, or array with ``states=``). From a replay, without
        ``period`` the counts are its state changes (the jump chain: a step is
        "the next change of state"); with ``period`` (days) they are every
        customer's state at start, start + period, ... (self-moves included),
        which needs the replayed ``ledger`` (a customer is counted from the
        period of its first event); ``start``/``end`` default to the ledger's
        first and last event times.

        ``method``: ``"mle"`` or ``"map"``; ``prior`` (MAP): Dirichlet
        parameters ≥ 1, one number for every cell or a square matrix (default
        1: the MLE). A row without data is made absorbing and listed in
        :attr:`unobserved_states`.
        """
        if method not in ("mle", "map"):
            raise invalid("method", None, f"must be 'mle' or 'map', got {method!r}")
        led = ledger if isinstance(ledger, Ledger) else getattr(data, "ledger", None)
        self.support = check(led, None, "markov_chain") if isinstance(led, Ledger) else None
        if isinstance(data, Replay):
            names = data.states
            if period is None:
                if ledger is not None or start is not None or end is not None:
                    raise invalid("period", None, "ledger/start/end need a period")
                counts = np.asarray(data._core.transition_counts(-math.inf, math.inf), dtype=np.float64)
            else:
                if not isinstance(ledger, Ledger):
                    raise invalid("ledger", None, "fitting per period needs the replayed goodwill.Ledger")
                times = ledger.to_numpy()["time"] if start is None or end is None else None
                if times is not None and len(times) == 0:
                    raise invalid("ledger", None, "is empty: give start and end, or events")
                t0 = float(start) if start is not None else float(times.min()) if times is not None else math.nan
                t1 = float(end) if end is not None else float(times.max()) if times is not None else math.nan
                counts = np.asarray(
                    _core.value.period_transition_counts(data._core, ledger._core, float(period), t0, t1),
                    dtype=np.float64,
                )
        else:
            if period is not None or ledger is not None:
                raise invalid("period", None, "period/ledger apply only when fitting from a Replay")
            counts, names = _square(data, "counts", states)
        k = len(names)
        alpha = None
        if prior is not None:
            if method != "map":
                raise invalid("prior", None, "is only used by method='map'")
            if np.isscalar(prior):
                alpha = np.full((k, k), float(prior))  # type: ignore[arg-type]
            else:
                alpha, _ = _square(prior, "prior", names)
        self._core = _core.value.MarkovChain.fit(np.ascontiguousarray(counts), names, method, alpha)
        self._recipe = {"counts": np.asarray(counts, dtype=np.float64).tolist(), "states": list(names),
                        "method": method, "prior": None if alpha is None else np.asarray(alpha).tolist(),
                        "without": []}
        return self

    # ---- access ------------------------------------------------------------

    def _require(self) -> Any:
        if self._core is None:
            raise _core.NotFittedError("this MarkovChain has no transition matrix: give one or call fit()")
        return self._core

    @property
    def states(self) -> list[str]:
        """State names."""
        return list(self._require().states)

    def _frame(self, values: Any, rows: Sequence[str] | None = None, cols: Sequence[str] | None = None,
               row_name: str = "from", col_name: str = "to") -> pd.DataFrame:
        names = self.states
        return pd.DataFrame(
            np.array(values, dtype=np.float64),
            index=pd.Index(list(rows) if rows is not None else names, name=row_name),
            columns=pd.Index(list(cols) if cols is not None else names, name=col_name),
        )

    @property
    def transition_matrix(self) -> pd.DataFrame:
        """P (rows: from, columns: to)."""
        return self._frame(self._require().transition_matrix)

    @property
    def counts(self) -> pd.DataFrame:
        """The counts the chain was fitted from; raises NotFittedError for a given matrix."""
        core = self._require()
        if not core.fitted:
            raise _core.NotFittedError("this chain was given by its matrix, not fitted from counts")
        return self._frame(core.counts)

    @property
    def method(self) -> str | None:
        """``"mle"`` or ``"map"`` for a fitted chain, else None."""
        core = self._require()
        return str(core.method) if core.fitted else None

    @property
    def unobserved_states(self) -> list[str]:
        """States whose row had no data (made absorbing by the fit)."""
        return [s for s, u in zip(self.states, self._require().unobserved) if u]

    @property
    def unserved_states(self) -> list[str]:
        """States no longer served (see :meth:`without_state`)."""
        return [s for s, u in zip(self.states, self._require().unserved) if u]

    def confidence_intervals(self, level: float = 0.95) -> ConfidenceIntervals:
        """Per-cell intervals at ``level``; unpacks as ``lower, upper``."""
        level = real_arg(level, "level", 0.0, 1.0)
        lower, upper = self._require().confidence_intervals(level)
        return ConfidenceIntervals(level, self._frame(lower), self._frame(upper))

    # ---- structure -----------------------------------------------------------

    def _names(self, codes: Sequence[int]) -> list[str]:
        names = self.states
        return [names[i] for i in codes]

    def communicating_classes(self) -> list[list[str]]:
        """Communicating classes (lists of state names)."""
        return [self._names(c) for c in self._require().communicating_classes()]

    def recurrent_classes(self) -> list[list[str]]:
        """Closed communicating classes."""
        return [self._names(c) for c in self._require().recurrent_classes()]

    def transient_states(self) -> list[str]:
        """States in no recurrent class."""
        return self._names(self._require().transient_states())

    def absorbing_states(self, *, include_unobserved: bool = False) -> list[str]:
        """States that keep all their mass.

        For a fitted chain a state whose row had no data (listed in
        :attr:`unobserved_states`) keeps its mass only because the fit made it
        so: it is not reported unless ``include_unobserved``.

        Examples
        --------
        >>> import goodwill as gw
        >>> mc = gw.MarkovChain().fit([[3, 1, 0], [0, 2, 0], [0, 0, 0]], states=["a", "b", "c"])
        >>> mc.absorbing_states(), mc.absorbing_states(include_unobserved=True)
        (['b'], ['b', 'c'])
        """
        names = self._names(self._require().absorbing_states())
        if include_unobserved:
            return names
        unobserved = set(self.unobserved_states)
        return [s for s in names if s not in unobserved]

    def state_support(self) -> pd.DataFrame:
        """What the data says about each state of a fitted chain: ``entered``
        (counts into it from other states), ``left`` (counts out of it to
        other states), ``stayed`` (self-moves, e.g. periods spent in it) and
        ``status``: ``unobserved`` (no count at all: nothing is known),
        ``never left`` (entered but no move out on record: absorbing only by
        the fit's assumption), ``absorbing`` (seen staying, never leaving),
        ``transient`` or ``recurrent`` (by the fitted chain's classes).
        Raises NotFittedError for a chain given by its matrix.

        Examples
        --------
        >>> import goodwill as gw
        >>> mc = gw.MarkovChain().fit([[0, 2, 0], [1, 0, 0], [0, 0, 0]], states=["a", "b", "c"])
        >>> mc.state_support()["status"].tolist()
        ['recurrent', 'recurrent', 'unobserved']
        """
        counts = self.counts.to_numpy()
        diag = np.diag(counts).copy()
        entered = counts.sum(axis=0) - diag
        left = counts.sum(axis=1) - diag
        transient = set(self.transient_states())
        status = []
        for i, name in enumerate(self.states):
            if entered[i] + left[i] + diag[i] == 0:
                status.append("unobserved")
            elif left[i] + diag[i] == 0:
                status.append("never left")
            elif left[i] == 0:
                status.append("absorbing")
            else:
                status.append("transient" if name in transient else "recurrent")
        return pd.DataFrame({"entered": entered, "left": left, "stayed": diag, "status": status},
                            index=pd.Index(self.states, name="state"))

    def is_irreducible(self) -> bool:
        """Whether every state reaches every other."""
        return bool(self._require().is_irreducible())

    def steady_states(self) -> pd.DataFrame:
        """One stationary distribution per recurrent class (rows), as R markovchain."""
        ss = np.array(self._require().steady_states())
        return pd.DataFrame(ss, index=pd.RangeIndex(len(ss), name="recurrent_class"),
                            columns=pd.Index(self.states, name="state"))

    def fundamental_matrix(self) -> pd.DataFrame:
        """N = (I − Q)^-1 over the transient states."""
        t = self.transient_states()
        return self._frame(self._require().fundamental_matrix(), t, t)

    def absorption_probabilities(self) -> pd.DataFrame:
        """Probability that each transient state (rows) ends in each absorbing state (columns)."""
        return self._frame(self._require().absorption_probabilities(), self.transient_states(),
                           self.absorbing_states(include_unobserved=True), "from", "absorbed_in")

    def mean_absorption_time(self) -> pd.Series:
        """Expected steps each transient state spends in transient states."""
        return pd.Series(np.array(self._require().mean_absorption_time()),
                         index=pd.Index(self.transient_states(), name="state"), name="mean_absorption_time")

    def mean_first_passage_time(self) -> pd.DataFrame:
        """M[i, j]: expected steps to first reach j from i (inf if not sure); 0 on the diagonal."""
        return self._frame(self._require().mean_first_passage_time())

    def mean_recurrence_time(self) -> pd.Series:
        """Expected steps to return to each state (inf for transient states)."""
        return pd.Series(np.array(self._require().mean_recurrence_time()),
                         index=pd.Index(self.states, name="state"), name="mean_recurrence_time")

    # ---- value ---------------------------------------------------------------

    def _rewards(self, rewards: Any) -> np.ndarray:
        names = self.states
        if isinstance(rewards, Mapping):
            rewards = pd.Series(rewards, dtype=np.float64)
        if isinstance(rewards, pd.Series):
            unknown = [str(s) for s in rewards.index if str(s) not in names]
            if unknown:
                raise invalid("rewards", None, f"names unknown states {unknown}; states: {names}")
            missing = [s for s in names if s not in set(map(str, rewards.index))]
            if missing:
                raise invalid("rewards", None, f"has no reward for {missing}")
            rewards = rewards.rename(index=str).reindex(names)
        try:
            r = np.asarray(rewards, dtype=np.float64)
        except (TypeError, ValueError):
            raise invalid("rewards", None, "must be numbers, one per state") from None
        if r.ndim != 1 or len(r) != len(names):
            raise invalid("rewards", None, f"must hold one reward per state ({len(names)})")
        return np.ascontiguousarray(r)

    def customer_value(self, rewards: Any, discount_rate: float, horizon: int | None = None) -> pd.Series:
        """Expected discounted value of a customer in each state (Pfeifer & Carraway 2000):
        V = Σ_{t=0..T} [(1+d)^-1 P]^t R with ``horizon`` T periods, or
        (I − P/(1+d))^-1 R for ``horizon=None`` (needs ``discount_rate`` > 0).
        ``rewards``: per-state reward per period (Series/dict by state name, or
        a sequence in state order); unserved states earn 0."""
        periods = None if horizon is None else int_arg(horizon, "horizon", 0, 2**63 - 1)
        v = self._require().customer_value(self._rewards(rewards), real_arg(discount_rate, "discount_rate"),
                                           periods)
        return pd.Series(np.array(v), index=pd.Index(self.states, name="state"), name="value")

    def without_state(self, state: str, redirect_to: str | None = None) -> MarkovChain:
        """The chain after no longer serving ``state``: it earns nothing and its
        customers stay there (``redirect_to=None``: made absorbing) or move to
        ``redirect_to`` at the next step. Values of the new chain show the
        effect of the policy."""
        names = self.states
        for field, s in (("state", state), ("redirect_to", redirect_to)):
            if s is not None and s not in names:
                raise invalid(field, None, f"{s!r} is not a state; states: {names}")
        core = self._require().without_state(names.index(state),
                                              None if redirect_to is None else names.index(redirect_to))
        out = MarkovChain._wrap(core)
        if self._recipe is not None:
            out._recipe = dict(self._recipe, without=[*self._recipe["without"], [state, redirect_to]])
        out.support = self.support
        return out

    # ---- pickling ------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        if self._core is not None and self._recipe is None:
            raise _core.InvalidStateError("this MarkovChain was built internally and cannot be pickled")
        return {"format": "goodwill.MarkovChain", "version": self.STATE_VERSION, "recipe": self._recipe,
                "support": self.support}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("format") != "goodwill.MarkovChain" or not isinstance(state.get("version"), int):
            raise invalid("state", None, "not a pickled goodwill.MarkovChain")
        if state["version"] > self.STATE_VERSION:
            raise invalid("version", None, f"state version {state['version']} is newer than this goodwill "
                                           f"reads ({self.STATE_VERSION}): upgrade goodwill")
        self._core = None
        self.support = state.get("support")
        recipe = state.get("recipe")
        self._recipe = recipe
        if recipe is None:
            return
        names = list(recipe["states"])
        if "matrix" in recipe:
            core = _core.value.MarkovChain(np.ascontiguousarray(recipe["matrix"], dtype=np.float64), names)
        else:
            prior = recipe["prior"]
            core = _core.value.MarkovChain.fit(np.ascontiguousarray(recipe["counts"], dtype=np.float64), names,
                                         recipe["method"],
                                         None if prior is None else np.ascontiguousarray(prior, dtype=np.float64))
        for state_name, redirect in recipe["without"]:
            core = core.without_state(names.index(state_name), None if redirect is None else names.index(redirect))
        self._core = core

    def save_model(self, path: str | Any) -> None:
        """Write the chain (its matrix or the counts it was fitted from; a
        size in the number of states only) to ``path`` as a pickle.

        Examples
        --------
        >>> mc = goodwill.MarkovChain([[0.9, 0.1], [0.0, 1.0]], states=["active", "lost"])
        >>> mc.save_model("chain.pkl")
        >>> goodwill.MarkovChain.load_model("chain.pkl").states
        ['active', 'lost']
        """
        import pickle

        with open(path, "wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load_model(cls, path: str | Any) -> MarkovChain:
        """Read a chain written by :meth:`save_model`."""
        import pickle

        with open(path, "rb") as fh:
            out = pickle.load(fh)
        if not isinstance(out, MarkovChain):
            raise invalid("path", None, f"holds a {type(out).__name__}, not a MarkovChain")
        return out

    def __repr__(self) -> str:
        if self._core is None:
            return "<goodwill.MarkovChain: not fitted>"
        how = f"fitted ({self.method})" if self._core.fitted else "given"
        return f"<goodwill.MarkovChain: {len(self.states)} states, {how}>"
