"""Many visitors adding to their carts at once: every request succeeds, none says "database is locked"."""
import re
import threading

from sqlalchemy import func, select

from shop.cart.models import CartLine
from shop.extensions import db


def test_twenty_visitors_adding_at_once_all_succeed(app, make_product, put_stock):
    product = make_product(name="Miến dong Bình Liêu")
    put_stock(product.variants[0], product.producer, 100)
    db.session.commit()
    slug, variant_id = product.slug, product.variants[0].id
    barrier, codes = threading.Barrier(20), []

    def visitor():
        client = app.test_client()
        html = client.get(f"/products/{slug}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        barrier.wait()
        for _ in range(3):
            codes.append(client.post("/cart/add", data={"csrf_token": token, "variant_id": variant_id,
                                                        "quantity": 1}).status_code)

    threads = [threading.Thread(target=visitor) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [303] * 60  # each back to the product page's confirmation
    db.session.rollback()
    assert db.session.scalar(select(func.sum(CartLine.quantity))) == 60
