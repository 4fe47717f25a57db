"""Converters between foreign formats and the ledger's records: pure, no database."""
