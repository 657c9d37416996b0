package fakebanktest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Receiver is the merchant's endpoint a fake bank notifies (LiqPay's
// server_url, monobank's webHookUrl). It keeps every request and answers
// the codes of AnswerWith in turn, then 200 OK.
type Receiver struct {
	*httptest.Server
	mu    sync.Mutex
	got   []Received
	codes []int
}

// Received is one request the Receiver got.
type Received struct {
	Body   []byte
	Header http.Header
}

// NewReceiver starts a Receiver for the test's length.
func NewReceiver(t *testing.T) *Receiver {
	rc := &Receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, Received{Body: b, Header: r.Header.Clone()})
	code := http.StatusOK
	if len(rc.codes) > 0 {
		code, rc.codes = rc.codes[0], rc.codes[1:]
	}
	rc.mu.Unlock()
	w.WriteHeader(code)
}

// AnswerWith makes the Receiver answer the next requests with codes, one
// each, in order.
func (rc *Receiver) AnswerWith(codes ...int) {
	rc.mu.Lock()
	rc.codes = codes
	rc.mu.Unlock()
}

// Received returns the requests received so far, oldest first.
func (rc *Receiver) Received() []Received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Received(nil), rc.got...)
}

// Serve serves h for the test's length.
func Serve(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
