"""The demo data is honest: fictional producers carry made-up decision numbers, each decision names the
body that issued it under the rules of its day, and only one sales point claims to be the largest."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from shop.catalog.models import Certificate, Producer, Product
from shop.demo.rows import DISTRICTS_ENDED, MINISTRY_RENAMED, PRODUCTS, SALES_POINTS
from shop.extensions import db

#: Real national decisions the demo once borrowed; no fictional producer may carry them.
REAL_DECISIONS = ("377/QĐ-BNN-VPĐP", "3126/QĐ-BNN-VPĐP", "2361/QĐ-BNNMT")


def test_no_demo_row_names_a_real_decision_and_every_fixed_one_is_marked_demo():
    for row in PRODUCTS:
        assert not any(real in row.certificate_no for real in REAL_DECISIONS), row.code
        assert row.certificate_no == "" or row.certificate_no.startswith("DEMO-"), row.code


def test_only_one_demo_sales_point_claims_to_be_the_largest():
    claims = [p.code for p in SALES_POINTS
              if re.search(r"lớn nhất|largest|biggest", f"{p.description} {p.description_en}", re.IGNORECASE)]
    assert len(claims) == 1


def test_every_seeded_certificate_is_fictional_and_names_the_body_of_its_day(demo_app):
    with demo_app.app_context():
        rows = db.session.execute(
            select(Certificate, Product, Producer).join(Product, Product.id == Certificate.product_id)
            .join(Producer, Producer.id == Product.producer_id)).all()
        assert len(rows) == len(PRODUCTS)
        for certificate, product, producer in rows:
            assert producer.is_fictional
            assert certificate.decision_no.startswith("DEMO-") and product.ocop_certificate_no == certificate.decision_no
            assert (certificate.stars, certificate.decided_on, certificate.expires_on) == (
                product.ocop_stars, product.ocop_certified_on, product.ocop_expires_on)
            assert certificate.issuer == _issuer_of_the_day(certificate.stars, certificate.decided_on, certificate.issuer)


def _issuer_of_the_day(stars: int, day: dt.date, recorded: str) -> str:
    """What the law of that day says, checked independently of the loader's own rule."""
    if stars == 5:
        return ("Bộ Nông nghiệp và Môi trường" if day >= MINISTRY_RENAMED
                else "Bộ Nông nghiệp và Phát triển nông thôn")
    if stars == 4 or day >= DISTRICTS_ENDED:
        return "Ủy ban nhân dân tỉnh Quảng Ninh"
    # Before July 2025 a district (huyện, thị xã or city) People's Committee granted 3★.
    assert re.match(r"Ủy ban nhân dân (huyện|thị xã|thành phố) ", recorded), recorded
    return recorded
