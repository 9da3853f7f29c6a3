"""Synthetic data: markets generated from customer archetypes, their
calibration to a real ledger, and the policy simulator that runs sellers on them.

:mod:`goodwill.synthetic.market` generates a market (``include/goodwill/synthetic/market.hpp``),
:mod:`goodwill.synthetic.calibration` fits a market model to a ledger and
:mod:`goodwill.synthetic.simulation` simulates seller policies
(``include/goodwill/synthetic/simulation.hpp``). Their public names are also at
the top of :mod:`goodwill` (``goodwill.synthetic_market``, ``goodwill.simulate``, ...).

Examples
--------
>>> import goodwill
>>> from goodwill.synthetic import market
>>> market.ARCHETYPES == goodwill.ARCHETYPES
True
"""

from __future__ import annotations

from . import calibration, market, simulation

__all__ = ["calibration", "market", "simulation"]
