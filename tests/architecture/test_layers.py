"""The layers the folders draw, held by the import graph of ``src/showclear``.

Read from the source with :mod:`ast`: every import, at module level or inside a function
(``if TYPE_CHECKING:`` blocks never run, so they are left out). Three promises:

(a) no import cycle between modules;
(b) no import from a lower layer to a higher one (:data:`LAYERS`, lowest first);
(c) the core is pure: in a fresh interpreter, importing every ``showclear.core`` module loads no
    framework, database driver or other Showclear module; and the offline bundle verifier
    (``archive/verify.py``) imports nothing from Showclear at all.

To add a module, put it in a folder whose layer is declared here; a new top-level folder needs
its line in :data:`LAYERS` (and a sentence in ``docs/architecture.md``).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
ROOT = "showclear"

LAYERS: tuple[tuple[str, ...], ...] = (
    # the pure core, bottom up
    ("showclear", "showclear.core"),  # the two package docstrings and __version__ (exact)
    ("showclear.core.ledger",),  # the tamper-evident format, apart from the domain
    ("showclear.core.vocabulary", "showclear.core.mentions"),
    ("showclear.core.words",),  # times, counts, conditions in words (refusals use them too)
    ("showclear.core.rules",),
    ("showclear.core.commands",),
    ("showclear.core.limits",),
    ("showclear.core.events",),
    ("showclear.core.state",),
    ("showclear.core.decide",),
    ("showclear.core.read",),
    # the environment, the ledger's storage and the application layer
    ("showclear.config",),
    ("showclear.store",),
    ("showclear.service",),
    # paperwork in and out, and the ledger off the machine
    ("showclear.imports",),
    ("showclear.reports", "showclear.archive"),
    # the web project: its plumbing, then the apps, then the two shells, then the URLconf
    (
        "showclear.web",  # exact: the package docstring
        "showclear.web.settings",
        "showclear.web.database",
        "showclear.web.setup",
        "showclear.web.csp",
        "showclear.web.tls",
        "showclear.web.wsgi",
        "showclear.web.not_recorded",
    ),
    ("showclear.web.refusals",),
    ("showclear.web.runtime",),
    ("showclear.web.accounts", "showclear.web.hooks"),
    ("showclear.web.api",),
    ("showclear.web.request_size",),  # answers an over-large /api/ request in the API's format
    ("showclear.web.floor",),
    ("showclear.web.urls", "showclear.web.serving"),
    # the command line, on top
    ("showclear.cli",),
    ("showclear.__main__",),
)
"""Each line may import itself and the lines above it, never a line below."""

EXACT = frozenset({"showclear", "showclear.core", "showclear.web"})
"""Entries that name one module (a package's ``__init__``), not everything under it."""

APART: tuple[tuple[str, str], ...] = (("showclear.web.floor", "showclear.web.api"),)
"""Pairs that must not import each other directly, whatever their layers: the set pages and the
API are two shells over one service."""

NOT_PURE = ("django", "psycopg", "sqlite3", "click", "ninja", "argon2", "fpdf", "segno", "PIL")


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, not ``__init__``)."""
    found = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at module level or inside a function, except those under
    ``if TYPE_CHECKING:`` (they never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(child)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def _existing(name: str, known: dict[str, Path]) -> str:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def edges() -> dict[str, set[str]]:
    """Each module and the showclear modules it imports.

    ``from package import name`` points at ``package.name`` when that is a module, else at the
    package. Importing ``a.b.c`` also runs ``a`` and ``a.b`` first, but that implicit step is not
    an edge: Python puts a package in ``sys.modules`` before it runs its ``__init__``, so a
    submodule that imports its siblings by their full path never meets a half-initialised
    name. Only an explicit import of a name the ``__init__`` defines can, and that is an edge.
    """
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(), str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    for alias in node.names
                ]
            for target in targets:
                if target == ROOT or target.startswith(ROOT + "."):
                    resolved = _existing(target, known)
                    if resolved != name:
                        graph[name].add(resolved)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_of(module: str) -> int | None:
    """The index in :data:`LAYERS` of the longest entry that covers ``module``."""
    best: tuple[int, int] | None = None
    for rank, entries in enumerate(LAYERS):
        for entry in entries:
            covers = module == entry or (entry not in EXACT and module.startswith(entry + "."))
            if covers and (best is None or len(entry) > best[1]):
                best = (rank, len(entry))
    return None if best is None else best[0]


GRAPH = edges()


def test_the_graph_is_read() -> None:
    assert "showclear.core.events.armory" in GRAPH["showclear.core.state.armory"]
    # function-local imports count too
    assert "showclear.archive.backup.postgres" in GRAPH["showclear.archive.backup"]


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_every_module_has_a_layer() -> None:
    assert [module for module in GRAPH if layer_of(module) is None] == []


def test_no_import_runs_upward() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module) or 0][0]}) imports {target}"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if (layer_of(module) or 0) < (layer_of(target) or 0)
    ]
    assert upward == []


def test_the_shells_stay_apart() -> None:
    def under(module: str, prefix: str) -> bool:
        return module == prefix or module.startswith(prefix + ".")

    crossing = [
        f"{module} imports {target}"
        for one, other in APART
        for a, b in ((one, other), (other, one))
        for module, targets in GRAPH.items()
        if under(module, a)
        for target in targets
        if under(target, b)
    ]
    assert crossing == []


def test_the_core_is_pure_in_a_fresh_interpreter() -> None:
    core = sorted(module for module in GRAPH if module.startswith("showclear.core"))
    script = (
        "import importlib, json, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    said = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = json.loads(said.stdout)
    impure = [m for m in loaded if m.split(".")[0] in NOT_PURE]
    outside = [
        m for m in loaded if m.startswith("showclear.") and not m.startswith("showclear.core")
    ]
    assert impure == []
    assert outside == []


def test_the_bundle_verifier_imports_nothing_from_showclear(tmp_path: Path) -> None:
    verifier = SRC / "showclear" / "archive" / "verify.py"
    tree = ast.parse(verifier.read_text())
    named = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert [name for name in named if name.split(".")[0] == ROOT] == []
    # ...and runs as a lone file, away from the package
    alone = tmp_path / "verify.py"
    shutil.copy(verifier, alone)
    said = subprocess.run(
        [sys.executable, "-I", str(alone), "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert said.returncode == 0, said.stderr
