"""Customer value: what a customer is worth and what serving them costs.

:mod:`goodwill.value.btyd` holds the buy-till-you-die models (one fitter per
model, as ``include/goodwill/value/btyd/`` holds one header per model),
:mod:`goodwill.value.markov` the Markov-chain customer lifetime value and
:mod:`goodwill.value.profitability` profit after cost-to-serve and the whale
curve. Their public names are also at the top of :mod:`goodwill`
(``goodwill.BetaGeoFitter``, ``goodwill.MarkovChain``, ``goodwill.profitability``).

Examples
--------
>>> import goodwill
>>> from goodwill.value import btyd
>>> btyd.BetaGeoFitter is goodwill.BetaGeoFitter
True
"""

from __future__ import annotations

from . import btyd, markov, profitability

__all__ = ["btyd", "markov", "profitability"]
