"""Delve as an outside reference: its installation (the benchmark's peer too),
its variable fixtures (`_fixtures/testvariables*.go` of the module the Go
module proxy serves), and its view of a core file through its JSON-RPC API
(`dlv core --headless`): the frame's variables as Delve's `api.Variable`
trees."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess

from harness import programs
from harness.toolchains import REPO, Toolchain, by_name

VERSION = "v1.27.2"
BIN_DIR = os.path.join(REPO, ".cache", "bench", "bin")
DLV = os.path.join(BIN_DIR, "dlv")
MODULE = "github.com/go-delve/delve"
# Delve's LoadConfig for the comparison: pointers followed two levels (as
# `go print --deref 2`), 64 elements (gomapdbg's default), strings cut at 64
# bytes (compared as far as both show them), every struct field.
LOAD_CONFIG = dict(
    FollowPointers=True, MaxVariableRecurse=2, MaxStringLen=64, MaxArrayValues=64, MaxStructFields=-1
)
RPC_TIMEOUT = 120


def install() -> None:
    """Installs Delve VERSION from the module proxy into .cache/bench/bin
    (with the machine's go1.26), unless it is there; that also brings the
    module, with its _fixtures, into the toolchains' module cache."""
    if VERSION.lstrip("v") in installed_version():
        return
    tc = by_name("go1.26")
    env = dict(tc.env(), GOBIN=BIN_DIR, GOFLAGS="")
    res = subprocess.run(
        [tc.go, "install", f"{MODULE}/cmd/dlv@{VERSION}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if res.returncode != 0:
        raise RuntimeError(f"go install dlv@{VERSION} failed:\n{res.stderr[-3000:]}")


def installed_version() -> str:
    """What `dlv version` says ("" when Delve is not installed)."""
    if not os.path.exists(DLV):
        return ""
    res = subprocess.run([DLV, "version"], capture_output=True, text=True, check=False)
    return res.stdout


@functools.cache
def module_dir() -> str:
    """The Delve module's directory in the toolchains' module cache
    (downloaded from the module proxy when missing)."""
    tc = by_name("go1.26")
    res = subprocess.run(
        [tc.go, "mod", "download", "-json", f"{MODULE}@{VERSION}"],
        env=dict(tc.env(), GOFLAGS=""),
        capture_output=True,
        text=True,
        timeout=900,
        cwd=REPO,
    )
    if res.returncode != 0:
        raise RuntimeError(f"go mod download {MODULE}@{VERSION} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout)["Dir"]


@dataclasses.dataclass(frozen=True)
class Fixture:
    name: str  # the fixture's file under _fixtures, without .go
    function: str  # the function whose frame is compared (a generic's name up to its '[')
    expressions: tuple[str, ...] = ()  # compared beside the frame's variables
    # A variant leaves out this line of the source, so that the breakpoint
    # met first (where the core is made) is a later one.
    variant: str = ""
    drop: str = ""

    @property
    def program(self) -> str:
        return f"{self.name}-{self.variant}" if self.variant else self.name

    def source(self, fixtures_dir: str) -> str:
        with open(os.path.join(fixtures_dir, self.name + ".go"), encoding="utf-8") as f:
            text = f.read()
        if self.drop and self.drop not in text:
            raise RuntimeError(f"{self.name}.go of Delve {VERSION} has no line {self.drop!r} to leave out")
        return text.replace(self.drop, "", 1) if self.drop else text


FIXTURES = [
    Fixture(
        "testvariables2",
        "main.main",
        # Promoted fields (the shallowest wins, through embedded pointers),
        # elements and map entries.
        ("w2.F", "w3.F", "b.s", "b.val", "b.A.val", "b2.s", "c1.sa[2].B", "s2[7]", 'm1["Malone"]'),
    ),
    Fixture("testvariables", "main.foobar", ("a11[2].Bur", "a13[1].Baz", "bar.Bur")),
    Fixture("testvariables_generic", "main.testfn"),
    # Its second instantiation, testfn[*astruct, astruct].
    Fixture(
        "testvariables_generic", "main.testfn", variant="second", drop="\ttestfn[int, float32](3, 2.1)\n"
    ),
]


def build_fixture(fixture: Fixture, tc: Toolchain) -> str:
    """Builds a fixture as Delve's tests do (no optimization, no inlining),
    from a copy beside the module's internal helper packages (the module
    cache is read-only and its go.mod wants a newer Go than some toolchains)."""
    fixtures_dir = os.path.join(module_dir(), "_fixtures")
    text = fixture.source(fixtures_dir)
    out_dir = os.path.join(REPO, "build", "delve_fixtures", VERSION, tc.name)
    # Named by its source, so that a changed variant is built anew.
    binary = os.path.join(out_dir, f"{fixture.program}-{hashlib.sha256(text.encode()).hexdigest()[:8]}")
    if os.path.exists(binary):
        return binary
    work = os.path.join(out_dir, "src")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(os.path.join(fixtures_dir, "internal"), os.path.join(work, "_fixtures", "internal"))
    os.makedirs(os.path.join(work, "_fixtures", fixture.program))
    with open(os.path.join(work, "_fixtures", fixture.program, "main.go"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(work, "go.mod"), "w") as f:
        f.write(f"module {MODULE}\n\ngo 1.21\n")
    programs.go_build(
        tc, ["-gcflags=all=-N -l", f"./_fixtures/{fixture.program}"], binary, work, fixture.program
    )
    return binary


class DelveCore:
    """`dlv core BINARY CORE` served headless; calls its JSON-RPC API."""

    def __init__(self, binary: str, core: str):
        self.process = subprocess.Popen(
            # Delve 1.27 declares go1.25-1.27 (pkg/goversion); it reads the
            # matrix's older releases too when told not to check.
            [DLV, "core", binary, core, "--check-go-version=false"]
            + ["--headless", "--listen=127.0.0.1:0", "--api-version=2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        m = re.search(r"listening at: ([\d.]+):(\d+)", line)
        if not m:
            self.close()
            raise RuntimeError(f"dlv core did not start: {line}")
        self.socket = socket.create_connection((m.group(1), int(m.group(2))), timeout=RPC_TIMEOUT)
        self.stream = self.socket.makefile("rwb")
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        request = {"method": "RPCServer." + method, "params": [params], "id": self.next_id}
        self.stream.write(json.dumps(request).encode() + b"\n")
        self.stream.flush()
        reply = json.loads(self.stream.readline())
        if reply.get("error"):
            raise RuntimeError(f"dlv {method}: {reply['error']}")
        return reply["result"]

    def frame_of(self, goid: int, function: str) -> int:
        """Delve's number of the innermost frame of `function` (or of its
        instantiations, `main.testfn[...]`) in goroutine goid."""
        frames = self.call("Stacktrace", Id=goid, Depth=50, Full=False)["Locations"]
        for i, frame in enumerate(frames):
            name = (frame.get("function") or {}).get("name", "")
            if name == function or name.startswith(function + "["):
                return i
        raise RuntimeError(f"no frame of {function} in goroutine {goid}")

    def variables(self, goid: int, frame: int) -> list[dict]:
        """The frame's arguments and locals as api.Variable trees."""
        scope = dict(GoroutineID=goid, Frame=frame, DeferredCall=0)
        args = self.call("ListFunctionArgs", Scope=scope, Cfg=LOAD_CONFIG)["Args"]
        local = self.call("ListLocalVars", Scope=scope, Cfg=LOAD_CONFIG)["Variables"]
        return args + local

    def evaluate(self, goid: int, frame: int, expression: str) -> dict:
        """Delve's value of an expression, or {"error": why} when it has none."""
        scope = dict(GoroutineID=goid, Frame=frame, DeferredCall=0)
        try:
            return self.call("Eval", Scope=scope, Expr=expression, Cfg=LOAD_CONFIG)["Variable"]
        except RuntimeError as e:
            return {"error": str(e)}

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def delve_values(binary: str, core: str, fixture: Fixture, goid: int = 1) -> tuple[list[dict], dict]:
    """Delve's variables of the innermost frame of the fixture's function in
    goroutine goid of a core, and its values of the fixture's expressions
    there."""
    dlv = DelveCore(binary, core)
    try:
        frame = dlv.frame_of(goid, fixture.function)
        expressions = {e: dlv.evaluate(goid, frame, e) for e in fixture.expressions}
        return dlv.variables(goid, frame), expressions
    finally:
        dlv.close()
