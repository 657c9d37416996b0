package bank

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/paylastic/edge/core/errs"
)

const (
	// CallTimeout bounds one call to a bank's API: a bank that has not
	// answered by then is unavailable, and the caller (or the bank's retry,
	// or the scheduled pass) tries again later.
	CallTimeout = 15 * time.Second
	// MaxAnswer bounds what is read of an answer's body: the answers
	// providers read are a few kilobytes.
	MaxAnswer = 64 << 10
)

// Request is one server-to-server call to a bank's API.
type Request struct {
	Bank   string // the bank's name, for the public message: "monobank"
	What   string // the call, for errors: "GET /api/merchant/details"
	Method string
	URL    string
	Body   io.Reader // nil for none
	Header http.Header
}

// Call sends req with the outbound client within CallTimeout and returns
// the answer's status and at most MaxAnswer bytes of its body, whatever the
// status: what an answer means is the bank's own. A transport failure or an
// answer that cannot be read is errs.Unavailable ("<bank> unavailable"): it
// is temporary.
func (e Env) Call(ctx context.Context, req Request) (status int, body []byte, err error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, req.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", req.What, err)
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	resp, err := e.Client().Do(hr)
	if err != nil {
		return 0, nil, errs.Wrap(errs.Unavailable, fmt.Errorf("%s: %w", req.What, err), req.Bank+" unavailable")
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, MaxAnswer))
	if err != nil {
		return 0, nil, errs.Wrap(errs.Unavailable, fmt.Errorf("%s: read answer: %w", req.What, err), req.Bank+" unavailable")
	}
	return resp.StatusCode, body, nil
}
