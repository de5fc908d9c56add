"""The Go toolchain matrix, defined once for scripts/setup and the tests.

Each toolchain builds every test program. Toolchains other than Debian's
go1.19 and the machine's Go come from the module proxy as golang.org/toolchain
modules (GOTOOLCHAIN=go1.N.P), cached under .cache/go in the repo. A toolchain
that cannot be had is an error, never a skip.

Run as a script to fetch and verify the whole matrix:
    python3 tests/harness/toolchains.py --fetch
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.path.join(REPO, ".cache", "go")
SYSTEM_GO = "/usr/local/go/bin/go"
DEBIAN_GO119 = "/usr/lib/go-1.19/bin/go"


def layout_family(layout: str) -> str:
    """The map implementation of a layout, "classic" or "swiss" (split groups
    are a swiss group layout, GOEXPERIMENT=mapsplitgroup in go1.27)."""
    return "classic" if layout == "classic" else "swiss"


@dataclasses.dataclass(frozen=True)
class Toolchain:
    name: str  # cell name in test ids
    go: str  # the go command to run
    gotoolchain: str | None  # GOTOOLCHAIN value (a module-proxy toolchain)
    experiment: str | None  # GOEXPERIMENT
    version_prefix: str  # what runtime.buildVersion must start with
    map_layout: str  # "classic", "swiss" or "swiss-split": ground truth from the Go release notes
    goarch: str = "amd64"  # GOARCH of the programs it builds

    @property
    def family(self) -> str:
        return layout_family(self.map_layout)

    @property
    def minor(self) -> int:
        """N of go1.N."""
        return int(self.version_prefix.split(".")[1])

    @property
    def emulator(self) -> tuple[str, ...]:
        """The command that runs this toolchain's programs on this amd64
        machine: nothing (native), or qemu-user for arm64."""
        return EMULATORS[self.goarch]

    @property
    def grow_function(self) -> str:
        """Where the runtime grows a map[int]int of this layout (a breakpoint
        target): classic maps evacuate old buckets incrementally, swiss maps
        split a full table."""
        if self.map_layout == "classic":
            return "runtime.evacuate_fast64"
        return "internal/runtime/maps.(*table).split"

    @property
    def goroot(self) -> str:
        if self.gotoolchain:
            return os.path.join(
                CACHE, "mod", "golang.org", f"toolchain@v0.0.1-{self.gotoolchain}.linux-amd64"
            )
        return os.path.dirname(os.path.dirname(self.go))

    @property
    def growth_stop(self) -> tuple[str, int]:
        """(file, line) of a statement in the middle of growing a map[int]int,
        from this toolchain's own runtime source: classic maps, inside
        evacuate_fast64's slot loop (the `dst.i++` after a slot's copy, its
        old slot already marked); swiss maps, inside installTableSplit right
        after replaceTable(left) (old and left table both in the directory)."""
        if self.map_layout == "classic":
            name = "map_fast64_noswiss.go" if self.experiment == "noswissmap" else "map_fast64.go"
            path = os.path.join(self.goroot, "src", "runtime", name)
            return name, _line_after(path, "func evacuate_fast64(", "dst.i++", 0)
        path = os.path.join(self.goroot, "src", "internal", "runtime", "maps", "map.go")
        return "internal/runtime/maps/map.go", _line_after(
            path, "func (m *Map) installTableSplit(", "m.replaceTable(left)", 1
        )

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            GOPATH=os.path.join(CACHE, "path"),
            GOMODCACHE=os.path.join(CACHE, "mod"),
            GOFLAGS="-mod=mod",
            CGO_ENABLED="0",
            GOARCH=self.goarch,
        )
        env.pop("GOROOT", None)
        env["GOTOOLCHAIN"] = self.gotoolchain or "local"
        if self.experiment:
            env["GOEXPERIMENT"] = self.experiment
        else:
            env.pop("GOEXPERIMENT", None)
        return env


def _line_after(path: str, function: str, statement: str, skip: int) -> int:
    """The line of the first `statement` inside `function` of a Go source,
    or with skip=1 of the next non-blank line after it."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(function))
    at = next(i for i in range(start, len(lines)) if lines[i].strip() == statement)
    for _ in range(skip):
        at = next(i for i in range(at + 1, len(lines)) if lines[i].strip())
    return at + 1


_EXPERIMENT_SUFFIX = {None: "", "noswissmap": "-noswiss", "mapsplitgroup": "-splitgroup"}


def _module(version: str, layout: str, experiment: str | None = None) -> Toolchain:
    suffix = _EXPERIMENT_SUFFIX[experiment]
    return Toolchain(f"go{version}{suffix}", SYSTEM_GO, f"go{version}", experiment, f"go{version}", layout)


