"""Several bidders (issue 18, item 5): the multilateral session (NegMAS's
multi-party SAO: an offer goes round the table and is agreed when every
other party accepts it), the RFP with rival quotes (competitor_quote events
in each seller's ledger), and batches reproducible across thread counts.
The traces are worked out by hand in the comments; the C++ suite
``multilateral`` (tests/cpp/negotiation/test_multilateral.cpp) has the same
cases.
"""

from __future__ import annotations

from typing import Any

import goodwill
import goodwill.negotiation as neg
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def _three() -> list[neg.LinearAdditiveUtilityFunction]:
    space = neg.OutcomeSpace({"x": (0, 4)})
    return [neg.LinearAdditiveUtilityFunction({"x": t}, [1.0], space)
            for t in ([1, .8, .6, .4, .2], [.2, .4, .6, .8, 1], [.5, .9, 1, .3, .1])]


def test_three_parties_by_hand() -> None:
    # Each hard-lines on its best and accepts anything worth >= 0.6.
    # Turn 0: P0 offers 0. Turn 1: P1 (0 is worth .2) rejects, offers 4.
    # Turn 2: P2 (4: .1) rejects, offers 2. Turn 3: P0 (2: .6) accepts.
    # Turn 4: P1 (2: .6) accepts: both others accepted, agreement on 2.
    firm = neg.time_dependent(0.0, acceptance="const", c=0.6)
    r = neg.run_multilateral_session(_three(), [firm, firm, firm], n_steps=10)
    assert r.status == "agreement" and r.outcome == 2 and r.ended_by == 1
    assert r.utilities == pytest.approx((0.6, 0.6, 1.0))
    assert r.relative_time == pytest.approx(2 / 29)  # 30 turns, offer made at turn 2
    tr = r.trace
    assert list(tr["offer"]) == [0, 4, 2] and list(tr["proposer"]) == [0, 1, 2]
    assert list(tr["response_0"]) == ["not_asked", "not_asked", "accept"]
    assert list(tr["response_1"]) == ["reject", "not_asked", "accept"]
    assert list(tr["response_2"]) == ["not_asked", "reject", "not_asked"]
    assert list(tr["u_2"]) == pytest.approx([0.5, 0.1, 1.0])


@settings(max_examples=15, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(0.05, 5.0), st.integers(2, 40))
def test_two_parties_is_the_bilateral_session(e1: float, e2: float, steps: int) -> None:
    space = neg.OutcomeSpace({"price": (0, 19), "term": (0, 4)})
    a = neg.LinearAdditiveUtilityFunction({"price": (1 / 19, 0.0), "term": [0, .5, 1, .5, 0]}, [0.7, 0.3], space,
                                          reserved_value=0.1)
    b = neg.LinearAdditiveUtilityFunction({"price": (-1 / 19, 1.0), "term": [0, .25, .5, .75, 1]}, [0.6, 0.4], space,
                                          reserved_value=0.2)
    s1, s2 = neg.time_dependent(e1), neg.time_dependent(e2)
    bi = neg.run_session(neg.Scenario(a, b), s1, s2, n_steps=steps)
    ml = neg.run_multilateral_session([a, b], [s1, s2], n_steps=steps)
    assert ml.status == bi.status and ml.outcome == bi.outcome
    assert ml.utilities == pytest.approx(bi.utilities)
    assert list(ml.trace["offer"]) == list(bi.trace["offer"])


class Scripted:
    """Offers script[i] at its i-th offer (then the last), accepts u >= accept_at."""

    def __init__(self, script: list[int], accept_at: float) -> None:
        self.script, self.accept_at, self.i = script, accept_at, 0
        self.u: Any = None

    def start(self, setup: dict[str, Any]) -> None:
        self.u, self.i = setup["utility"], 0

    def propose(self, state: dict[str, Any]) -> int:
        o = self.script[min(self.i, len(self.script) - 1)]
        self.i += 1
        return o

    def respond(self, state: dict[str, Any], offer: int) -> str:
        return "accept" if self.u[offer] >= self.accept_at else "reject"


def _price_scenarios(n: int) -> list[neg.Scenario]:
    space = neg.OutcomeSpace({"price": (1, 5)})
    buyer = neg.LinearAdditiveUtilityFunction({"price": [1, .75, .5, .25, 0]}, [1.0], space)
    seller = neg.LinearAdditiveUtilityFunction({"price": [0, .25, .5, .75, 1]}, [1.0], space)
    return [neg.Scenario(buyer, seller, f"s{k}").set_price_issue("price") for k in range(n)]


