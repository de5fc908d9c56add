package main

import "fmt"

type job struct {
	id       int
	customer string
	qty      int
	unit     float64
}

// worker prices jobs and files the invoice line under the job id.
func worker(id int, jobs <-chan job, results map[int]string) {
	gate.accessor(true)
	for j := range jobs {
		results[j.id%1000] = fmt.Sprintf("#%06d %-8s %3d x %7.2f = %9.2f (worker %d)",
			j.id, j.customer, j.qty, j.unit, float64(j.qty)*j.unit, id)
	}
}

// produce feeds the jobs; it never sees the results.
func produce(jobs chan<- job) {
	gate.decoy()
	gate.wait()
	customers := []string{"acme", "globex", "initech", "umbrella", "hooli"}
	for i := 0; ; i++ {
		jobs <- job{i, customers[i%len(customers)], 1 + i%9, 0.25 * float64(i%40)}
	}
}

func runPool() {
	results := make(map[int]string)
	for i := 0; i < 1000; i++ {
		results[i] = "(pending)"
	}
	settle(results)
	mapReady(len(results)) // watch pool: results
	jobs := make(chan job, 128)
	gate.expect(5)
	for id := 0; id < 4; id++ {
		go worker(id, jobs, results)
	}
	go produce(jobs)
	gate.publish(results, "", "concurrent map writes")
}
