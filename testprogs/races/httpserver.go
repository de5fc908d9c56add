package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"gomapdbg/testprogs/internal/truth"
)

// visits counts page views by path. The handler updates it without a lock,
// and net/http serves each connection on its own goroutine.
var visits = map[string]int{}

type pageView struct {
	Path   string `json:"path"`
	Agent  string `json:"agent"`
	Served int64  `json:"served"`
}

// connection is what a serving goroutine notes once per connection.
type connection struct{ seen sync.Once }

type connectionKey struct{}

// serveVisit is the site's catch-all handler.
func serveVisit(w http.ResponseWriter, r *http.Request) {
	// A connection opened after the warm-up (a client's keep-alive one was
	// replaced) is served by a goroutine the truth does not know yet.
	if c, ok := r.Context().Value(connectionKey{}).(*connection); ok {
		c.seen.Do(func() {
			if !gate.knows(truth.Goid()) {
				gate.lateAccessor()
			}
		})
	}
	visits[r.URL.Path]++
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "%s %s\n", r.Method, r.URL.Path)
	if err := json.NewEncoder(w).Encode(pageView{r.URL.Path, r.UserAgent(), time.Now().UnixNano()}); err != nil {
		panic(err)
	}
}

// serveHello is the warm-up endpoint: it notes which goroutine serves the
// connection (that goroutine serves every later request on it).
func serveHello(w http.ResponseWriter, r *http.Request) {
	gate.record(true)
	fmt.Fprintln(w, "hello")
}

func runHTTP() {
	// The counts persisted by the previous run: every page of the site.
	for i := 0; i < 1200; i++ {
		visits[sitePath(i)] = i % 5
	}
	settle(visits)
	mapReady(len(visits)) // watch http: visits
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", serveVisit)
	mux.HandleFunc("/hello", serveHello)
	server := &http.Server{Handler: mux, ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connectionKey{}, &connection{})
	}}
	go func() { panic(server.Serve(ln)) }()
	base := "http://" + ln.Addr().String()
	gate.expect(8)
	for c := 0; c < 8; c++ {
		go browse(c, base)
	}
	gate.publish(visits, "main.visits", "concurrent map writes")
}

// sitePath is the i-th page of the site.
func sitePath(i int) string {
	switch i % 4 {
	case 0:
		return "/item/" + strconv.Itoa(i%400)
	case 1:
		return "/user/" + strconv.Itoa(i%300) + "/profile"
	case 2:
		return "/blog/" + strconv.Itoa(2000+i%30) + "/post-" + strconv.Itoa(i%50)
	}
	return "/static/app." + strconv.Itoa(i%20) + ".js"
}

// browse is a client with its own keep-alive connection: a warm-up request,
// then pages in a loop once the race starts.
func browse(c int, base string) {
	client := &http.Client{Transport: &http.Transport{
		MaxConnsPerHost:     1,
		MaxIdleConnsPerHost: 1,
		DisableCompression:  true,
	}}
	fetch(client, base+"/hello")
	gate.wait()
	for i := c * 37; ; i++ {
		fetch(client, base+sitePath(i)+"?client="+strconv.Itoa(c))
	}
}

func fetch(client *http.Client, url string) {
	resp, err := client.Get(url)
	if err != nil {
		panic(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		panic(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		panic(url + ": " + resp.Status)
	}
}
