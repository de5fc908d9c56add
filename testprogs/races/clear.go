package main

import (
	"crypto/sha256"
	"fmt"
	"strconv"
)

func runClear() {
	batch := make(map[string]int)
	for i := 0; i < 1500; i++ {
		batch[queueKey(i)] = i
	}
	settle(batch)
	mapReady(len(batch)) // watch clear: batch
	gate.expect(2)
	go flusher(batch)
	go enqueuer(batch)
	gate.publish(batch, "", clearMessages)
}

func queueKey(i int) string {
	return fmt.Sprintf("q%03d-%s", i%500, kinds[i%len(kinds)])
}

// enqueuer adds to the pending batch.
func enqueuer(batch map[string]int) {
	gate.accessor(true)
	for i := 0; ; i++ {
		batch[queueKey(i)] = i
	}
}

// flusher "ships" the batch (a checksummed header with its size) and
// starts a new one by emptying it in place (resetBatch).
func flusher(batch map[string]int) {
	gate.accessor(true)
	header := make([]byte, 0, 256)
	for seq := 0; ; seq++ {
		header = append(header[:0], "batch "...)
		header = strconv.AppendInt(header, int64(seq), 10)
		header = append(header, " size "...)
		header = strconv.AppendInt(header, int64(len(batch)), 10)
		sum := sha256.Sum256(header)
		use(int(sum[0]))
		resetBatch(batch)
	}
}
