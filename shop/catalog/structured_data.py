"""schema.org Product data for search engines (JSON-LD)."""
from __future__ import annotations

from shop.catalog.models import Product
from shop.links import external_url


def product(item: Product, in_stock: bool) -> dict:
    """Describe a product page as schema.org Product with one offer per variant."""
    variants = item.active_variants
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item.t("name"),
        "description": item.t("summary"),
        # From PUBLIC_URL when set, never from the request's Host: the page cache serves it to everyone.
        "image": external_url("catalog.product_image", slug=item.slug),
        "url": external_url("catalog.product", slug=item.slug),
        "category": item.category.t("name"),
        "brand": {"@type": "Brand", "name": item.producer.name},
        "manufacturer": {"@type": "Organization", "name": item.producer.name},
        "countryOfOrigin": "VN",
    }
    if item.rating_count:
        # Only from published reviews of buyers who received the product (shop/reviews/).
        data["aggregateRating"] = {"@type": "AggregateRating", "ratingValue": item.rating_average,
                                   "reviewCount": item.rating_count, "bestRating": 5, "worstRating": 1}
    if variants:
        data["sku"] = variants[0].sku
        if variants[0].gtin:
            data["gtin13"] = variants[0].gtin
        availability = "https://schema.org/InStock" if in_stock and item.can_buy_online else (
            "https://schema.org/InStoreOnly" if item.is_spirit else "https://schema.org/OutOfStock")
        data["offers"] = {
            "@type": "AggregateOffer",
            "priceCurrency": "VND",
            "lowPrice": min(v.price_vnd for v in variants),
            "highPrice": max(v.price_vnd for v in variants),
            "offerCount": len(variants),
            "availability": availability,
        }
    return data
