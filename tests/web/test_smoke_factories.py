"""Pages render from factory data alone (no demo catalog)."""
from shop.extensions import db


def test_product_page_renders_variant_prices_in_vnd(client, make_product):
    product = make_product(name="Chả mực Hạ Long", prices=(125_000, 350_000))
    db.session.commit()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Chả mực Hạ Long" in page
    assert "125.000\u00a0₫" in page and "350.000\u00a0₫" in page
