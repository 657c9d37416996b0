package cashttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/internal/storeroutes"
)

// Client is a cas.Store whose every operation is one request to routes that
// Handler serves, with the clock Now in NowHeader.
type Client struct {
	URL  string           // where the routes are mounted, e.g. "http://127.0.0.1:8787/_test/cas"
	Now  func() time.Time // the store's clock (nil: the server's own)
	HTTP *http.Client     // nil: http.DefaultClient
	Name string           // begins error messages, e.g. "worker cas"; default "cas"
}

var _ cas.Store = (*Client)(nil)

func (c *Client) Get(ctx context.Context, key string) (cas.Record, error) {
	var w wireRecord
	if err := c.do(ctx, http.MethodGet, "get", url.Values{"key": {key}}, nil, &w); err != nil {
		return cas.Record{}, err
	}
	return w.record(), nil
}

func (c *Client) GetMany(ctx context.Context, keys []string) (map[string]cas.Record, error) {
	if keys == nil {
		keys = []string{}
	}
	body, _ := json.Marshal(keys)
	var m map[string]wireRecord
	if err := c.do(ctx, http.MethodPost, "getmany", nil, body, &m); err != nil {
		return nil, err
	}
	out := make(map[string]cas.Record, len(m))
	for k, w := range m {
		out[k] = w.record()
	}
	return out, nil
}

func (c *Client) Put(ctx context.Context, key string, value []byte, version int64, expires time.Time) (int64, error) {
	q := url.Values{"key": {key}, "version": {strconv.FormatInt(version, 10)}, "expires": {strconv.FormatInt(cas.Millis(expires), 10)}}
	if value == nil {
		value = []byte{}
	}
	var res struct{ Version int64 }
	if err := c.do(ctx, http.MethodPut, "put", q, value, &res); err != nil {
		return 0, err
	}
	return res.Version, nil
}

func (c *Client) List(ctx context.Context, prefix, after string, limit int) ([]cas.Item, error) {
	q := url.Values{"prefix": {prefix}, "after": {after}, "limit": {strconv.Itoa(limit)}}
	var items []wireItem
	if err := c.do(ctx, http.MethodGet, "list", q, nil, &items); err != nil {
		return nil, err
	}
	out := make([]cas.Item, len(items))
	for i, it := range items {
		out[i] = cas.Item{Key: it.Key, Record: it.wireRecord.record()}
	}
	return out, nil
}

func (c *Client) Purge(ctx context.Context, now time.Time) (int, error) {
	var res struct{ Purged int }
	if err := c.do(ctx, http.MethodPost, "purge", url.Values{"now": {strconv.FormatInt(now.UnixMilli(), 10)}}, []byte{}, &res); err != nil {
		return 0, err
	}
	return res.Purged, nil
}

func (c *Client) name() string {
	if c.Name == "" {
		return "cas"
	}
	return c.Name
}

// do runs one operation and decodes its answer into out; an ErrorHeader
// answer becomes cas's sentinel error.
func (c *Client) do(ctx context.Context, method, op string, q url.Values, body []byte, out any) error {
	var h http.Header
	if c.Now != nil {
		h = http.Header{NowHeader: {strconv.FormatInt(c.Now().UnixMilli(), 10)}}
	}
	wc := storeroutes.Client{URL: c.URL, HTTP: c.HTTP, Name: c.name(), Errors: wireErrors}
	b, err := wc.Do(ctx, method, op, q, body, h)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: decode %.200q: %w", c.name(), op, b, err)
	}
	return nil
}
