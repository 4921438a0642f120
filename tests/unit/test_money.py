from shop.money import format_vnd


def test_vnd_uses_dots_for_thousands_and_the_dong_sign_after():
    assert format_vnd(125_000) == "125.000\u00a0₫"
    assert format_vnd(1_800_000) == "1.800.000\u00a0₫"


def test_small_zero_and_negative_amounts():
    assert format_vnd(500) == "500\u00a0₫"
    assert format_vnd(0) == "0\u00a0₫"
    assert format_vnd(-20_000) == "-20.000\u00a0₫"


def test_nothing_for_no_amount():
    assert format_vnd(None) == ""
