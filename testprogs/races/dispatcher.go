package main

import (
	"crypto/sha256"
	"fmt"
)

func runDispatcher() {
	tally := make(map[string]int)
	for w := 0; w < 3; w++ {
		for task := 0; task < 500; task++ {
			tally[taskKey(task, w)] = 0
		}
	}
	settle(tally)
	mapReady(len(tally)) // watch dispatcher: tally
	work := make(chan map[string]int)
	gate.expect(4)
	for w := 0; w < 3; w++ {
		go tallyWorker(w, work)
	}
	go dispatch(tally, work)
	gate.publish(tally, "", "concurrent map writes")
}

func taskKey(task, shard int) string { return fmt.Sprintf("task-%03d/%d", task, shard) }

// dispatch hands the tally to whichever worker is free, scheduling (a
// chain of hashes) between hand-offs. It holds the map but never reads or
// writes it.
func dispatch(tally map[string]int, out chan<- map[string]int) {
	gate.decoy()
	gate.wait()
	var plan [32]byte
	for {
		for j := 0; j < 16; j++ {
			plan = sha256.Sum256(plan[:])
		}
		out <- tally
	}
}

// tallyWorker takes the tally and records a batch of finished tasks in it.
func tallyWorker(w int, in <-chan map[string]int) {
	gate.accessor(true)
	for round := 0; ; round++ {
		tally := <-in
		for j := 0; j < 32; j++ {
			tally[taskKey((w*97+round*31+j*13)%500, w)] += j
		}
	}
}
