package main

import (
	"strconv"
	"time"
)

// lastSeen maps a session id to the time of its last heartbeat.
var lastSeen = map[string]int64{}

// sessionID spells session n the way the wire protocol does.
func sessionID(n int64) string { return "s-" + strconv.FormatInt(n, 36) }

func runDelete() {
	now := time.Now().UnixNano()
	for n := int64(0); n < 1000; n++ {
		lastSeen[sessionID(n)] = now
	}
	settle(lastSeen)
	mapReady(len(lastSeen)) // watch delete: lastSeen
	gate.expect(2)
	go expire()
	go heartbeat()
	gate.publish(lastSeen, "main.lastSeen", "concurrent map writes")
}

// heartbeat records sessions as they check in.
func heartbeat() {
	gate.accessor(true)
	for n := int64(0); ; n++ {
		id := sessionID((n * 7) % 1000)
		lastSeen[id] = time.Now().UnixNano()
	}
}

// expire drops the sessions a (simulated) log of logouts names, keeping a
// line of what it dropped.
func expire() {
	gate.accessor(true)
	line := make([]byte, 0, 64)
	for n := int64(0); ; n++ {
		victim := (n * 13) % 1000
		line = append(line[:0], "expired "...)
		line = strconv.AppendInt(line, victim, 10)
		line = append(line, " as "...)
		line = append(line, strconv.FormatInt(victim, 36)...)
		delete(lastSeen, "s-"+strconv.FormatInt(victim, 36))
		use(len(line))
	}
}
