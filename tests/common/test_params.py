"""Raw request parameters read without a form: only short runs of ASCII digits count."""

import pytest

from common.params import positive_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        ("123456789012345678", 123456789012345678),
        ("1234567890123456789", None),
        ("²", None),
        ("١٢", None),
        ("１２", None),
        ("1\x00", None),
        ("-1", None),
        (" 1", None),
        ("", None),
        (None, None),
    ],
)
def test_positive_int(raw, expected):
    assert positive_int(raw) == expected


def test_positive_int_max_digits():
    assert positive_int("999999", max_digits=6) == 999999
    assert positive_int("1000000", max_digits=6) is None