def test_rfp_rival_quotes_by_hand() -> None:
    # Buyer: offers price 1 always, accepts price <= 2 (u >= .75).
    # Seller 0: offers 5, 4, 3, 2 (a step a turn); seller 1: 5, 5, 4, 4; both accept u >= .5.
    # k=4: seller 0's 4 (buyer .25) beats seller 1's 5 (0): quote to 1, round 2, price 4.
    # k=6: seller 0's 3 (.5) beats seller 1's 4 (.25) and the .25 cited: quote, round 3, price 3.
    # k=8: the buyer accepts seller 0's 2 (.75): seller 0 wins, seller 1 is lost to a rival.
    scs = _price_scenarios(2)
    buyer = neg.python_strategy(Scripted([0], 0.75))
    sellers = [neg.python_strategy(Scripted([4, 3, 2, 1, 0], 0.5)), neg.python_strategy(Scripted([4, 4, 3, 3, 2, 2], 0.5))]
    r = neg.run_rfp(scs, buyer, sellers, n_steps=5, close="first_acceptable")
    assert r.winner == 0 and r.agreement == {"price": 2} and r.buyer_utility == 0.75
    assert r.first_quote_round == 4 and r.first_quote_utility == 0.75
    assert list(r.threads["status"]) == ["won", "lost_to_rival"]
    assert list(r.threads["u_seller"]) == [0.25, 0.0]
    q = r.quotes
    assert list(q["round"]) == [2, 3] and list(q["to"]) == [1, 1] and list(q["from"]) == [0, 0]
    assert list(q["price"]) == [4.0, 3.0] and list(q["buyer_utility"]) == [0.25, 0.5]
    assert (r.trace["tag"] == "competitor_quote").sum() == 2
    ev = r.events(1)
    assert list(ev["kind"]) == ["proposal", "competitor_quote", "competitor_quote", "deal_lost"]
    assert list(ev["amount"][:3]) == [5.0, 4.0, 3.0] and list(ev["time"][:3]) == [0.0, 2.0, 3.0]
    assert list(r.events(0)["kind"]) == ["proposal", "deal_won"]
    led = goodwill.Ledger()
    assert r.to_ledger(led, "acme", 1, start_time=10.0, days_per_round=7.0) == 4
    frame = led.to_pandas()
    quotes = frame[frame["kind"] == "competitor_quote"]
    assert list(quotes["time"]) == [24.0, 31.0]  # 10 + 7 * round (2 and 3)
    assert list(quotes["customer"]) == ["acme", "acme"]
    assert not q["held"].any()
    none = neg.run_rfp(scs, buyer, sellers, n_steps=5, rival_quotes=False, close="first_acceptable")
    assert none.quotes.empty and none.winner == 0


def _wide_price_scenarios(reservations: list[float]) -> list[neg.Scenario]:
    # Price 100..200: the buyer's utility 1 - (p - 100) / 100, the seller's (p - 100) / 100.
    space = neg.OutcomeSpace({"price": (100, 200)})
    buyer = neg.LinearAdditiveUtilityFunction({"price": (-0.01, 1.0)}, [1.0], space)
    return [neg.Scenario(buyer, neg.LinearAdditiveUtilityFunction({"price": (0.01, 0.0)}, [1.0], space,
                                                                  reserved_value=r), f"s{k}").set_price_issue("price")
            for k, r in enumerate(reservations)]


def test_rfp_shopping_beats_closing_at_the_first_quote() -> None:
    # The C++ case rfp_shopping_beats_closing_at_the_first_quote: boulware buyer, seller 0
    # linear, seller 1 a price matcher (floor 110, beats by 5), 10 rounds. At round 8 the
    # buyer accepts seller 0's 122 (.78); closing there awards it. Shopping, the buyer
    # holds 122, cites it to seller 1 and asks for 121, which seller 1 accepts (.79).
    scs = _wide_price_scenarios([0.0, 0.1])
    sellers = [neg.linear(), neg.price_matcher(110.0, beat_by=5.0, e=0.1)]
    first = neg.run_rfp(scs, neg.boulware(), sellers, n_steps=10, close="first_acceptable")
    shop = neg.run_rfp(scs, neg.boulware(), sellers, n_steps=10)  # the C++ default: shop
    assert goodwill._core.negotiation.RFPOptions().close == "shop"
    assert first.winner == 0 and first.agreement == {"price": 122}
    assert shop.winner == 1 and shop.agreement == {"price": 121}
    assert shop.buyer_utility > first.buyer_utility
    assert shop.first_quote_utility == first.buyer_utility and shop.first_quote_round == first.first_quote_round
    held = shop.quotes[shop.quotes["held"]]
    assert list(held["price"]) == [122.0] and list(held["to"]) == [1] and list(held["from"]) == [0]
    ev = shop.events(1)
    assert list(ev["amount"][ev["kind"] == "competitor_quote"])[-1] == 122.0
    assert list(ev["kind"])[-1] == "deal_won" and list(ev["amount"])[-1] == 121.0
    lost = shop.events(0)
    assert list(lost["kind"])[-1] == "deal_lost" and list(lost["detail"])[-1] == list(goodwill.LOSS_REASONS).index(
        "competitor")
    # no seller offered below its reservation
    offers = shop.trace[shop.trace["proposer"] == "seller"]
    res = np.array([0.0, 0.1])[offers["seller"].to_numpy()]
    assert (offers["u_seller"].to_numpy() >= res).all()


