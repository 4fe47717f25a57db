"""The store's arrows run one way (STYLE.md): no module imports the facade, no circles."""

import ast
from pathlib import Path

STORE = Path(__file__).resolve().parents[2] / "forecast_ledger" / "store"


def _imports(path):
    """The store modules a module imports, at top level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("forecast_ledger.store."):
                found.add(node.module.rsplit(".", 1)[1])
            elif node.module == "forecast_ledger.store":
                found.update(alias.name for alias in node.names)
    return found - {"schema", "migrations"}


GRAPH = {p.stem: _imports(p) for p in STORE.glob("*.py") if p.stem != "__init__"}


def test_no_module_of_the_store_imports_the_facade():
    assert [name for name, uses in GRAPH.items() if "ledger" in uses] == []


def test_the_store_has_no_import_cycle():
    def visit(name, path):
        assert name not in path, " → ".join([*path, name])
        for used in GRAPH.get(name, ()):
            visit(used, [*path, name])

    for name in GRAPH:
        visit(name, [])


def test_domain_imports_nothing_of_the_store_or_the_cli():
    domain = STORE.parent / "domain"
    for path in domain.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "forecast_ledger.store" not in text and "forecast_ledger.cli" not in text, path
