"""The read-only guarantee, on a live process: gomapdbg never writes the
debuggee's memory or registers.

Dynamic: basic_maps is stopped at its #break line in GDB or LLDB and every
live command of its spec is run. Before the first command and after each
one, the driver stops at a checkpoint (session.run_checkpointed_session):
while the debugger holds the process stopped, this test reads every
writable mapping of it through /proc/PID/mem and hashes each — a superset
of all map headers, bucket arrays, overflow buckets, directories, tables
and groups (the Go heap), of every goroutine stack (allocated from the
heap) and of the thread's system stack ([stack]) — and records the
registers of the stopped thread. Nothing may change from one checkpoint to
the next. Then the breakpoint is deleted and the debugger detaches: the
process must run to its end alone and print what it prints without a
debugger, with nothing on stderr.

Static: the core and the plugins contain no call that writes inferior
memory or registers (test_no_write_apis).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import subprocess
import time

import pytest

from harness import programs
from harness.session import SessionSpec, run_checkpointed_session
from harness.toolchains import REPO, by_name
from harness.truth import read_truth

CLASSIC = by_name("go1.22.12")
SWISS = by_name("go1.26")
CELLS = [
    ("gdb", CLASSIC, {}),
    ("lldb", CLASSIC, {}),
    ("gdb", SWISS, {}),
    ("lldb", SWISS, {}),
    ("gdb", SWISS, {"GOMAPDBG_MEMORY": "debugger"}),
    ("lldb", SWISS, {"GOMAPDBG_MEMORY": "debugger"}),
]


# Beyond the spec's map commands: every other command that reads the process
# (go catch is left out: setting breakpoints is the debugger's business).
OTHER_COMMANDS = [
    "go goroutines -t",
    "go goroutines --group --json",
    "go bt all",
    "go bt",
    "go goroutine 1",
    "go threads",
    "go print intInt9",
    "go print strStr9 --json",
    "go locals",
    "go report",
    "go map intInt1000 --json --all",
]


def _cell_id(cell):
    debugger, tc, env = cell
    return f"{debugger}-{tc.name}" + ("-debugger-memory" if env else "")


def writable_regions(pid: int) -> list[tuple[int, int, str]]:
    regions = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            fields = line.split()
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            name = fields[5] if len(fields) > 5 else ""
            if fields[1][:2] == "rw" and name not in ("[vvar]", "[vsyscall]"):
                regions.append((lo, hi, name))
    return regions


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def thread_states(pid: int) -> dict[int, str]:
    """Each thread's state letter ("t": stopped by its tracer)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                out[int(tid)] = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            out[int(tid)] = "gone"
    return out


def snapshot(pid: int) -> dict[tuple[int, int, str], str]:
    """A hash of each writable mapping, read through /proc/PID/mem."""
    out = {}
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for lo, hi, name in writable_regions(pid):
            h = hashlib.blake2b()
            at = lo
            try:
                while at < hi:
                    mem.seek(at)
                    chunk = mem.read(min(hi - at, 8 << 20))
                    if not chunk:
                        break
                    h.update(chunk)
                    at += len(chunk)
            except OSError as e:
                h.update(f"unreadable at {at:#x}: {e}".encode())
            out[(lo, hi, name)] = h.hexdigest()
    return out


