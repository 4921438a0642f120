"""product.search_text: Chinese and Korean runs indexed as characters and pairs, so 蜂蜜 finds 野生蜂蜜

Revision ID: 0018_search_cjk_pieces
Revises: 0017_audit_log
Create Date: 2026-12-04 18:45:00

Only the stored words are re-cut here; the translated summaries join the search text the next time a
product is saved (Product.refresh_derived), as the demo loader does.
"""
import re

import sqlalchemy as sa
from alembic import op


revision = '0018_search_cjk_pieces'
down_revision = '0017_audit_log'
branch_labels = None
depends_on = None

# The same cut as shop.text at the time of writing; a migration never imports the app.
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def _pieces(word: str) -> list[str]:
    if not _CJK.search(word):
        return [word]
    out, at = [], 0
    for run in _CJK.finditer(word):
        if run.start() > at:
            out.append(word[at:run.start()])
        chars = run.group()
        out.extend(chars)
        out.extend(chars[i:i + 2] for i in range(len(chars) - 1))
        at = run.end()
    if at < len(word):
        out.append(word[at:])
    return out


def upgrade():
    product = sa.table('product', sa.column('id', sa.Integer), sa.column('search_text', sa.Text))
    connection = op.get_bind()
    for row in connection.execute(sa.select(product.c.id, product.c.search_text)).all():
        words = (row.search_text or "").split()
        if any(_CJK.search(word) for word in words):
            cut = " ".join(piece for word in words for piece in _pieces(word))
            connection.execute(product.update().where(product.c.id == row.id).values(search_text=cut))


def downgrade():
    pass  # the pieces are extra words; searching with them does no harm
