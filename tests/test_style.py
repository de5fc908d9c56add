"""The code is formatted: clang-format for C++, black for Python."""

import ast
import glob
import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_cpp_is_clang_formatted():
    files = sorted(
        glob.glob(os.path.join(REPO, "core", "**", "*.cc"), recursive=True)
        + glob.glob(os.path.join(REPO, "core", "**", "*.h"), recursive=True)
        + glob.glob(os.path.join(REPO, "bench", "**", "*.cc"), recursive=True)
    )
    assert files
    res = subprocess.run(["clang-format", "--dry-run", "-Werror", *files], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-4000:]


def test_python_is_black_formatted():
    dirs = [os.path.join(REPO, d) for d in ("core/python", "gdb", "lldb", "tests", "bench")]
    res = subprocess.run(["black", "--check", "-q", *dirs], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-4000:]


def _package_imports(package_dir: str) -> dict[str, set[str]]:
    """module -> the modules of the package it imports (also inside functions)."""
    root = os.path.dirname(package_dir)
    package = os.path.basename(package_dir)
    paths = glob.glob(os.path.join(package_dir, "**", "*.py"), recursive=True)
    modules = {os.path.relpath(p, root)[:-3].replace(os.sep, ".").removesuffix(".__init__"): p for p in paths}
    graph = {}
    for module, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(open(path).read())):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                # `from P import M` imports P.M when M is a module, else P.
                targets |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                }
        graph[module] = {t for t in targets if t in modules and t != module and t.split(".")[0] == package}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(module, path):
        if module in path:
            return path[path.index(module) :] + [module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            found = visit(target, path + [module])
            if found:
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return None


def test_gomapdbg_package_has_no_import_cycle():
    graph = _package_imports(os.path.join(REPO, "core", "python", "gomapdbg"))
    assert "gomapdbg.commands.map_command" in graph, sorted(graph)
    cycle = _cycle(graph)
    assert cycle is None, " -> ".join(cycle)


def test_gomapdbg_model_helpers_do_not_import_commands():
    """Layers: core bindings <- model helpers (catch, watch, target, ...) <-
    commands <- front ends (standalone, gdb/, lldb/)."""
    graph = _package_imports(os.path.join(REPO, "core", "python", "gomapdbg"))
    upper = ("gomapdbg.commands", "gomapdbg.standalone")
    for module, targets in graph.items():
        if module.startswith(upper):
            continue
        assert not {t for t in targets if t.startswith(upper)}, module
