"""product review states: waiting_review and returned instead of a draft with a date or a note

Revision ID: 0012_product_review_states
Revises: 0011_recipient_phone
Create Date: 2026-12-04 16:00:00

"""
from alembic import op


revision = '0012_product_review_states'
down_revision = '0011_recipient_phone'
branch_labels = None
depends_on = None


def upgrade():
    # Data only: product.status is a plain string column. Until now a draft with submitted_at was waiting for
    # the office, and a draft with the office's note (and no submitted_at) had been returned to its producer.
    op.execute("UPDATE product SET status = 'waiting_review' WHERE status = 'draft' AND submitted_at IS NOT NULL")
    op.execute("UPDATE product SET status = 'returned' WHERE status = 'draft' AND submitted_at IS NULL "
               "AND review_note <> ''")


def downgrade():
    # submitted_at and review_note are kept, so the old code reads both states back from a draft.
    op.execute("UPDATE product SET status = 'draft' WHERE status IN ('waiting_review', 'returned')")