def test_rfp_shopping_is_never_worse_over_a_batch() -> None:
    scs = _wide_price_scenarios([0.3, 0.23, 0.16, 0.09])
    rfps = [(scs[:2], [neg.conceder(), neg.price_matcher(110.0, beat_by=3.0, e=0.2)]),
            (scs[1:], [neg.linear(), neg.price_matcher(120.0, e=0.5), neg.boulware()]),
            ([scs[0], scs[3]], [neg.random_strategy(0.2), neg.price_matcher(110.0, beat_by=3.0, e=0.2)])]
    buyers = [neg.boulware(), neg.linear(), neg.conceder(), neg.random_strategy(0.2)]
    first = neg.run_rfp_batch(rfps, buyers, range(1, 31, 3), n_steps=12, close="first_acceptable")
    shop = neg.run_rfp_batch(rfps, buyers, range(1, 31, 3), n_steps=12, close="shop", threads=1)
    shop2 = neg.run_rfp_batch(rfps, buyers, range(1, 31, 3), n_steps=12, close="shop", threads=2)
    pd.testing.assert_frame_equal(shop, shop2)
    assert (shop["first_quote_round"] == first["first_quote_round"]).all()
    assert (shop["u_buyer"] >= first["u_buyer"]).all()
    assert (shop["u_buyer"] > first["u_buyer"]).any()
    quoted = first["winner"] >= 0
    assert quoted.any() and (shop["u_first"][quoted] >= first["u_buyer"][quoted]).all()
    # a shorter window can only give up gains: one round of shopping is between the two
    short = neg.run_rfp_batch(rfps, buyers, range(1, 31, 3), n_steps=12, shop_rounds=1, stall_rounds=0)
    assert (short["u_buyer"] >= first["u_buyer"]).all()


def test_rfp_bad_input_is_named() -> None:
    scs = _price_scenarios(2)
    bad: list[tuple[dict[str, Any], str]] = [({"close": "best"}, "close"), ({"shop_rounds": 0}, "shop_rounds"),
                                             ({"stall_rounds": -1}, "stall_rounds"), ({"first": 2}, "first"),
                                             ({"shop_rounds": 1.5}, "shop_rounds")]
    for kw, field in bad:
        with pytest.raises(goodwill.InvalidInputError, match=field):
            neg.run_rfp(scs, neg.boulware(), [neg.conceder(), neg.conceder()], **kw)
        with pytest.raises(goodwill.InvalidInputError, match=field):
            neg.run_rfp_batch([(scs, [neg.conceder(), neg.conceder()])], [neg.boulware()], **kw)
    with pytest.raises(goodwill.InvalidInputError, match="sellers"):
        neg.run_rfp(scs, neg.boulware(), [neg.conceder()])
    with pytest.raises(goodwill.InvalidInputError, match="quote_margin"):
        neg.run_rfp(scs, neg.boulware(), [neg.conceder(), neg.conceder()], quote_margin=-1)
    with pytest.raises(goodwill.InvalidInputError, match="at least 2 parties"):
        neg.run_multilateral_session(_three()[:1], [neg.boulware()])


def test_batches_are_the_same_on_one_and_two_threads() -> None:
    scs = _price_scenarios(3)
    rfps = [(scs[:2], [neg.conceder(), neg.price_matcher(2.0)]),
            (scs, [neg.conceder(), neg.boulware(), neg.price_matcher(2.0)])]
    buyers = [neg.boulware(), neg.linear()]
    one = neg.run_rfp_batch(rfps, buyers, range(30), n_steps=20, threads=1)
    two = neg.run_rfp_batch(rfps, buyers, range(30), n_steps=20, threads=2)
    assert len(one) == 2 * 2 * 30
    pd.testing.assert_frame_equal(one, two)
    assert (one["quotes"] > 0).any()
    m1 = neg.run_multilateral_batch([_three()], [neg.conceder(), neg.random_strategy(0.5), neg.conceder()],
                                    range(40), n_steps=10, threads=1)
    m2 = neg.run_multilateral_batch([_three()], [neg.conceder(), neg.random_strategy(0.5), neg.conceder()],
                                    range(40), n_steps=10, threads=2)
    pd.testing.assert_frame_equal(m1, m2)
    assert set(m1["status"]) >= {"agreement"}
    assert np.isfinite(m1[["u_0", "u_1", "u_2"]].to_numpy()).all()
