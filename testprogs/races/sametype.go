package main

import (
	"strconv"
)

// fill counts one occurrence of word i under its prefix.
func fill(m map[string]int, prefix string, i int) {
	m[prefix+strconv.Itoa(i%640)] += 1 + i&3
}

// countWords is the racers' and the decoys' goroutine: it tokenises a
// synthetic text (an FNV hash per token) and counts the tokens in m. The
// racers share one map; each decoy has its own.
func countWords(m map[string]int, prefix string, shared bool) {
	if shared {
		gate.accessor(true)
	} else {
		gate.decoy()
		gate.wait()
	}
	h := uint32(2166136261)
	for i := 0; ; i++ {
		token := strconv.Itoa(i) + ":" + prefix
		for j := 0; j < len(token); j++ {
			h = (h ^ uint32(token[j])) * 16777619
		}
		fill(m, prefix, int(h%1024))
	}
}

func runSametype() {
	shared := make(map[string]int)
	for i := 0; i < 640; i++ {
		fill(shared, "w", i)
	}
	settle(shared)
	mapReady(len(shared)) // watch sametype: shared
	gate.expect(4 + 3)
	for d := 0; d < 4; d++ {
		go countWords(make(map[string]int), "w", false)
	}
	for w := 0; w < 3; w++ {
		go countWords(shared, "w", true)
	}
	gate.publish(shared, "", "concurrent map writes")
}
