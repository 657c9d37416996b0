package viber

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/bot"
	"github.com/paylastic/edge/core/text"
	vbfake "github.com/paylastic/edge/fakes/viber"
	"github.com/paylastic/edge/internal/testsupport"
)

func TestEvent(t *testing.T) {
	ts := time.UnixMilli(1457764197627).UTC()
	u := vbfake.User{ID: userID, Name: " Оля ", Language: "en-US"}
	tests := []struct {
		name   string
		body   []byte
		ok     bool
		kind   bot.Kind
		text   string
		button bot.ButtonID
		data   string
	}{
		{"text", vbfake.MessageCallback(userID, "Оля", "uk", "12,50", firstToken, ts, ""), true, bot.Text, "12,50", 0, ""},
		{"label typed", vbfake.MessageCallback(userID, "Оля", "uk", "Створити чек", firstToken, ts, ""), true, bot.Text, "Створити чек", 0, ""},
		{"press new", vbfake.MessageCallback(userID, "Оля", "uk", "new", firstToken, ts, ""), true, bot.Press, "", bot.NewCheck, ""},
		{"press list", vbfake.MessageCallback(userID, "Оля", "uk", "list", firstToken, ts, ""), true, bot.Press, "", bot.MyChecks, ""},
		{"press help", vbfake.MessageCallback(userID, "Оля", "uk", " help ", firstToken, ts, ""), true, bot.Press, "", bot.Help, ""},
		{"cancel key", vbfake.MessageCallback(userID, "Оля", "uk", "cancel:abc", firstToken, ts, ""), true, bot.Callback, "", 0, "cancel:abc"},
		{"refund key", vbfake.MessageCallback(userID, "Оля", "uk", "refund:abc", firstToken, ts, ""), true, bot.Callback, "", 0, "refund:abc"},
		{"refund confirm key", vbfake.MessageCallback(userID, "Оля", "uk", "refundok:abc", firstToken, ts, ""), true, bot.Callback, "", 0, "refundok:abc"},
		{"refund decline key", vbfake.MessageCallback(userID, "Оля", "uk", "refundno:abc", firstToken, ts, ""), true, bot.Callback, "", 0, "refundno:abc"},
		{"command", vbfake.MessageCallback(userID, "Оля", "uk", "/start ABCD-EFGH-JK", firstToken, ts, ""), true, bot.Text, "/start ABCD-EFGH-JK", 0, ""},
		{"sticker", vbfake.MessageEvent(u, vbfake.InMessage{Type: "sticker", StickerID: 1}, firstToken, ts), true, bot.Text, "", 0, ""},
		{"picture with text", vbfake.MessageEvent(u, vbfake.InMessage{Type: "picture", Text: "12", Media: "https://x/y.png"}, firstToken, ts), true, bot.Text, "", 0, ""},
		{"conversation", vbfake.ConversationStarted(userID, "Оля", "en", "", false, firstToken, ts), true, bot.Start, "", 0, ""},
		{"deep link", vbfake.ConversationStarted(userID, "Оля", "en", " ABCD-EFGH-JK ", true, firstToken, ts), true, bot.Start, "ABCD-EFGH-JK", 0, ""},
		{"subscribed", vbfake.Subscribed(userID, "Оля", "uk", firstToken, ts), false, 0, "", 0, ""},
		{"seen", vbfake.Seen(userID, firstToken, ts), false, 0, "", 0, ""},
		{"no token", []byte(`{"event":"message","sender":{"id":"u"},"message":{"type":"text","text":"1"}}`), false, 0, "", 0, ""},
		{"no sender id", []byte(`{"event":"message","message_token":1,"sender":{"name":"x"},"message":{"type":"text","text":"1"}}`), false, 0, "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := ParseCallback(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			ev, ok := event(&cb, testsupport.T0)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, ev)
			}
			if !ok {
				return
			}
			if ev.Kind != tt.kind || ev.Text != tt.text || ev.Button != tt.button || ev.Data != tt.data {
				t.Errorf("event %+v; want kind %d text %q button %v data %q", ev, tt.kind, tt.text, tt.button, tt.data)
			}
			if ev.Messenger != Messenger || ev.UserID != userID || ev.ChatID != userID || ev.Name != "Оля" || !ev.At.Equal(ts) ||
				ev.Identity != "viber:"+userID+":4912661846655238145" {
				t.Errorf("event ids %+v", ev)
			}
		})
	}
}

