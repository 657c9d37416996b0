package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The methods a request makes (sendMessage, sendPhoto, editMessageText,
// editMessageCaption, answerCallbackQuery) are called here directly, not
// through telego: telego builds each call by reflecting over its parameter
// structs and marshals them with encoding/json, which in a warm Worker
// instance cost about a millisecond of CPU per update, more than the rest
// of the bot's work (make worker-bench; RATIONALE.md). The bodies are the
// JSON (or multipart form) the Bot API documents, written by hand from the
// few fields the bot sends. telego still makes the setup calls of the CLI
// (setup.go), whose cost does not matter.

// maxAnswer bounds what is read of a Bot API answer.
const maxAnswer = 1 << 20

// post calls Bot API method with body and reads the answer
// (https://core.telegram.org/bots/api#making-requests): nil for
// {"ok":true,…}; otherwise an *APIError with the answer's error_code,
// description and retry_after, or with code 0 when there was no answer to
// read (network, a 5xx without the Bot API's JSON).
func (c *Client) post(ctx context.Context, method, contentType string, body []byte) error {
	url := c.APIURL
	if url == "" {
		url = DefaultAPIURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(url, "/")+"/bot"+c.Token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return c.fail(method, err)
	}
	req.Header.Set("Content-Type", contentType)
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return c.fail(method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return c.fail(method, err)
	}
	if resp.StatusCode == http.StatusOK && bytes.HasPrefix(raw, []byte(`{"ok":true`)) {
		return nil // the result (the message sent) is not read
	}
	var ans struct {
		OK          bool   `json:"ok"`
		ErrorCode   int    `json:"error_code"`
		Description string `json:"description"`
		Parameters  *struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if json.Unmarshal(raw, &ans) != nil {
		return c.fail(method, fmt.Errorf("answered %s, not the Bot API's JSON", resp.Status))
	}
	if ans.OK {
		return nil
	}
	ae := &APIError{Method: method, Code: ans.ErrorCode, Description: ans.Description}
	if ans.Parameters != nil {
		ae.RetryAfter = ans.Parameters.RetryAfter
	}
	return ae
}

// postJSON calls method with a JSON object body.
func (c *Client) postJSON(ctx context.Context, method string, obj *jsonObject) error {
	return c.post(ctx, method, "application/json", obj.close())
}

// jsonObject writes a flat JSON object by hand, in the order fields are
// added.
type jsonObject struct{ b []byte }

func newJSON() *jsonObject { return &jsonObject{b: append(make([]byte, 0, 256), '{')} }

func (o *jsonObject) key(k string) *jsonObject {
	if len(o.b) > 1 {
		o.b = append(o.b, ',')
	}
	o.b = appendJSONString(o.b, k)
	o.b = append(o.b, ':')
	return o
}

func (o *jsonObject) str(k, v string) *jsonObject {
	o.key(k).b = appendJSONString(o.b, v)
	return o
}

func (o *jsonObject) int(k string, v int64) *jsonObject {
	o.key(k).b = strconv.AppendInt(o.b, v, 10)
	return o
}

// raw adds v, which must be valid JSON.
func (o *jsonObject) raw(k string, v []byte) *jsonObject {
	o.key(k).b = append(o.b, v...)
	return o
}

func (o *jsonObject) close() []byte { return append(o.b, '}') }

// appendJSONString appends s as a JSON string, escaped as encoding/json
// does (including <, > and & as \u003c, \u003e and \u0026, and U+2028 and
// U+2029); invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b': // the short escapes encoding/json writes since Go 1.22
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

// multipartBody builds a multipart/form-data body of fields and one file.
func multipartBody(fields [][2]string, fileField, fileName string, file []byte) (contentType string, body []byte, err error) {
	var buf bytes.Buffer
	buf.Grow(len(file) + 1024)
	w := multipart.NewWriter(&buf)
	// multipart.NewWriter draws its boundary from crypto/rand, a call out
	// of a Worker's Go instance; a boundary only has to be unlikely in the
	// body, which 24 characters from math/rand do.
	if err := w.SetBoundary(fmt.Sprintf("paylastic%016x%08x", rand.Uint64(), rand.Uint32())); err != nil {
		return "", nil, err
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return "", nil, err
		}
	}
	part, err := w.CreateFormFile(fileField, fileName)
	if err != nil {
		return "", nil, err
	}
	if _, err := part.Write(file); err != nil {
		return "", nil, err
	}
	if err := w.Close(); err != nil {
		return "", nil, err
	}
	return w.FormDataContentType(), buf.Bytes(), nil
}