MATRIX: list[Toolchain] = [
    Toolchain("go1.19", DEBIAN_GO119, None, None, "go1.19", "classic"),
    _module("1.21.13", "classic"),
    _module("1.22.12", "classic"),
    _module("1.23.12", "classic"),
    _module("1.24.13", "swiss"),
    _module("1.24.13", "classic", "noswissmap"),
    _module("1.25.12", "swiss"),
    _module("1.25.12", "classic", "noswissmap"),
    Toolchain("go1.26", SYSTEM_GO, None, None, "go1.26", "swiss"),
    _module("1.27.3", "swiss"),
    _module("1.27.3", "swiss-split", "mapsplitgroup"),
]


def _arm64(tc: Toolchain) -> Toolchain:
    """The same toolchain building linux/arm64 programs (run under qemu-user)."""
    return dataclasses.replace(tc, name=f"{tc.name}-arm64", goarch="arm64")


# linux/arm64 programs analysed on this amd64 machine (issue 14): a classic
# and a swiss release, and the newest of the matrix. Not in MATRIX: the test
# modules that cover arm64 add these cells themselves (selected_arm64).
ARM64: list[Toolchain] = [_arm64(t) for t in MATRIX if t.name in ("go1.22.12", "go1.26", "go1.27.3")]
ALL: list[Toolchain] = MATRIX + ARM64

EMULATORS = {"amd64": (), "arm64": ("qemu-aarch64-static",)}


def _chosen(toolchains: list[Toolchain]) -> list[Toolchain]:
    """TOOLCHAINS, or those of them named in GOMAPDBG_TOOLCHAINS (comma-separated)."""
    wanted = os.environ.get("GOMAPDBG_TOOLCHAINS")
    if not wanted:
        return toolchains
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    unknown = [n for n in names if n not in {t.name for t in ALL}]
    if unknown:
        raise SystemExit(f"GOMAPDBG_TOOLCHAINS names unknown toolchains: {unknown}")
    return [t for t in toolchains if t.name in names]


def selected() -> list[Toolchain]:
    """The (amd64) matrix, or the subset named in GOMAPDBG_TOOLCHAINS."""
    return _chosen(MATRIX)


def selected_arm64() -> list[Toolchain]:
    """The arm64 toolchains, or those named in GOMAPDBG_TOOLCHAINS."""
    return _chosen(ARM64)


def by_name(name: str) -> Toolchain:
    """The toolchain of a cell name, for a test pinned to one (which the
    tests' conftest deselects when GOMAPDBG_TOOLCHAINS leaves it out)."""
    return next(t for t in ALL if t.name == name)


def _release(tc: Toolchain) -> tuple[int, ...]:
    return tuple(int(part) for part in tc.version_prefix.removeprefix("go").split("."))


def _by_release(layout: str | None) -> list[Toolchain]:
    """The selected toolchains (of one map layout), oldest release first; the
    builds of one release keep their matrix order (the plain build first)."""
    return sorted((t for t in selected() if layout in (None, t.map_layout)), key=_release)


def oldest(layout: str | None = None) -> Toolchain | None:
    """The oldest selected toolchain, of map layout `layout` if given."""
    chosen = _by_release(layout)
    return chosen[0] if chosen else None


def newest(layout: str | None = None) -> Toolchain | None:
    """The newest selected toolchain (the last experiment build of the newest
    release), of map layout `layout` if given."""
    chosen = _by_release(layout)
    return chosen[-1] if chosen else None


def distinct(*choices: Toolchain | None) -> list[Toolchain]:
    """The choices that exist, each once, in order (for parametrizing)."""
    return list(dict.fromkeys(t for t in choices if t is not None))


def version_of(tc: Toolchain) -> str:
    """Runs `go version` (downloading a module toolchain on first use)."""
    if not os.path.exists(tc.go):
        raise RuntimeError(f"{tc.name}: {tc.go} is missing (run scripts/setup)")
    out = subprocess.run(
        [tc.go, "version"], env=tc.env(), capture_output=True, text=True, timeout=900, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"{tc.name}: 'go version' failed: {out.stderr.strip() or out.stdout.strip()}")
    words = out.stdout.split()
    version = words[2] if len(words) > 2 else ""
    if not version.startswith(tc.version_prefix):
        raise RuntimeError(f"{tc.name}: expected {tc.version_prefix}, got {out.stdout.strip()}")
    return version


def main() -> int:
    failed = []
    for tc in MATRIX:
        try:
            print(f"{tc.name:22} {version_of(tc)}", flush=True)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"{tc.name:22} FAILED: {e}", flush=True)
            failed.append(tc.name)
    if failed:
        print(f"toolchains unavailable: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["--fetch"]:
        raise SystemExit("usage: toolchains.py --fetch")
    sys.exit(main())
