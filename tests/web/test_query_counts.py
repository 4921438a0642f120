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
    # With no caching at all (the tests' settings): the count, the rank check, the page, its variants and pictures,
    # the producer, sector, product-set and ward choices, and the session's own.
    assert many <= 11


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
    assert many <= 9  # the rank check of "more from this producer" included (cached per day when served)


def test_a_listing_reads_only_its_page_once_counts_and_choices_are_cached(app, client, count_queries, make_product,
                                                                          make_producer, make_category):
    """As served (filter choices and counts kept per catalogue version): a page of 24 costs the same few statements
    whatever the catalogue holds, and no card loads anything on its own."""
    app.config["FILTER_CACHE_SECONDS"] = 60
    try:
        for i in range(30):
            make_product(name=f"Sản phẩm {i}", producer=make_producer(), category=make_category(), prices=(10_000 + i,))
        db.session.commit()
        client.get("/products?sort=stars")
        with count_queries() as statements:
            page = client.get("/products?sort=stars")
        assert page.status_code == 200 and page.get_data(as_text=True).count('class="card product-card"') == 24
        assert not [s for s in statements if "count(" in s or "DISTINCT" in s]
        assert len(statements) <= 7, statements
    finally:
        app.config["FILTER_CACHE_SECONDS"] = 0
