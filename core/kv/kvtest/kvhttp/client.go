package kvhttp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/internal/storeroutes"
	"github.com/paylastic/edge/core/kv"
)

// Client is a kv.Store whose every operation is one request to routes that
// Handler (or the Worker's copy of them) serves.
type Client struct {
	URL    string       // where the routes are mounted, e.g. "http://127.0.0.1:8787/_test/kv"
	Header http.Header  // added to every request (e.g. a fault-injection header)
	HTTP   *http.Client // nil: http.DefaultClient
	Name   string       // begins error messages, e.g. "worker kv"; default "kv"
}

var (
	_ kv.Store      = (*Client)(nil)
	_ kv.ManyReader = (*Client)(nil)
)

func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	return c.GetVia(ctx, "get", key)
}

// GetVia gets key through another route that answers like /get (the
// Worker's /getstring, which pins syumai's own behaviour).
func (c *Client) GetVia(ctx context.Context, route, key string) ([]byte, error) {
	b, err := c.do(ctx, http.MethodGet, route, url.Values{"key": {key}}, nil)
	if err != nil {
		return nil, err
	}
	enc, ok := bytes.CutPrefix(b, []byte("v:"))
	if !ok {
		return nil, fmt.Errorf("%s %s: unexpected body %.40q", c.name(), route, b)
	}
	v, err := base64.StdEncoding.DecodeString(string(enc))
	if err != nil {
		return nil, fmt.Errorf("%s %s: decode: %w", c.name(), route, err)
	}
	return v, nil
}

func (c *Client) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	q := url.Values{"key": {key}}
	if ttl != 0 {
		q.Set("ttl_ms", strconv.FormatInt(ttl.Milliseconds(), 10))
	}
	if value == nil {
		value = []byte{} // a PUT with a body, even an empty value
	}
	_, err := c.do(ctx, http.MethodPut, "put", q, value)
	return err
}

func (c *Client) Delete(ctx context.Context, key string) error {
	_, err := c.do(ctx, http.MethodPost, "delete", url.Values{"key": {key}}, nil)
	return err
}

func (c *Client) List(ctx context.Context, prefix, cursor string, limit int) (kv.Page, error) {
	q := url.Values{"prefix": {prefix}, "cursor": {cursor}, "limit": {strconv.Itoa(limit)}}
	b, err := c.do(ctx, http.MethodGet, "list", q, nil)
	if err != nil {
		return kv.Page{}, err
	}
	var res listAnswer
	if err := json.Unmarshal(b, &res); err != nil {
		return kv.Page{}, fmt.Errorf("%s list: decode %.200q: %w", c.name(), b, err)
	}
	p := kv.Page{Cursor: res.Cursor, Complete: res.Complete, Keys: make([]kv.Key, 0, len(res.Keys))}
	for _, k := range res.Keys {
		p.Keys = append(p.Keys, k.Key())
	}
	return p, nil
}

// GetMany is kv.GetMany of the store behind the routes, in one request.
func (c *Client) GetMany(ctx context.Context, keys []string) ([][]byte, error) {
	b, err := c.do(ctx, http.MethodGet, "getmany", url.Values{"key": keys}, nil)
	if err != nil {
		return nil, err
	}
	var res manyAnswer
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%s getmany: decode %.200q: %w", c.name(), b, err)
	}
	if len(res.Values) != len(keys) {
		return nil, fmt.Errorf("%s getmany: %d values for %d keys", c.name(), len(res.Values), len(keys))
	}
	out := make([][]byte, len(keys))
	for i, v := range res.Values {
		if v != nil {
			out[i] = *v
			if out[i] == nil {
				out[i] = []byte{}
			}
		}
	}
	return out, nil
}

// ListMany is kv.ListMany of the store behind the routes, in one request.
func (c *Client) ListMany(ctx context.Context, prefixes []string) ([][]string, error) {
	b, err := c.do(ctx, http.MethodGet, "listmany", url.Values{"prefix": prefixes}, nil)
	if err != nil {
		return nil, err
	}
	var res listManyAnswer
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%s listmany: decode %.200q: %w", c.name(), b, err)
	}
	if len(res.Names) != len(prefixes) {
		return nil, fmt.Errorf("%s listmany: %d lists for %d prefixes", c.name(), len(res.Names), len(prefixes))
	}
	return res.Names, nil
}

func (c *Client) name() string {
	if c.Name == "" {
		return "kv"
	}
	return c.Name
}

// do runs one operation; an ErrorHeader answer becomes kv's sentinel error.
func (c *Client) do(ctx context.Context, method, op string, q url.Values, body []byte) ([]byte, error) {
	wc := storeroutes.Client{URL: c.URL, HTTP: c.HTTP, Name: c.name(), Errors: wireErrors}
	return wc.Do(ctx, method, op, q, body, c.Header)
}
