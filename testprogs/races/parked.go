package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func runParked() {
	events := make(map[string]string)
	for i := 0; i < 700; i++ {
		events[eventKey(i)] = "replayed"
	}
	settle(events)
	mapReady(len(events)) // watch parked: events
	next := make(chan string)
	var held sync.Mutex
	held.Lock() // and never unlocked: its waiters park for good
	gate.expect(20 + 3)
	for i := 0; i < 5; i++ {
		go awaitEvent(events, next)
		go awaitLock(events, &held)
		go snooze(events)
		go idleHolder(events)
	}
	for w := 0; w < 3; w++ {
		go logEvents(w, events)
	}
	gate.publish(events, "", "concurrent map writes")
}

func eventKey(i int) string { return fmt.Sprintf("evt-%04d", i) }

// logEvents is a real writer.
func logEvents(w int, events map[string]string) {
	gate.accessor(true)
	for i := w * 211; ; i++ {
		events[eventKey(i%700)] = fmt.Sprintf("%s by worker %d (#%d)", kinds[i%len(kinds)], w, i)
	}
}

// The decoys: each holds the map and parks before touching it.

func awaitEvent(events map[string]string, next <-chan string) {
	gate.decoy()
	e := <-next // nothing is ever sent
	events[e] = "received"
}

func awaitLock(events map[string]string, mu *sync.Mutex) {
	gate.decoy()
	mu.Lock() // held by the setup for good
	events["lock"] = "taken"
	mu.Unlock()
}

func snooze(events map[string]string) {
	gate.decoy()
	time.Sleep(time.Hour)
	for k := range events {
		delete(events, k)
	}
}

func idleHolder(events map[string]string) {
	gate.decoy()
	parkForever()
	runtime.KeepAlive(events)
}

// parkForever blocks in select{}; the compiler does not know it never
// returns, so its caller keeps its locals.
//
//go:noinline
func parkForever() {
	select {}
}
