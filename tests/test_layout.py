"""The pipeline shows in the folder names, and its arrows point one way: read → check → model → rules → site → write.

Each place may import only from places below it (or from itself); a module importing from above
would make a cycle, or make a lower step know a higher one (the pool knowing rendering, say).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "navigator"

# Lower first. A module's place is its sub-package, or its own name at the top of navigator/.
LAYERS = [
    {"model", "hashing", "workers", "__init__"},
    {"contract"},
    {"read"},
    {"check", "rules", "answers"},
    {"site"},
    {"incremental"},
    {"pipeline"},
    {"tooling"},
    {"cli", "__main__"},
]
RANK = {place: rank for rank, places in enumerate(LAYERS) for place in places}


def place_of(module: str) -> str:
    parts = module.split(".")  # navigator.site.data → site; navigator (its __version__) → __init__
    return parts[1] if len(parts) > 1 else "__init__"


def is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name).is_dir()


def imports(path: Path) -> set[str]:
    """The navigator modules a file imports, at its top or inside functions alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "navigator":
            found |= {f"{node.module}.{alias.name}" if node.module == "navigator" and is_module(alias.name) else node.module
                      for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "navigator"}
    return found


def modules() -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("navigator", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = imports(path) - {name}
    return graph


def test_every_place_is_in_a_layer():
    assert {place_of(module) for module in modules()} <= set(RANK)


def test_imports_point_down_the_pipeline_only():
    upward = [f"{module} imports {target}" for module, targets in modules().items() for target in targets
              if RANK[place_of(target)] > RANK[place_of(module)]]
    assert upward == []


def test_no_import_cycle():
    graph = modules()

    def resolve(target: str) -> str:  # `from navigator.site import data` names the module navigator.site.data
        return target if target in graph else target.rpartition(".")[0]

    edges = {module: {resolve(t) for t in targets} & graph.keys() for module, targets in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" → ".join(path[path.index(target):] + [module, target]) if target in path else f"{module} → {target}")
            elif target not in state:
                visit(target, path + [module])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_no_module_is_long_without_saying_why():
    """Over ~500 lines, a module says at its top why it is one module (a "Long:" line in its docstring)."""
    long = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
            if len(path.read_text(encoding="utf-8").splitlines()) > 520
            and "Long:" not in (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "")]
    assert long == []
