package telegram

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/internal/testsupport"
)

// post sends body to the fake and returns the status and answer.
func post(t *testing.T, h http.Handler, path, contentType string, body io.Reader) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestWireFormat(t *testing.T) {
	form := url.Values{"chat_id": {"42"}, "text": {"<b>hi</b>"}, "parse_mode": {"HTML"}}.Encode()
	tests := []struct {
		name, path, contentType, body string
		setup                         func(*Server)
		wantStatus                    int
		wantBody                      string
	}{
		{
			name: "bad token", path: "/bot1:bad/getMe",
			wantStatus: 401, wantBody: `{"ok":false,"error_code":401,"description":"Unauthorized"}`,
		},
		{
			name: "unknown method", path: "/bot" + testToken + "/sendDice",
			wantStatus: 404, wantBody: `{"ok":false,"error_code":404,"description":"Not Found"}`,
		},
		{
			name: "not a bot path", path: "/file/bot" + testToken + "/photos/1.png",
			wantStatus: 404, wantBody: `{"ok":false,"error_code":404,"description":"Not Found"}`,
		},
		{
			name: "rate limited", path: "/bot" + testToken + "/sendMessage", setup: func(s *Server) { s.FailNext("sendmessage", 429, 5, 1) },
			wantStatus: 429, wantBody: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`,
		},
		{
			name: "server error", path: "/bot" + testToken + "/getMe", setup: func(s *Server) { s.FailNext("getMe", 502, 0, 1) },
			wantStatus: 502, wantBody: `{"ok":false,"error_code":502,"description":"Bad Gateway"}`,
		},
		{
			name: "method names ignore case", path: "/bot" + testToken + "/GETME",
			wantStatus: 200, wantBody: `{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Fake Bot","username":"fake_bot","can_join_groups":true}}`,
		},
		{
			name: "form body", path: "/bot" + testToken + "/sendMessage", contentType: "application/x-www-form-urlencoded", body: form,
			wantStatus: 200,
			wantBody: `{"ok":true,"result":{"message_id":1,"from":{"id":123456,"is_bot":true,"first_name":"Fake Bot","username":"fake_bot"},` +
				`"chat":{"id":42,"type":"private"},"date":1795687200,"text":"hi","entities":[{"type":"bold","offset":0,"length":2}]}}`,
		},
		{
			name: "query string", path: "/bot" + testToken + "/answerCallbackQuery?callback_query_id=q1",
			wantStatus: 200, wantBody: `{"ok":true,"result":true}`,
		},
		{
			name: "webhook set", path: "/bot" + testToken + "/setWebhook", contentType: "application/json", body: `{"url":"https://bot.example.com/tg"}`,
			wantStatus: 200, wantBody: `{"ok":true,"result":true,"description":"Webhook was set"}`,
		},
		{
			name: "JSON null body", path: "/bot" + testToken + "/deleteWebhook", contentType: "application/json", body: `null`,
			wantStatus: 200, wantBody: `{"ok":true,"result":true,"description":"Webhook is already deleted"}`,
		},
		{
			name: "broken JSON", path: "/bot" + testToken + "/sendMessage", contentType: "application/json", body: `{"chat_id":`,
			wantStatus: 400, wantBody: `{"ok":false,"error_code":400,"description":"Bad Request: can't parse JSON object"}`,
		},
		{
			name: "no updates", path: "/bot" + testToken + "/getUpdates", contentType: "application/json", body: `{"offset":5}`,
			wantStatus: 200, wantBody: `{"ok":true,"result":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := New(testToken)
			fake.SetClock(func() time.Time { return testsupport.T0 })
			if tt.setup != nil {
				tt.setup(fake)
			}
			status, body := post(t, fake, tt.path, tt.contentType, strings.NewReader(tt.body))
			if status != tt.wantStatus || body != tt.wantBody {
				t.Errorf("got %d %s\nwant %d %s", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestMultipartAttach(t *testing.T) {
	fake := New(testToken)
	img := pngOf(t, 4, 3)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("chat_id", "42")
	_ = mw.WriteField("photo", "attach://qr")
	_ = mw.WriteField("reply_markup", `{"inline_keyboard":[[{"text":"Pay","url":"https://pay.example.com/i/1"}]]}`)
	fw, _ := mw.CreateFormFile("qr", "qr.png")
	_, _ = fw.Write(img)
	_ = mw.Close()
	status, answer := post(t, fake, "/bot"+testToken+"/sendPhoto", mw.FormDataContentType(), &body)
	if status != 200 || !strings.Contains(answer, `"width":4,"height":3`) {
		t.Fatalf("got %d %s, want the photo 4×3", status, answer)
	}
	c := fake.Calls()[0]
	if got, want := c.Param("reply_markup"), `{"inline_keyboard":[[{"text":"Pay","url":"https://pay.example.com/i/1"}]]}`; got != want {
		t.Errorf("reply_markup = %s, want %s", got, want)
	}
	if data, ok := fake.Photo(c.Files[0].FileID); !ok || !bytes.Equal(data, img) {
		t.Errorf("Photo(%s) = %d bytes, want the upload", c.Files[0].FileID, len(data))
	}
}

func TestLatencyAndReset(t *testing.T) {
	fake := New(testToken)
	fake.SetLatency(50 * time.Millisecond)
	start := time.Now()
	if status, _ := post(t, fake, "/bot"+testToken+"/getMe", "", nil); status != 200 {
		t.Fatalf("status %d, want 200", status)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered in %s, want at least 50ms", d)
	}
	fake.FailNext("getMe", 500, 0, 1)
	fake.Reset()
	start = time.Now()
	if status, _ := post(t, fake, "/bot"+testToken+"/getMe", "", nil); status != 200 {
		t.Errorf("status after Reset %d, want 200 (faults forgotten)", status)
	}
	if d := time.Since(start); d >= 50*time.Millisecond {
		t.Errorf("answered in %s after Reset, want no latency", d)
	}
	if got := len(fake.Calls()); got != 1 {
		t.Errorf("got %d calls after Reset, want 1", got)
	}
}

func TestBoundedMemory(t *testing.T) {
	fake := New(testToken)
	body := `{"chat_id":42,"text":"x"}`
	for range maxCalls*2 + 5 {
		post(t, fake, "/bot"+testToken+"/sendMessage", "application/json", strings.NewReader(body))
	}
	calls := fake.Calls()
	if len(calls) != maxCalls {
		t.Errorf("got %d calls, want the last %d", len(calls), maxCalls)
	}
	if got, none := len(fake.CallsOf("sendMessage")), fake.CallsOf("sendPhoto"); got != maxCalls || len(none) != 0 {
		t.Errorf("CallsOf: %d sendMessage, %d sendPhoto; want the last %d and none", got, len(none), maxCalls)
	}
	msgs := fake.Messages(42)
	if len(msgs) != maxMessages || msgs[len(msgs)-1].ID != maxCalls*2+5 || msgs[0].ID != maxCalls+6 {
		t.Errorf("got %d messages, ids %d…%d; want the last %d", len(msgs), msgs[0].ID, msgs[len(msgs)-1].ID, maxMessages)
	}
}
