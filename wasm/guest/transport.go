//go:build wasip1

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/paylastic/edge/wasm/abi"
)

// hostTransport sends the guest's outbound HTTP through the host (WASI has
// no sockets). The request body is read whole first: telego streams
// multipart uploads through an io.Pipe, whose writer goroutine runs while we
// read here.
type hostTransport struct{}

var _ http.RoundTripper = hostTransport{}

func (hostTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	req := abi.Request{Method: r.Method, URL: r.URL.String(), Header: r.Header.Clone()}
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		req.Body = b
	}
	if dl, ok := r.Context().Deadline(); ok {
		req.TimeoutMS = max(1, timeUntilMS(dl))
	}
	args, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	out, err := call(abi.OpHTTP, args)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.Method, r.URL.Redacted(), err)
	}
	var resp abi.Response
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, fmt.Errorf("%s %s: decode response: %w", r.Method, r.URL.Redacted(), err)
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status)),
		StatusCode:    resp.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        resp.Header,
		Body:          io.NopCloser(bytes.NewReader(resp.Body)),
		ContentLength: int64(len(resp.Body)),
		Request:       r,
	}, nil
}
