//go:build js && wasm

// Package jsfetch is the Worker's outbound HTTP: an http.RoundTripper over
// the Workers runtime's own fetch
// (https://developers.cloudflare.com/workers/runtime-apis/fetch/), called
// through package jshost.
//
// Go's own js/wasm transport cannot be used: it sets a credentials field
// that Workers reject. syumai's fetch client works, but every call leaves
// JavaScript callbacks behind (its promise helper releases only the half of
// each then/catch pair that ran, and its body reader makes a pair per
// chunk), and a Worker instance now serves many requests. The answer's body
// is read whole: the product's answers from Telegram, Viber and the banks
// are a few KiB.
package jsfetch

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/paylastic/edge/worker/jshost"
)

// MaxBody bounds the answer body read from an upstream.
const MaxBody = 4 << 20

// Transport is an http.RoundTripper over the runtime's fetch. Redirects are
// followed by the runtime.
type Transport struct{}

var _ http.RoundTripper = Transport{}

// RoundTrip sends r through fetch and waits for the whole answer.
func (Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	var headers strings.Builder
	for k, vs := range r.Header {
		for _, v := range vs {
			headers.WriteString(k)
			headers.WriteByte('\n')
			headers.WriteString(v)
			headers.WriteByte('\n')
		}
	}
	var body []byte
	hasBody := r.Body != nil && r.Body != http.NoBody
	if hasBody {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("fetch %s: read request body: %w", r.URL.Redacted(), err)
		}
		body = b
	}
	url := r.URL.String()
	w := jshost.Writer{B: make([]byte, 0, 32+len(url)+headers.Len()+len(body))}
	w.Text(url).Text(r.Method).Text(headers.String()).Flag(hasBody).Bytes(body)
	ans, err := jshost.Call(jshost.OpFetch, w.B)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL.Redacted(), err)
	}
	in := jshost.NewReader(ans)
	status, contentType, data := int(in.Num()), in.Text(), in.Rest()
	if err := in.Err(); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL.Redacted(), err)
	}
	if len(data) > MaxBody {
		return nil, fmt.Errorf("fetch %s: answer of %d bytes, over %d", r.URL.Redacted(), len(data), MaxBody)
	}
	out := &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{},
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)),
		Request:       r,
	}
	// Only Content-Type of the answer's headers is read: nothing the
	// product calls looks at others.
	if contentType != "" {
		out.Header.Set("Content-Type", contentType)
	}
	return out, nil
}

// Client is an *http.Client over Transport.
func Client() *http.Client { return &http.Client{Transport: Transport{}} }
