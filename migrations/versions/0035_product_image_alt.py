"""product_image.alt: what an uploaded picture shows, written by its producer

Revision ID: 0035_product_image_alt
Revises: 0034_counter_sale_void
Create Date: 2026-12-05 07:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0035_product_image_alt'
down_revision = '0034_counter_sale_void'
branch_labels = None
depends_on = None


def upgrade():
    # Pictures uploaded before keep an empty text: the page then names them "<product>, picture n of N".
    op.add_column('product_image', sa.Column('alt', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    op.drop_column('product_image', 'alt')
