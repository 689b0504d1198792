"""initial schema: parks, companies, connections, results, audit log

Revision ID: 0001
Revises:
Create Date: 2026-11-29 01:45:11.705802
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("park_id", sa.String(length=100), nullable=True),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=200), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(op.f("ix_audit_log_park_id"), "audit_log", ["park_id"], unique=False)

    op.create_table(
        "park",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=True),
        sa.Column("area_ha", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("outline_geojson", sa.JSON(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("refdata_overrides", sa.JSON(), nullable=False),
        sa.Column("grid_operator", sa.String(length=100), nullable=True),
        sa.Column("grid_substation", sa.String(length=100), nullable=True),
        sa.Column("grid_available_import_kw", sa.Float(), nullable=True),
        sa.Column("grid_available_export_kw", sa.Float(), nullable=True),
        sa.Column("grid_origins", sa.JSON(), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_park")),
    )
    op.create_table(
        "company",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kvk", sa.String(length=20), nullable=True),
        sa.Column("sbi", sa.String(length=20), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("floor_area_m2", sa.Float(), nullable=True),
        sa.Column("office_area_m2", sa.Float(), nullable=True),
        sa.Column("operating_hours_class", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("building_owner", sa.String(length=20), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["park.id"], name=op.f("fk_company_park_id_park"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_company")),
        sa.UniqueConstraint("park_id", "id", name=op.f("uq_company_park_id_id")),
        sa.UniqueConstraint("park_id", "kvk", name=op.f("uq_company_park_id_kvk")),
    )
    op.create_index(op.f("ix_company_park_id"), "company", ["park_id"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("park_id", sa.String(length=100), nullable=False),
        sa.Column("business_association", sa.Boolean(), nullable=True),
        sa.Column("park_management", sa.Boolean(), nullable=True),
        sa.Column("biz", sa.Boolean(), nullable=True),
        sa.Column("sustainability_group", sa.Boolean(), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["park.id"], name=op.f("fk_organisation_park_id_park"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("park_id", name=op.f("pk_organisation")),
    )
    op.create_table(
        "result",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs_hash", sa.String(length=128), nullable=True),
        sa.Column("refdata_version", sa.String(length=100), nullable=True),
        sa.Column("code_version", sa.String(length=50), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["park.id"], name=op.f("fk_result_park_id_park"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result")),
    )
    op.create_index(
        "ix_result_park_id_kind_key", "result", ["park_id", "kind", "key"], unique=False
    )

    op.create_table(
        "connection",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ean", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("fuse", sa.String(length=40), nullable=True),
        sa.Column("contracted_kw", sa.Float(), nullable=True),
        sa.Column("contracted_feed_in_kw", sa.Float(), nullable=True),
        sa.Column("physical_kva", sa.Float(), nullable=True),
        sa.Column("grid_level", sa.String(length=20), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_connection_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["park.id"], name=op.f("fk_connection_park_id_park"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_connection")),
        sa.UniqueConstraint("park_id", "ean", name=op.f("uq_connection_park_id_ean")),
    )
    op.create_index(op.f("ix_connection_company_pk"), "connection", ["company_pk"], unique=False)
    op.create_index(op.f("ix_connection_park_id"), "connection", ["park_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_contact_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_pk", name=op.f("pk_contact")),
    )
    op.create_table(
        "electricity_use",
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("annual_kwh", sa.Float(), nullable=False),
        sa.Column("annual_feed_in_kwh", sa.Float(), nullable=False),
        sa.Column("annual_produced_kwh", sa.Float(), nullable=True),
        sa.Column("peak_kw", sa.Float(), nullable=True),
        sa.Column("meter_data", sa.Text(), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_electricity_use_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_pk", name=op.f("pk_electricity_use")),
    )
    op.create_table(
        "engagement",
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("bond_with_park", sa.Integer(), nullable=True),
        sa.Column("bond_with_companies", sa.Integer(), nullable=True),
        sa.Column("interest", sa.JSON(), nullable=False),
        sa.Column("consent_share_data", sa.Boolean(), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_engagement_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_pk", name=op.f("pk_engagement")),
    )
    op.create_table(
        "gas_use",
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("annual_m3", sa.Float(), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_gas_use_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_pk", name=op.f("pk_gas_use")),
    )
    op.create_table(
        "plans",
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("electrification", sa.JSON(), nullable=False),
        sa.Column("expansion", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_plans_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_pk", name=op.f("pk_plans")),
    )
    op.create_table(
        "roof",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=100), nullable=True),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("usable_fraction", sa.Float(), nullable=False),
        sa.Column("tilt_deg", sa.Float(), nullable=False),
        sa.Column("azimuth_deg", sa.Float(), nullable=False),
        sa.Column("existing_pv_kwp", sa.Float(), nullable=False),
        sa.Column("bag_pand_id", sa.String(length=40), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_roof_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_roof")),
    )
    op.create_index(op.f("ix_roof_company_pk"), "roof", ["company_pk"], unique=False)

    op.create_table(
        "vehicle",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("company_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("fuel", sa.String(length=50), nullable=False),
        sa.Column("annual_km", sa.Float(), nullable=True),
        sa.Column("annual_fuel_l", sa.Float(), nullable=True),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_pk"],
            ["company.pk"],
            name=op.f("fk_vehicle_company_pk_company"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_vehicle")),
    )
    op.create_index(op.f("ix_vehicle_company_pk"), "vehicle", ["company_pk"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_vehicle_company_pk"), table_name="vehicle")

    op.drop_table("vehicle")
    op.drop_index(op.f("ix_roof_company_pk"), table_name="roof")

    op.drop_table("roof")
    op.drop_table("plans")
    op.drop_table("gas_use")
    op.drop_table("engagement")
    op.drop_table("electricity_use")
    op.drop_table("contact")
    op.drop_index(op.f("ix_connection_park_id"), table_name="connection")
    op.drop_index(op.f("ix_connection_company_pk"), table_name="connection")

    op.drop_table("connection")
    op.drop_index("ix_result_park_id_kind_key", table_name="result")

    op.drop_table("result")
    op.drop_table("organisation")
    op.drop_index(op.f("ix_company_park_id"), table_name="company")

    op.drop_table("company")
    op.drop_table("park")
    op.drop_index(op.f("ix_audit_log_park_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")

    op.drop_table("audit_log")
