//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/syumai/workers/cloudflare"
)

// doStore is the cas.Store a Durable Object per key would need: every Get
// and Put is one stub.fetch to the key's CheckDO (../js/check_do.mjs),
// GetMany is one per key, and Purge has nothing to do (each object's alarm
// deletes its expired record).
type doStore struct {
	ns  *cloudflare.DurableObjectNamespace
	now func() time.Time
}

var _ cas.Store = doStore{}

func newDOStore(binding string, now func() time.Time) (doStore, error) {
	ns, err := cloudflare.NewDurableObjectNamespace(binding)
	if err != nil {
		return doStore{}, fmt.Errorf("bind durable object %s: %w", binding, err)
	}
	return doStore{ns: ns, now: now}, nil
}

func (s doStore) call(key, method string, q url.Values, body []byte) (*http.Response, []byte, error) {
	stub, err := s.ns.Get(s.ns.IdFromName(key))
	if err != nil {
		return nil, nil, err
	}
	q.Set("now", strconv.FormatInt(s.now().UnixMilli(), 10))
	// A GET must have a nil Body: syumai's ToJSRequest streams any other
	// (http.NoBody too), and workerd refuses a GET Request with a body.
	var rd io.Reader
	if method != http.MethodGet {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://do/?"+q.Encode(), rd)
	if err != nil {
		return nil, nil, err
	}
	resp, err := stub.Fetch(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func (s doStore) Get(_ context.Context, key string) (cas.Record, error) {
	if err := cas.CheckKey(key); err != nil {
		return cas.Record{}, err
	}
	resp, b, err := s.call(key, http.MethodGet, url.Values{}, nil)
	switch {
	case err != nil:
		return cas.Record{}, fmt.Errorf("cas get %.40q: %w", key, err)
	case resp.StatusCode == http.StatusNotFound:
		return cas.Record{}, cas.ErrNotFound
	case resp.StatusCode != http.StatusOK:
		return cas.Record{}, fmt.Errorf("cas get %.40q: status %d", key, resp.StatusCode)
	}
	v, _ := strconv.ParseInt(resp.Header.Get("X-Version"), 10, 64)
	e, _ := strconv.ParseInt(resp.Header.Get("X-Expires"), 10, 64)
	return cas.Record{Value: b, Version: v, Expires: cas.FromMillis(e)}, nil
}

func (s doStore) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	if err := cas.CheckKeys(keys); err != nil {
		return nil, err
	}
	out := map[string]cas.Record{}
	for _, k := range keys {
		r, err := s.Get(ctx, k)
		if err == nil {
			out[k] = r
		} else if !errors.Is(err, cas.ErrNotFound) {
			return nil, err
		}
	}
	return out, nil
}

func (s doStore) Put(_ context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	if err := cas.CheckPut(key, value, version, expires, s.now()); err != nil {
		return 0, err
	}
	q := url.Values{"version": {strconv.FormatInt(version, 10)}, "expires": {strconv.FormatInt(cas.Millis(expires), 10)}}
	resp, _, err := s.call(key, http.MethodPut, q, value)
	switch {
	case err != nil:
		return 0, fmt.Errorf("cas put %.40q: %w", key, err)
	case resp.StatusCode == http.StatusConflict:
		return 0, cas.ErrConflict
	case resp.StatusCode != http.StatusOK:
		return 0, fmt.Errorf("cas put %.40q: status %d", key, resp.StatusCode)
	}
	return strconv.ParseInt(resp.Header.Get("X-Version"), 10, 64)
}

func (doStore) Purge(context.Context, time.Time) (int, error) { return 0, nil }

// List cannot be offered by an object per key (no object sees the others'
// keys): a store of this shape would need an index of its own, which the
// bench does not measure.
func (doStore) List(context.Context, string, string, int) ([]cas.Item, error) {
	return nil, errors.New("cas list: not offered by a Durable Object per key")
}
