"""product search index (SQLite FTS5 over product.search_text)

Revision ID: 0002_product_search
Revises: 0001_catalog
Create Date: 2026-11-29

On SQLite an external-content FTS5 table indexes product.search_text (folded words), kept in
step by triggers, so a search reads the index instead of scanning every product. PostgreSQL
matches the same words with LIKE (see shop/catalog/search.py).

Careful: a later batch_alter_table("product") on SQLite recreates the product table and drops
these triggers; such a migration must create them again (call create_triggers()).
"""
from alembic import op

revision = "0002_product_search"
down_revision = "0001_catalog"
branch_labels = None
depends_on = None

TRIGGERS = {
    "product_search_ai": """
        CREATE TRIGGER product_search_ai AFTER INSERT ON product BEGIN
            INSERT INTO product_search(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    "product_search_ad": """
        CREATE TRIGGER product_search_ad AFTER DELETE ON product BEGIN
            INSERT INTO product_search(product_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        END""",
    "product_search_au": """
        CREATE TRIGGER product_search_au AFTER UPDATE OF search_text ON product BEGIN
            INSERT INTO product_search(product_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
            INSERT INTO product_search(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}


def create_triggers():
    for sql in TRIGGERS.values():
        op.execute(sql)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE product_search USING fts5("
        "search_text, content='product', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    create_triggers()
    op.execute("INSERT INTO product_search(product_search) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS product_search")
