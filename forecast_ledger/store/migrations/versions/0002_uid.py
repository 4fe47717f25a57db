"""predictions.uid: the identity across ledgers; an index for finding an observation

Revision ID: 0002_uid
Revises: 0001_initial

Existing predictions get the uid their history implies (records.legacy_uid: from the key,
else from the fields fixed when they were added), so verify can check it and every copy of
an old ledger gives a prediction the same uid.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_uid"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

COLUMNS = ("id", "key", "claim", "claimant", "made_on", "made_precision", "deadline",
           "deadline_precision", "deadline_expression")


def upgrade() -> None:
    from forecast_ledger.domain.records import legacy_uid

    op.add_column("predictions", sa.Column("uid", sa.String(length=200), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT {', '.join(COLUMNS)} FROM predictions")).mappings()
    uids = [{"uid": legacy_uid({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                for k, v in row.items()}), "row_id": row["id"]}
            for row in rows]
    if uids:
        conn.execute(sa.text("UPDATE predictions SET uid = :uid WHERE id = :row_id"), uids)
    op.create_index("uq_predictions_uid", "predictions", ["uid"], unique=True)
    op.create_index("ix_observations_point", "observations",
                    ["series_id", "observed_on", "value"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_observations_point", table_name="observations")
    op.drop_index("uq_predictions_uid", table_name="predictions")
    with op.batch_alter_table("predictions") as batch_op:
        batch_op.drop_column("uid")