// TestTokens: message tokens are read exactly, whatever their size.
func TestTokens(t *testing.T) {
	for _, tok := range []uint64{1, 1<<53 - 1, 1 << 53, 1<<53 + 1, 4912661846655238145, 5741311803571721087, 1<<64 - 1} {
		t.Run(strconv.FormatUint(tok, 10), func(t *testing.T) {
			body := vbfake.MessageCallback("u=", "O", "uk", "1", tok, testsupport.T0, "")
			cb, err := ParseCallback(body)
			if err != nil {
				t.Fatal(err)
			}
			if cb.MessageToken != tok || cb.Identity("u=") != "viber:u=:"+strconv.FormatUint(tok, 10) {
				t.Errorf("token %d, identity %s; want %d", cb.MessageToken, cb.Identity("u="), tok)
			}
		})
	}
}

func TestLang(t *testing.T) {
	for code, want := range map[string]string{"en": "en", "en-US": "en", "EN_gb": "en", "uk": "uk", "uk-UA": "uk", "ru": "uk", "": "uk"} {
		body := vbfake.MessageCallback("u=", "O", code, "1", 1, testsupport.T0, "")
		cb, _ := ParseCallback(body)
		ev, _ := event(&cb, testsupport.T0)
		if got := text.Lang(ev.Lang); got != want {
			t.Errorf("language %q: catalog %q, want %q", code, got, want)
		}
	}
}

// FuzzCallback: no body makes parsing or mapping panic; every event that
// comes out names its user, chat and message, and its identity carries the
// token exactly as the body wrote it.
func FuzzCallback(f *testing.F) {
	ts := time.UnixMilli(1457764197627)
	for _, b := range [][]byte{
		vbfake.MessageCallback(userID, "Оля", "uk", "12,50", firstToken, ts, ""),
		vbfake.MessageCallback(userID, "Оля", "en", "cancel:abc", 1<<64-1, ts, "t"),
		vbfake.ConversationStarted(userID, "Оля", "uk", "ABCD-EFGH-JK", false, 1<<53+1, ts),
		vbfake.MessageEvent(vbfake.User{ID: userID}, vbfake.InMessage{Type: "location", Location: &vbfake.Location{Lat: 1, Lon: 2}}, 7, ts),
		vbfake.Failed(userID, 3, ts, "x"), vbfake.WebhookCallback(5753750845017966998, ts, "SN"),
		[]byte(`{"event":"message","message_token":1e3}`), []byte(`{}`), []byte(`[]`), []byte(`null`),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		cb, err := ParseCallback(body)
		if err != nil {
			return
		}
		ev, ok := event(&cb, testsupport.T0)
		if !ok {
			return
		}
		if ev.UserID == "" || ev.ChatID != ev.UserID || len(ev.UserID) > maxUserID || cb.MessageToken == 0 {
			t.Fatalf("event %+v from %s", ev, body)
		}
		if !strings.HasSuffix(ev.Identity, ":"+strconv.FormatUint(cb.MessageToken, 10)) {
			t.Fatalf("identity %q, token %d", ev.Identity, cb.MessageToken)
		}
		// The token the body wrote, read as a number without float64.
		var raw struct {
			Token json.Number `json:"message_token"`
		}
		if json.Unmarshal(body, &raw) == nil && raw.Token != "" && raw.Token.String() != strconv.FormatUint(cb.MessageToken, 10) {
			t.Fatalf("token %s read as %d", raw.Token, cb.MessageToken)
		}
		if ev.Kind == bot.Callback && !strings.HasPrefix(ev.Data, bot.CancelPrefix) {
			t.Fatalf("callback without cancel data: %+v", ev)
		}
	})
}
