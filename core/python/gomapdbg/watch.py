"""`go watch`: hardware watchpoints that record every write of a map
(its header's writing state) on every thread of a live process, without
stopping it (core.WriteRecorder). One watch per process; the report of a
crash of the watched map shows the write log and names the writer whose
write overlapped the thrower's."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Watch:
    recorder: object  # core.WriteRecorder
    map: int  # the watched map's header
    description: str


# pid -> the watch armed on that process
WATCHES: dict[int, Watch] = {}


def arm(pid: int, request: dict) -> Watch:
    """Arms a watch on the map `request` describes (core.watch_request),
    replacing any earlier watch on the process."""
    from gomapdbg.loader import core

    disarm(pid)
    recorder = core.WriteRecorder(
        pid, request["address"], request["length"], exec_addresses=request["throw_entries"]
    )
    watch = Watch(recorder, request["map"], request["description"])
    WATCHES[pid] = watch
    return watch


def disarm(pid: int) -> bool:
    watch = WATCHES.pop(pid, None)
    if watch is None:
        return False
    watch.recorder.stop()
    return True
