"""The carnet-opening service: code, first name when asked, client address, limits; and
the odds an attacker has at the configured limits."""

import pytest
from django.core.cache import cache

from learners.codes import CODE_SPACE, LEGACY_CODE_SPACE
from learners.models import Carnet
from learners.services import carnet_issue
from learners.services.carnet_limits import (
    CarnetRateLimits,
    carnet_rate_limit_keys,
    carnet_rate_limits,
    client_prefixes,
)
from learners.services.carnet_opening import (
    AttackerAssumptions,
    Outcome,
    carnet_guess_odds,
    carnet_open_attempt,
)
from tests.factories.learners import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def helene(counsellor_a, structure_a):
    learner = LearnerFactory(structure=structure_a, first_name="Marie-Hélène")
    return learner, carnet_issue(user=counsellor_a, learner=learner)


def test_the_odds_of_opening_any_carnet_in_a_year_are_below_one_in_a_million():
    """A year of guessing finds no code, at the configured limits (README, « Carnet »).

    Assumptions: an attacker guesses codes at random, all year long (8,760 hours), from a
    botnet of 1,000,000 IPv4 addresses and 100,000 IPv6 /48 networks; 1,000,000 codes are
    active, all 16 symbols long (30**16 ≈ 4.3e23 codes); no first name is shared by more
    than 5 % of holders. Only hard limits bound a distributed attacker: 10 failures an hour
    per IPv4 address (or IPv6 /64) and 100 per IPv6 /48; the overall budget (200 failures
    an hour) only switches the form to "code + first name".

    Attempts: 10 * 1e6 + 100 * 1e5 = 2e7 an hour, 1.752e11 a year. Each opens a carnet
    with probability 1e6 / 30**16 = 2.32e-18: P <= 1.752e11 * 2.32e-18 = 4.1e-7 even if
    the first name were never asked; with it (all but 200 attempts an hour need it),
    P <= 200 * 8760 * 2.32e-18 + 1.752e11 * 2.32e-18 * 0.05 = 2.0e-8.
    """
    limits = carnet_rate_limits()
    assert limits == CarnetRateLimits(
        per_client_per_hour=10,
        per_network_per_hour=30,
        per_ipv6_site_per_hour=100,
        global_per_hour=200,
    )
    assumptions = AttackerAssumptions()
    assert assumptions.code_space == CODE_SPACE == 30**16
    odds = carnet_guess_odds(limits=limits, assumptions=assumptions)
    assert odds.failures_per_hour == 10 * 1_000_000 + 100 * 100_000 == 20_000_000
    assert odds.failures_per_year == 20_000_000 * 8_760
    per_attempt = 1_000_000 / 30**16
    assert odds.without_first_name == pytest.approx(odds.failures_per_year * per_attempt, 1e-3)
    assert odds.without_first_name < 1e-6
    assert odds.with_first_name == pytest.approx(
        200 * 8_760 * per_attempt + (odds.failures_per_year - 200 * 8_760) * per_attempt * 0.05,
        rel=1e-3,
    )
    assert odds.with_first_name < 1e-7


def test_the_arithmetic_fails_where_it_should():
    """The same computation is not a rubber stamp: 10-symbol codes, or a per-address limit
    ten times higher, miss the target."""
    legacy = carnet_guess_odds(assumptions=AttackerAssumptions(code_space=LEGACY_CODE_SPACE))
    assert legacy.without_first_name > 0.5
    # Even a small legacy population (25,000 cards) misses it.
    few = AttackerAssumptions(code_space=LEGACY_CODE_SPACE, active_codes=25_000)
    assert carnet_guess_odds(assumptions=few).with_first_name > 1e-6
    loose = CarnetRateLimits(per_client_per_hour=100)
    assert carnet_guess_odds(limits=loose).without_first_name > 1e-6


def test_client_prefixes():
    assert client_prefixes("203.0.113.7").network == "203.0.113.0/24"
    assert client_prefixes("::ffff:203.0.113.7").address == "203.0.113.7"
    six = client_prefixes("2001:db8:1:2:3:4:5:6")
    assert (six.address, six.network, six.ipv6) == ("2001:db8:1:2::/64", "2001:db8:1::/48", True)
    assert client_prefixes("garbage").address == "garbage"


def test_first_name_is_compared_folded(helene, settings):
    learner, code = helene
    settings.CARNET_RATE_LIMITS = {"global_per_hour": 0}  # the first name is always asked
    assert carnet_open_attempt(code=code, client_address="198.51.100.1").outcome is (
        Outcome.FIRST_NAME_NEEDED
    )
    for typed, outcome in [
        ("Marie", Outcome.WRONG),
        ("Hélène", Outcome.WRONG),
        ("marie helene", Outcome.OPENED),
        ("MARIE-HELENE", Outcome.OPENED),
    ]:
        result = carnet_open_attempt(code=code, first_name=typed, client_address="198.51.100.1")
        assert result.outcome is outcome, typed
    assert Carnet.objects.get(learner=learner).open_count == 2


def test_what_is_counted(helene, django_assert_max_num_queries):
    _learner, code = helene
    keys = carnet_rate_limit_keys(ip_address="198.51.100.2")
    with django_assert_max_num_queries(0):
        result = carnet_open_attempt(code="ABCD", client_address="198.51.100.2")
    assert result.outcome is Outcome.MALFORMED and cache.get(keys.client) is None
    with django_assert_max_num_queries(1):
        result = carnet_open_attempt(code="ABCD-EFGH-JKMN-PQRS", client_address="198.51.100.2")
    assert result.outcome is Outcome.WRONG
    assert [cache.get(k) for k in (keys.client, keys.network, keys.everyone)] == [1, 1, 1]
    with django_assert_max_num_queries(5):
        result = carnet_open_attempt(code=code, client_address="198.51.100.2")
    assert result.opened
    assert [cache.get(k) for k in (keys.client, keys.network, keys.everyone)] == [1, 1, 1]


def test_a_client_past_its_limit_is_refused_before_any_lookup(
    helene, settings, django_assert_max_num_queries
):
    _learner, code = helene
    settings.CARNET_RATE_LIMITS = {"per_client_per_hour": 1}
    carnet_open_attempt(code="ABCD-EFGH-JKMN-PQRS", client_address="198.51.100.3")
    with django_assert_max_num_queries(0):
        result = carnet_open_attempt(code=code, client_address="198.51.100.3")
    assert result.outcome is Outcome.LIMITED and result.limited.scope == "client"
    assert carnet_open_attempt(code=code, client_address="198.51.100.4").opened
