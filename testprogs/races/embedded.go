package main

import (
	"net/url"
	"strconv"
)

// Metrics is embedded in Service, so svc.hits is the promoted field.
type Metrics struct {
	hits map[string]int
}

type Service struct {
	Name string
	Metrics
}

// Observe counts a served request by route and status.
func (s *Service) Observe(route string, status int) {
	s.hits[route+" "+strconv.Itoa(status)]++
}

func runEmbedded() {
	svc := &Service{Name: "api", Metrics: Metrics{hits: make(map[string]int)}}
	for i := 0; i < 300; i++ {
		svc.Observe(apiRoute(i), 200)
		svc.Observe(apiRoute(i), 404)
	}
	settle(svc.hits)
	mapReady(len(svc.hits)) // watch embedded: svc.hits
	gate.expect(3)
	for w := 0; w < 3; w++ {
		go accessLog(svc, w)
	}
	gate.publish(svc.hits, "", "concurrent map writes")
}

func apiRoute(i int) string {
	return "/api/v1/" + url.PathEscape(kinds[i%len(kinds)]+" "+strconv.Itoa(i%100))
}

// accessLog replays requests into the service's metrics.
func accessLog(svc *Service, w int) {
	gate.accessor(true)
	for i := w * 17; ; i++ {
		status := 200
		if i%11 == 0 {
			status = 404
		}
		svc.Observe(apiRoute(i), status)
	}
}
