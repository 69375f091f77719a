"""`purse quote` is a dry run of the decision `purse fetch` makes (issue "one flow").

For each kind of refusal, `quote --json` and `fetch --json` must refuse with the same code and the
same message, and nothing is signed: the chain shows no transfer beyond the ones a case pays on
purpose first.
"""

from __future__ import annotations

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from purse_e2e import EXIT_OK, EXIT_REFUSED, base_config, purse  # noqa: F401
from worldlib import count_transfers

# (case, policy overrides, extra CLI flags, paid fetches before the check, refusal code)
CASES = [
    ("daily budget spent", {"dailyBudget": "0.015"}, [], 1, "budget.daily_exceeded"),
    ("session budget", {"sessionBudget": "0.005"}, [], 0, "budget.session_exceeded"),
    ("per-host limit", {"perHost": {"127.0.0.1": {"daily": "0.015"}}}, [], 1, "budget.host_daily_exceeded"),
    ("host denied", {"hosts": {"deny": ["127.0.0.1"]}}, [], 0, "policy.host_denied"),
    ("network not allowed", {"allowNetworks": ["eip155:8453"]}, [], 0, "policy.no_acceptable_option"),
    ("price over the cap", {}, ["--max-price", "0.005"], 0, "policy.no_acceptable_option"),
]


@pytest.mark.parametrize("case,policy,flags,paid_first,code", CASES, ids=[c[0] for c in CASES])
def test_quote_and_fetch_refuse_alike(world, purse, case, policy, flags, paid_first, code):
    p = purse(base_config(world, **policy))
    url = world["sellerUrl"] + "/weather"
    for _ in range(paid_first):
        first = p.fetch(url)
        assert first.rc == EXIT_OK and first.data["outcome"] == "paid", str(first)
    transfers = count_transfers(world, p.address)
    assert transfers == paid_first

    quote = p.quote(url, *flags)
    fetch = p.fetch(url, *flags)
    assert quote.rc == EXIT_OK, str(quote)          # quote reports; it does not fail
    assert fetch.rc == EXIT_REFUSED, str(fetch)
    q, f = quote.data, fetch.data
    assert q["wouldPay"] is False, str(quote)
    assert q["refusal"]["code"] == code, str(quote)
    assert f["outcome"] == "refused" and f["paid"] is False, str(fetch)
    assert f["error"]["code"] == q["refusal"]["code"], (q, f)
    assert f["error"]["message"] == q["refusal"]["message"], (q, f)
    assert count_transfers(world, p.address) == paid_first   # nothing more left the wallet


def test_quote_says_it_would_pay_what_fetch_then_pays(world, purse):
    p = purse(base_config(world))
    url = world["sellerUrl"] + "/weather"
    quote = p.quote(url)
    assert quote.rc == EXIT_OK and quote.data["wouldPay"] is True and quote.data["refusal"] is None, str(quote)
    assert count_transfers(world, p.address) == 0
    fetch = p.fetch(url)
    assert fetch.rc == EXIT_OK and fetch.data["outcome"] == "paid", str(fetch)
    chosen = quote.data["options"][quote.data["chosen"]]
    assert fetch.data["payment"]["amountAtomic"] == chosen["amountAtomic"]
    assert fetch.data["payment"]["payTo"].lower() == chosen["payTo"].lower()
    assert count_transfers(world, p.address) == 1
