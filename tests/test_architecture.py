"""The layout ARCHITECTURE.md describes: imports run one way, and no module grows too long."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
MAX_LINES = 500  # ARCHITECTURE.md: about 400; past 500 a module is split


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted((SRC / "gapkb").rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """The gapkb modules a module imports anywhere in it: at the top, in a function, or only
    for type checking (a circle of type-only imports is still a circle to a reader)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            # `from gapkb.site import model` imports a module; `from gapkb.site import x`, a name
            found |= {
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            }
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_module_list_is_complete() -> None:
    # a guard for the tests below: they walk every module of the package
    assert len(MODULES) >= 50
    assert {"gapkb.records", "gapkb.site.build", "gapkb.citations.csl", "gapkb.cli"} <= set(MODULES)


def test_no_import_circle() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_finder_finds_a_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_outputs_depend_on_the_core_never_the_reverse() -> None:
    outputs = (
        *("gapkb.site", "gapkb.citations", "gapkb.sparql", "gapkb.contributing"),
        *("gapkb.release", "gapkb.cli"),
    )
    entry_points = ("gapkb", "gapkb.__main__")  # the library's front door and `python -m gapkb`
    core = [name for name in MODULES if not name.startswith(outputs) and name not in entry_points]
    wrong = {
        name: sorted(m for m in GRAPH[name] if m.startswith(outputs))
        for name in core
        if any(m.startswith(outputs) for m in GRAPH[name])
    }
    assert wrong == {}


def test_no_module_is_too_long() -> None:
    files = [*(SRC / "gapkb").rglob("*.py"), *(REPO / "bench").rglob("*.py")]
    assert len(files) >= 55
    long = {
        str(path.relative_to(REPO)): count
        for path in files
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (over {MAX_LINES} lines): {long}"
