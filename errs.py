import os, sys, subprocess
sys.path.insert(0, "/work/wt-watch/build/python")
import gomapdbg_core as core
root_pid = int(sys.argv[1])
try:
    core.WriteRecorder(root_pid, 0x10000, 1)
except core.Error as e:
    print("root's process:", type(e).__name__, e)
own = subprocess.Popen(["sleep", "30"])
try:
    core.WriteRecorder(own.pid, 0x10000, 1, buffer_pages=1024)
except core.Error as e:
    print("1024 pages:", type(e).__name__, e)
r = core.WriteRecorder(own.pid, 0x10000, 1)
print("default 128 pages as nobody: ok, threads", r.threads())
r.stop()
own.kill()
