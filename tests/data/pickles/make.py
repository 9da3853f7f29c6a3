"""Write the pickle fixtures of today's state format (STATE_VERSION 1).

Run once per format version; the files are kept so that
tests/python/test_btyd_clv.py checks that later versions still load them.
"""

from pathlib import Path
import pickle

import goodwill

here = Path(__file__).resolve().parent
bgf = goodwill.BetaGeoFitter()
bgf.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
(here / "bg_nbd_v1.pkl").write_bytes(pickle.dumps(bgf, protocol=4))
sbg = goodwill.ShiftedBetaGeoFitter().fit_survivors([1000, 631, 468, 382, 326, 289, 262, 241])
(here / "sbg_v1.pkl").write_bytes(pickle.dumps(sbg, protocol=4))
mc = goodwill.MarkovChain().fit([[8, 2, 0], [1, 6, 3], [0, 0, 5]], states=["active", "at_risk", "lost"])
(here / "markov_chain_v1.pkl").write_bytes(pickle.dumps(mc, protocol=4))
