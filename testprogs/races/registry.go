package main

import (
	"strconv"
	"strings"
)

// registry is a process-wide bag of state; "sessions" counts requests by
// session key.
var registry = map[string]any{
	"sessions": map[string]int{},
	"limits":   map[string]int{"rps": 100, "burst": 20},
	"version":  "1.4.2",
}

func touchSession(key string) {
	registry["sessions"].(map[string]int)[key]++
}

func runRegistry() {
	sessions := registry["sessions"].(map[string]int)
	for i := 0; i < 300; i++ {
		sessions[sessionKey(i, regions[i%len(regions)])] = 1
	}
	settle(sessions)
	mapReady(len(sessions)) // watch registry: registry["sessions"]
	gate.expect(4)
	for w := 0; w < 4; w++ {
		go serveSessions(w)
	}
	gate.publish(sessions, "", "concurrent map writes")
}

var regions = []string{"eu", "us", "ap"}

func sessionKey(user int, region string) string {
	var b strings.Builder
	b.WriteString("user-")
	b.WriteString(strconv.Itoa(user))
	b.WriteByte('@')
	b.WriteString(region)
	b.WriteString("/v")
	b.WriteString(registry["version"].(string))
	return b.String()
}

func serveSessions(w int) {
	gate.accessor(true)
	for i := w * 53; ; i++ {
		touchSession(sessionKey(i%300, regions[i%len(regions)]))
	}
}
