package workertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/kv"
)

// KV is a kv.Store whose every operation is one request to the Worker's
// test routes (/_test/kv/...), which run it through the Worker's own KV
// adapter (worker/cfkv) against workerd's Workers KV. It is how the kv
// conformance suite reaches the adapter.
type KV struct {
	e     *Env
	fault string // X-Test-Fault of every request, if set
}

var _ kv.Store = (*KV)(nil)

// KV returns the Worker's KV store as seen through its adapter.
func (e *Env) KV() *KV { return &KV{e: e} }

// Failing returns the same store with the named operations failing inside
// the Worker (see FaultHeader).
func (s *KV) Failing(ops string) *KV { return &KV{e: s.e, fault: ops} }

// GetString is what syumai's own Namespace.GetString answers for key (the
// Worker's /_test/kv/getstring route), to pin its "<null>" behaviour.
func (s *KV) GetString(ctx context.Context, key string) (string, error) {
	b, err := s.value(s.do(ctx, http.MethodGet, "getstring", url.Values{"key": {key}}, nil))
	return string(b), err
}

func (s *KV) Get(ctx context.Context, key string) ([]byte, error) {
	return s.value(s.do(ctx, http.MethodGet, "get", url.Values{"key": {key}}, nil))
}

// value decodes a value the test route sent as "v:" and base64.
func (s *KV) value(b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	enc, ok := bytes.CutPrefix(b, []byte("v:"))
	if !ok {
		return nil, fmt.Errorf("worker kv get: unexpected body %.40q", b)
	}
	return base64.StdEncoding.DecodeString(string(enc))
}

func (s *KV) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	q := url.Values{"key": {key}}
	if ttl != 0 {
		q.Set("ttl_ms", strconv.FormatInt(ttl.Milliseconds(), 10))
	}
	if value == nil {
		value = []byte{}
	}
	_, err := s.do(ctx, http.MethodPut, "put", q, value)
	return err
}

func (s *KV) Delete(ctx context.Context, key string) error {
	_, err := s.do(ctx, http.MethodPost, "delete", url.Values{"key": {key}}, nil)
	return err
}

func (s *KV) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	q := url.Values{"prefix": {prefix}, "cursor": {cursor}, "limit": {strconv.Itoa(limit)}}
	b, err := s.do(ctx, http.MethodGet, "list", q, nil)
	if err != nil {
		return kv.Page{}, err
	}
	var res struct {
		Keys []struct {
			Name       string `json:"name"`
			Expiration int64  `json:"expiration"`
		} `json:"keys"`
		Cursor   string `json:"cursor"`
		Complete bool   `json:"list_complete"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return kv.Page{}, fmt.Errorf("worker kv list: decode %q: %w", b, err)
	}
	p := kv.Page{Cursor: res.Cursor, Complete: res.Complete, Keys: make([]kv.Key, 0, len(res.Keys))}
	for _, k := range res.Keys {
		key := kv.Key{Name: k.Name}
		if k.Expiration > 0 {
			key.Expiration = time.Unix(k.Expiration, 0).UTC()
		}
		p.Keys = append(p.Keys, key)
	}
	return p, nil
}

// do runs one operation; the Worker's X-KV-Error answer becomes the kv
// package's sentinel error.
func (s *KV) do(ctx context.Context, method, op string, q url.Values, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.e.URL+"/_test/kv/"+op+"?"+q.Encode(), rd)
	if err != nil {
		return nil, err
	}
	if s.fault != "" {
		req.Header.Set(FaultHeader, s.fault)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("worker kv %s: %w", op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("worker kv %s: read: %w", op, err)
	}
	if resp.StatusCode/100 == 2 {
		return b, nil
	}
	var sentinel error
	switch resp.Header.Get("X-KV-Error") {
	case "not_found":
		sentinel = kv.ErrNotFound
	case "invalid_key":
		sentinel = kv.ErrInvalidKey
	case "invalid_ttl":
		sentinel = kv.ErrInvalidTTL
	case "error":
		return nil, fmt.Errorf("worker kv %s: %s", op, bytes.TrimSpace(b))
	default:
		return nil, fmt.Errorf("worker kv %s: unexpected answer %d %.200s", op, resp.StatusCode, b)
	}
	return nil, fmt.Errorf("worker kv %s: %w (%s)", op, sentinel, bytes.TrimSpace(b))
}
