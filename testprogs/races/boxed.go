package main

import (
	"fmt"
	"time"
)

// boxes is a loosely typed settings bag.
var boxes = map[string]any{}

func runBoxed() {
	for i := 0; i < 500; i++ {
		boxes[fmt.Sprint("cfg.", i)] = i
	}
	settle(boxes)
	mapReady(len(boxes)) // watch boxed: boxes
	gate.expect(3)
	for w := 0; w < 3; w++ {
		go setter(w)
	}
	gate.publish(boxes, "main.boxes", "concurrent map writes")
}

type limit struct {
	N  int
	On bool
}

// setter stores values of several types.
func setter(w int) {
	gate.accessor(true)
	for i := w; ; i += 3 {
		var v any
		switch i % 6 {
		case 0:
			v = i
		case 1:
			v = fmt.Sprint("value-", i)
		case 2:
			v = float64(i) / 3
		case 3:
			v = []int{i, 2 * i}
		case 4:
			v = time.Duration(i) * time.Millisecond
		case 5:
			v = limit{i, i%2 == 0}
		}
		boxes[fmt.Sprint("cfg.", i%500)] = v
	}
}
