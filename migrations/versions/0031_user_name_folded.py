"""user.name_folded: a person's name without marks, so the office finds "Nguyễn Thị Lan" by typing "nguyen thi lan"

Revision ID: 0031_user_name_folded
Revises: 0030_bank_line_reference
Create Date: 2026-12-05 07:00:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op


revision = '0031_user_name_folded'
down_revision = '0030_bank_line_reference'
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # The same folding as shop.text.fold at the time of writing; a migration never imports the app.
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").casefold()
    return unicodedata.normalize("NFC", " ".join(bare.split()))[:120]


def upgrade():
    # Plain ADD/DROP COLUMN (see 0009): a batch copy of "user" would break the rows that point at it on SQLite.
    op.add_column('user', sa.Column('name_folded', sa.String(length=120), server_default='', nullable=False))
    op.create_index(op.f('ix_user_name_folded'), 'user', ['name_folded'], unique=False)
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('name', sa.String),
                    sa.column('name_folded', sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(user.c.id, user.c.name)).all():
        connection.execute(user.update().where(user.c.id == row.id).values(name_folded=_fold(row.name or "")))


def downgrade():
    op.drop_index(op.f('ix_user_name_folded'), table_name='user')
    op.drop_column('user', 'name_folded')
