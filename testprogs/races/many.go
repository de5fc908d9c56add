package main

import (
	"encoding/json"
	"runtime"
	"strconv"
)

type document struct {
	ID      int64    `json:"id"`
	Title   string   `json:"title"`
	Words   int      `json:"words"`
	Authors []string `json:"authors"`
}

func runMany() {
	docs := make(map[int64][]byte)
	for id := int64(0); id < 2000; id++ {
		docs[id] = []byte("{}")
	}
	settle(docs)
	mapReady(len(docs)) // watch many: docs
	// The idle goroutines wait for a hangup that never comes.
	hangup := make(chan struct{})
	gate.expect(1024 + 12)
	for i := 0; i < 1024; i++ {
		if i%4 == 0 {
			go idleWithDocs(docs, hangup)
		} else {
			go idleConn(i, hangup)
		}
	}
	for w := 0; w < 12; w++ {
		go indexer(w, docs)
	}
	gate.publish(docs, "", "concurrent map writes")
}

// idleConn and idleWithDocs stand for a server's idle connections; a
// quarter of them hold the document map.
func idleConn(i int, hangup <-chan struct{}) {
	gate.decoy()
	<-hangup
	use(i)
}

func idleWithDocs(docs map[int64][]byte, hangup <-chan struct{}) {
	gate.decoy()
	<-hangup
	runtime.KeepAlive(docs)
}

// indexer encodes documents and stores them by id.
func indexer(w int, docs map[int64][]byte) {
	gate.accessor(true)
	for i := w * 1000; ; i++ {
		d := document{int64(i % 2000), "Report " + strconv.Itoa(i), 100 + i%900, []string{"w" + strconv.Itoa(w), kinds[i%len(kinds)]}}
		b, err := json.Marshal(d)
		if err != nil {
			panic(err)
		}
		docs[d.ID] = b
	}
}
