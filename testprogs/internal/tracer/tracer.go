// Package tracer lets a test program hold what a test observes until a
// debugger has attached to it (GOMAPDBG_WAIT_TRACER).
package tracer

import (
	"bytes"
	"os"
	"time"
)

// Wait polls until a debugger traces every thread of the process
// (TracerPid in /proc/self/task/*/status): a debugger attaches thread by
// thread, and this one may still run while the first are already stopped.
// Once it sees all traced it has been stopped and resumed itself, so the
// debugger has finished attaching. After a minute it races anyway.
func Wait() {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		if allTraced() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func allTraced() bool {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil || len(tasks) == 0 {
		return false
	}
	prefix := []byte("TracerPid:")
	for _, task := range tasks {
		status, err := os.ReadFile("/proc/self/task/" + task.Name() + "/status")
		if err != nil {
			return false
		}
		traced := false
		for _, line := range bytes.Split(status, []byte("\n")) {
			if bytes.HasPrefix(line, prefix) && string(bytes.TrimSpace(line[len(prefix):])) != "0" {
				traced = true
			}
		}
		if !traced {
			return false
		}
	}
	return true
}
