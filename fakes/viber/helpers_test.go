package viber

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/internal/testsupport"
)

const testToken = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"

// fake is a Server behind a loopback HTTP server, called with a plain
// net/http client the way the product's client calls chatapi.
type fake struct {
	*Server
	clock *testsupport.Clock
	base  string // like VIBER_API_URL
}

func newFake(t *testing.T) *fake {
	t.Helper()
	s := New(testToken)
	c := testsupport.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s.Now = c.Now
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fake{Server: s, clock: c, base: srv.URL + "/pa"}
}

// answer is a decoded API answer.
type answer struct {
	HTTPStatus int
	Raw        []byte
	Fields     map[string]any // numbers as json.Number
}

func (a answer) status() string     { return num(a.Fields["status"]) }
func (a answer) statusMsg() string  { return str(a.Fields["status_message"]) }
func (a answer) token() string      { return num(a.Fields["message_token"]) }
func num(v any) string              { n, _ := v.(json.Number); return n.String() }
func str(v any) string              { s, _ := v.(string); return s }
func repeat(s string, n int) string { return strings.Repeat(s, n) }

// post calls method with body and, unless token is "-", the auth header.
func (f *fake) post(t *testing.T, method, token, body string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.base+"/"+method, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "-" {
		req.Header.Set(AuthHeader, token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{HTTPStatus: resp.StatusCode, Raw: raw}
	if resp.StatusCode == http.StatusOK {
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type: got %q, want application/json", got)
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&a.Fields); err != nil {
			t.Fatalf("decode answer %s: %v", raw, err)
		}
	}
	return a
}

func (f *fake) send(t *testing.T, body string) answer {
	t.Helper()
	return f.post(t, "send_message", testToken, body)
}

// textBody is a valid text send_message body.
func textBody(receiver, text string) string {
	b, _ := json.Marshal(map[string]any{"receiver": receiver, "type": "text", "text": text, "sender": map[string]string{"name": "PayBot"}})
	return string(b)
}
