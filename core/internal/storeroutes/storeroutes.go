// Package storeroutes is the HTTP plumbing that the test routes of the
// stores share (packages kvhttp and cashttp): one request per operation,
// and a failure's class carried in a header, so that the native client can
// give back the store's own sentinel error and the conformance suite can
// check it through a wasm build.
package storeroutes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Class is one kind of failure on the wire: its code in the error header,
// the sentinel error it stands for and the status it is answered with.
type Class struct {
	Code   string
	Err    error
	Status int
}

// Errors is how a store's failures cross the wire: the header that
// carries the class and the classes besides "error" (500, any other
// failure).
type Errors struct {
	Header  string
	Classes []Class
}

// Write answers err with its class (the first whose Err it wraps) in the
// header, and its text as the body.
func (e Errors) Write(w http.ResponseWriter, err error) {
	code, status := "error", http.StatusInternalServerError
	for _, c := range e.Classes {
		if errors.Is(err, c.Err) {
			code, status = c.Code, c.Status
			break
		}
	}
	w.Header().Set(e.Header, code)
	http.Error(w, err.Error(), status)
}

// read gives back the error a failed answer stands for: its class's
// sentinel, wrapped with the body's text.
func (e Errors) read(name, op string, resp *http.Response, body []byte) error {
	code := resp.Header.Get(e.Header)
	if code == "error" {
		return fmt.Errorf("%s %s: %s", name, op, bytes.TrimSpace(body))
	}
	for _, c := range e.Classes {
		if c.Code == code {
			return fmt.Errorf("%s %s: %w (%s)", name, op, c.Err, bytes.TrimSpace(body))
		}
	}
	return fmt.Errorf("%s %s: unexpected answer %d %.200s", name, op, resp.StatusCode, body)
}

// Client sends operations to routes mounted at URL.
type Client struct {
	URL    string
	HTTP   *http.Client // nil: http.DefaultClient
	Name   string       // begins error messages, e.g. "worker kv"
	Errors Errors
}

// Do sends one operation, op at URL/op?q with body (nil: none) and
// header, and returns the body of a 2xx answer. Any other answer is the
// error its class stands for (Errors).
func (c Client) Do(ctx context.Context, method, op string, q url.Values, body []byte, header http.Header) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+"/"+op+"?"+q.Encode(), rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.Name, op, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", c.Name, op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read: %w", c.Name, op, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.Errors.read(c.Name, op, resp, b)
	}
	return b, nil
}
