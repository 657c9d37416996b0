package telegram

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mymmrac/telego"
	ta "github.com/mymmrac/telego/telegoapi"
	"github.com/paylastic/edge/internal/testsupport"
)

const testToken = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// newBot starts a fake behind httptest and a telego bot pointed at it.
func newBot(t *testing.T) (*Server, *telego.Bot, *httptest.Server) {
	t.Helper()
	fake := New(testToken)
	fake.SetClock(func() time.Time { return testsupport.T0 })
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, botFor(t, srv, testToken), srv
}

func botFor(t *testing.T, srv *httptest.Server, token string) *telego.Bot {
	t.Helper()
	bot, err := telego.NewBot(token, telego.WithAPIServer(srv.URL), telego.WithHTTPClient(srv.Client()), telego.WithDiscardLogger())
	if err != nil {
		t.Fatalf("new bot: %v", err)
	}
	return bot
}

// pngOf encodes a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return b.Bytes()
}

// apiErr returns the *ta.Error in err, or nil.
func apiErr(err error) *ta.Error {
	var e *ta.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// lastCall returns the last recorded call of method.
func lastCall(t *testing.T, fake *Server, method string) Call {
	t.Helper()
	calls, err := fake.WaitCalls(method, 1, time.Second)
	if err != nil {
		t.Fatalf("calls: %v", err)
	}
	return calls[len(calls)-1]
}
