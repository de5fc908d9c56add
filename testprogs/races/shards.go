package main

import (
	"hash/crc32"
	"strconv"
	"time"
)

func runShards() {
	var shards [4]map[uint32]int
	for s := range shards {
		shards[s] = make(map[uint32]int)
		for i := 0; i < 2048; i++ {
			shards[s][uint32(i)] = s
		}
	}
	settle(shards[3])
	mapReady(len(shards[3])) // watch shards: shards[3]
	gate.expect(4 + 1)
	for s := 0; s < 4; s++ {
		go ownShard(s, shards[s])
	}
	go rebalance(shards[3])
	gate.publish(shards[3], "", "concurrent map writes")
}

// ownShard is the only writer of its shard by design: it counts checksums
// of its records in batches, resting between them. Owners of shards 0-2
// never touch shard 3.
func ownShard(s int, shard map[uint32]int) {
	if s == 3 {
		gate.accessor(true)
	} else {
		gate.decoy()
		gate.wait()
	}
	rec := make([]byte, 0, 64)
	for i := 0; ; i++ {
		rec = append(rec[:0], "shard "...)
		rec = strconv.AppendInt(rec, int64(s), 10)
		rec = append(rec, " record "...)
		rec = strconv.AppendInt(rec, int64(i), 10)
		shard[crc32.ChecksumIEEE(rec)%2048]++
		if i%128 == 127 {
			time.Sleep(50 * time.Microsecond)
		}
	}
}

// rebalance is the bug: it moves load into shard 3 without its owner.
func rebalance(target map[uint32]int) {
	gate.accessor(true)
	rec := make([]byte, 0, 64)
	for i := 0; ; i++ {
		rec = append(rec[:0], "moved "...)
		rec = strconv.AppendInt(rec, int64(i), 10)
		target[crc32.ChecksumIEEE(rec)%2048] += 2
	}
}
