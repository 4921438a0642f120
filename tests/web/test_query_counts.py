"""The busiest pages run a fixed number of queries, however many products they show (no N+1)."""
from shop.extensions import db


def _count(client, count_queries, url):
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_products_listing_query_count_does_not_grow_with_products_shown(client, count_queries, make_product, make_producer, make_category):
    category = make_category()
    make_product(producer=make_producer(), category=category)
    db.session.commit()
    few = _count(client, count_queries, "/products")
    for i in range(20):
        make_product(name=f"Sản phẩm {i}", producer=make_producer(), category=make_category(),
                     certifications=("vietgap",), prices=(10_000 + i, 20_000))
    db.session.commit()
    many = _count(client, count_queries, "/products")
    assert many == few
    assert many <= 10


def test_product_page_query_count_does_not_grow_with_variants_or_points(client, count_queries, make_product, make_sales_point, put_stock):
    product = make_product(prices=(10_000,))
    put_stock(product.variants[0], make_sales_point(), 5)
    db.session.commit()
    few = _count(client, count_queries, f"/products/{product.slug}")
    rich = make_product(prices=(10_000, 20_000, 30_000, 40_000), certifications=("vietgap", "organic"))
    for _ in range(6):
        point = make_sales_point()
        for variant in rich.variants:
            put_stock(variant, point, 5)
    db.session.commit()
    many = _count(client, count_queries, f"/products/{rich.slug}")
    assert many == few
    assert many <= 8