@pytest.mark.parametrize("cell", CELLS, ids=_cell_id)
def test_commands_change_nothing_in_a_live_process(cell, tmp_path):
    debugger, tc, memory_env = cell
    spec = programs.parse_spec("basic_maps")
    binary = programs.build("basic_maps", tc)
    work = str(tmp_path)
    plain = subprocess.run(
        [binary],
        env=dict(os.environ, GOMAPDBG_TRUTH=os.path.join(work, "truth-plain.txt")),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode == 0, plain.stderr
    truth_path = os.path.join(work, "truth.txt")
    commands = [c.text for c in spec.commands_for(debugger, "live", tc.map_layout)] + OTHER_COMMANDS
    session = SessionSpec(
        binary=binary,
        mode="live",
        commands=commands,
        truth=truth_path,
        layout=tc.map_layout,
        version=tc.version_prefix,
        break_file=spec.source,
        break_line=spec.break_line,
        env=dict(GOMAPDBG_TRUTH=truth_path, **memory_env),
        stdout_file=os.path.join(work, "stdout.txt"),
        finish=True,
    )
    snapshots = []

    def on_checkpoint(index, pid, registers):
        # The debugger holds every thread stopped while the test looks, and
        # still does once it has looked (else the hashes prove nothing).
        before = thread_states(pid)
        memory = snapshot(pid)
        after = thread_states(pid)
        for states in (before, after):
            assert set(states.values()) == {"t"}, f"checkpoint {index}: threads not all stopped: {states}"
        if index == 0:
            # The hashed regions cover every map header and the stopped
            # goroutine's stack.
            truth = read_truth(truth_path)
            inside = lambda a: any(lo <= a < hi for lo, hi, _ in memory)  # noqa: E731
            for m in truth.maps.values():
                assert m.address == 0 or inside(m.address), f"map {m.name} at {m.address:#x} not hashed"
            assert inside(registers["rsp"]), "the stopped thread's stack is not hashed"
            assert sum(hi - lo for lo, hi, _ in memory) > 1 << 20
        snapshots.append((index, memory, registers))

    outputs, transcript = run_checkpointed_session(debugger, session, work, on_checkpoint)
    assert len(snapshots) == len(commands) + 1, transcript[-3000:]
    _, first_memory, first_registers = snapshots[0]
    for index, memory, registers in snapshots[1:]:
        command = commands[index - 1]
        changed = [
            f"{lo:#x}-{hi:#x} {name}"
            for (lo, hi, name), h in memory.items()
            if first_memory.get((lo, hi, name)) != h
        ]
        assert not changed, f"after `{command}`: memory changed in {changed[:5]}"
        assert set(memory) == set(first_memory), f"after `{command}`: the mappings changed"
        assert registers == first_registers, f"after `{command}`: registers changed"
    # The commands did their work (so the check is not vacuous).
    assert sum("entries:" in out for out in outputs) >= 25, transcript[-3000:]
    other = dict(zip(commands[-len(OTHER_COMMANDS) :], outputs[-len(OTHER_COMMANDS) :]))
    for command, out in other.items():
        assert out and "Traceback" not in out and "internal error" not in out, f"`{command}`:\n{out[:2000]}"
    assert "goroutine 1 [running" in other["go bt"], other["go bt"]
    assert "main.inspect" in other["go bt"], other["go bt"]
    # Detached, the program ends as it does without a debugger: the same
    # output, nothing on stderr (a Go panic or fatal error would be there).
    m = re.search(r"<<<gomapdbg-detached (\d+)>>>", transcript)
    assert m, transcript[-3000:]
    pid = int(m.group(1))
    deadline = time.time() + 120
    while _state(pid) not in ("gone", "Z") and time.time() < deadline:
        time.sleep(0.1)
    assert _state(pid) in ("gone", "Z"), f"process {pid} still runs"
    with open(os.path.join(work, "stdout.txt")) as f:
        assert f.read() == plain.stdout
    with open(os.path.join(work, "stdout.txt.err")) as f:
        assert f.read() == plain.stderr


# Calls that write a debuggee's memory or registers, in the debuggers' Python
# APIs, in C/C++, and through /proc. The core and the plugins must have none.
WRITE_APIS = [
    r"\bwrite_memory\b",
    r"\bWriteMemory\b",
    r"\bwrite_register\b",
    r"\bWriteRegister\b",
    r"\bSetValueFromCString\b",
    r"\bSetData\b",
    r"\bPTRACE_POKE\w*",
    r"\bPTRACE_SETREGS\w*",
    r"\bPTRACE_SETFPREGS\b",
    r"\bprocess_vm_writev\b",
    r"\bO_RDWR\b",
    r"\bO_WRONLY\b",
    r"\bpwrite\w*\s*\(",
    r"gdb\.execute\([^)]*\b(set\s+(var|\*|\{|\$)|call|print\s+\S+\s*=)",
    r"HandleCommand\([^)]*\b(memory write|register write|expr|expression|call)\b",
    r"mem['\"]?,\s*['\"][rwa]?\+|mem['\"]?,\s*['\"]w",
]


def _sources():
    patterns = ["core/**/*.cc", "core/**/*.h", "core/python/**/*.py", "gdb/*.py", "lldb/*.py"]
    for pattern in patterns:
        for path in glob.glob(os.path.join(REPO, pattern), recursive=True):
            rel = os.path.relpath(path, REPO)
            # The fuzz harnesses write their own input file, never a debuggee.
            if rel.startswith(("core/fuzz/", "core/tests/")):
                continue
            yield rel, path


def test_no_write_apis():
    hits = []
    for rel, path in _sources():
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for pattern in WRITE_APIS:
                    if re.search(pattern, line):
                        hits.append(f"{rel}:{number}: {line.strip()}")
    assert not hits, "write APIs in the core or the plugins:\n" + "\n".join(hits)


def test_the_write_api_check_finds_writes(tmp_path):
    """The patterns catch what they are meant to (the check is not vacuous)."""
    samples = [
        "inferior.write_memory(addr, b'x')",
        "process.WriteMemory(addr, data, error)",
        "frame.write_register('rax', 1)",
        "fd = open(path, O_RDWR);",
        "ptrace(PTRACE_POKEDATA, pid, addr, v);",
        "gdb.execute('set var x = 1')",
        "debugger.HandleCommand('memory write 0x10 1')",
        "::pwrite(fd_, buf, n, off);",
    ]
    for s in samples:
        assert any(re.search(p, s) for p in WRITE_APIS), s
    assert len(list(_sources())) > 40
