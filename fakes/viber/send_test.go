package viber

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
)

const kbExample = `{"Type":"keyboard","DefaultHeight":false,"BgColor":"#FFFFFF",
 "Buttons":[
  {"Columns":3,"Rows":1,"BgColor":"#2db9b9","ActionType":"reply","ActionBody":"pay:42","Text":"<b>Pay</b>","TextSize":"regular","Silent":true},
  {"Columns":3,"Rows":1,"ActionType":"open-url","ActionBody":"https://pay.example.com/i/42","Text":"Open invoice","OpenURLType":"external"}]}`

// msgView is the comparable part of a Message.
type msgView struct {
	Type, Text, Media, Thumbnail, TrackingData, SenderName, SenderAvatar string
	MinAPIVersion                                                        int
}

func view(m Message) msgView {
	return msgView{m.Type, m.Text, m.Media, m.Thumbnail, m.TrackingData, m.SenderName, m.SenderAvatar, m.MinAPIVersion}
}

func TestSendMessageAccepted(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		want     Message // Type, Text, Media, TrackingData, SenderName, MinAPIVersion
		keyboard bool
	}{
		{"text", `{"receiver":"u1","type":"text","text":"Hello","sender":{"name":"PayBot"}}`,
			Message{Type: "text", Text: "Hello", SenderName: "PayBot", MinAPIVersion: 1}, false},
		{"text with tracking data", `{"receiver":"u1","min_api_version":1,"sender":{"name":"PayBot","avatar":"https://x.example/a.png"},"tracking_data":"order:42","type":"text","text":"Сума?"}`,
			Message{Type: "text", Text: "Сума?", TrackingData: "order:42", SenderName: "PayBot", SenderAvatar: "https://x.example/a.png", MinAPIVersion: 1}, false},
		{"sender name of 28 letters", `{"receiver":"u1","type":"text","text":"x","sender":{"name":"` + repeat("ї", 28) + `"}}`,
			Message{Type: "text", Text: "x", SenderName: repeat("ї", 28), MinAPIVersion: 1}, false},
		{"text of 7000 characters", `{"receiver":"u1","type":"text","text":"` + repeat("a", 7000) + `","sender":{"name":"B"}}`,
			Message{Type: "text", Text: repeat("a", 7000), SenderName: "B", MinAPIVersion: 1}, false},
		{"picture from the docs", `{"receiver":"u1","min_api_version":1,"sender":{"name":"PayBot"},"tracking_data":"order:42","type":"picture","text":"Scan to pay","media":"https://bot.example.com/qr/42.png"}`,
			Message{Type: "picture", Text: "Scan to pay", Media: "https://bot.example.com/qr/42.png", TrackingData: "order:42", SenderName: "PayBot", MinAPIVersion: 1}, false},
		{"picture with empty text and a query", `{"receiver":"u1","sender":{"name":"B"},"type":"picture","text":"","media":"http://127.0.0.1:8080/p/ab/qr.PNG?v=2","thumbnail":"https://x.example/t.jpeg"}`,
			Message{Type: "picture", Media: "http://127.0.0.1:8080/p/ab/qr.PNG?v=2", Thumbnail: "https://x.example/t.jpeg", SenderName: "B", MinAPIVersion: 1}, false},
		{"text with keyboard", `{"receiver":"u1","type":"text","text":"Pay?","sender":{"name":"B"},"keyboard":` + kbExample + `}`,
			Message{Type: "text", Text: "Pay?", SenderName: "B", MinAPIVersion: 1}, true},
		{"picture with keyboard", `{"receiver":"u1","type":"picture","text":"","media":"https://x.example/q.gif","sender":{"name":"B"},"keyboard":{"Type":"keyboard","Buttons":[{"ActionBody":"/new","Text":"New"}]}}`,
			Message{Type: "picture", Media: "https://x.example/q.gif", SenderName: "B", MinAPIVersion: 1}, true},
		{"keyboard with InputFieldState at api 4", `{"receiver":"u1","min_api_version":4,"type":"text","text":"t","sender":{"name":"B"},"keyboard":{"Type":"keyboard","InputFieldState":"hidden","Buttons":[{"ActionBody":"a","Text":"A"}]}}`,
			Message{Type: "text", Text: "t", SenderName: "B", MinAPIVersion: 4}, true},
		{"url", `{"receiver":"u1","type":"url","media":"https://pay.example.com/i/42","sender":{"name":"B"}}`,
			Message{Type: "url", Media: "https://pay.example.com/i/42", SenderName: "B", MinAPIVersion: 1}, false},
		{"file", `{"receiver":"u1","type":"file","media":"https://x.example/r.pdf","size":1000,"file_name":"r.pdf","sender":{"name":"B"}}`,
			Message{Type: "file", Media: "https://x.example/r.pdf", SenderName: "B", MinAPIVersion: 1}, false},
		{"location", `{"receiver":"u1","type":"location","location":{"lat":50.45,"lon":30.52},"sender":{"name":"B"}}`,
			Message{Type: "location", SenderName: "B", MinAPIVersion: 1}, false},
		{"contact", `{"receiver":"u1","type":"contact","contact":{"name":"Shop","phone_number":"+380441234567"},"sender":{"name":"B"}}`,
			Message{Type: "contact", SenderName: "B", MinAPIVersion: 1}, false},
		{"sticker", `{"receiver":"u1","type":"sticker","sticker_id":46105,"sender":{"name":"B"}}`,
			Message{Type: "sticker", SenderName: "B", MinAPIVersion: 1}, false},
		{"unknown fields are ignored", `{"receiver":"u1","type":"text","text":"x","sender":{"name":"B"},"chat_id":"c","from":"f"}`,
			Message{Type: "text", Text: "x", SenderName: "B", MinAPIVersion: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := f.send(t, tt.body)
			if a.HTTPStatus != 200 || a.status() != "0" || a.statusMsg() != "ok" {
				t.Fatalf("answer: got HTTP %d %s, want HTTP 200 status 0 ok", a.HTTPStatus, a.Raw)
			}
			if got := str(a.Fields["chat_hostname"]); got != DefaultChatHostname {
				t.Errorf("chat_hostname: got %q, want %q", got, DefaultChatHostname)
			}
			if got := num(a.Fields["billing_status"]); got != "1" {
				t.Errorf("billing_status: got %q, want 1", got)
			}
			msgs := f.Messages("u1")
			if len(msgs) != 1 {
				t.Fatalf("Messages: got %d, want 1", len(msgs))
			}
			m := msgs[0]
			if got, want := a.token(), strconv.FormatUint(m.Token, 10); got != want {
				t.Errorf("message_token: got %s, want %s", got, want)
			}
			if !m.Time.Equal(f.clock.Now()) {
				t.Errorf("Time: got %v, want %v", m.Time, f.clock.Now())
			}
			if got, want := view(m), view(tt.want); got != want {
				t.Errorf("message: got %+v, want %+v", got, want)
			}
			if m.Receiver != "u1" {
				t.Errorf("Receiver: got %q, want u1", m.Receiver)
			}
			if got := m.Keyboard != nil; got != tt.keyboard {
				t.Errorf("has keyboard: got %v, want %v", got, tt.keyboard)
			}
			if tt.keyboard {
				var want bytes.Buffer
				var o map[string]json.RawMessage
				json.Unmarshal([]byte(tt.body), &o)
				json.Compact(&want, o["keyboard"])
				if !bytes.Equal(m.Keyboard, want.Bytes()) {
					t.Errorf("Keyboard: got %s, want %s", m.Keyboard, want.Bytes())
				}
			}
			var want bytes.Buffer
			json.Compact(&want, []byte(tt.body))
			if !bytes.Equal(m.Raw, want.Bytes()) {
				t.Errorf("Raw: got %s, want %s", m.Raw, want.Bytes())
			}
		})
	}
}

// TestMessageTokens checks that tokens are above 2^53 and survive exactly
// when decoded as json.Number, uint64 or int64, but not as float64.
func TestMessageTokens(t *testing.T) {
	f := newFake(t)
	var tokens []uint64
	for i := range 3 {
		a := f.send(t, textBody("u1", strconv.Itoa(i)))
		var asUint struct {
			MessageToken uint64 `json:"message_token"`
		}
		var asInt struct {
			MessageToken int64 `json:"message_token"`
		}
		var asFloat struct {
			MessageToken float64 `json:"message_token"`
		}
		for _, v := range []any{&asUint, &asInt, &asFloat} {
			if err := json.Unmarshal(a.Raw, v); err != nil {
				t.Fatal(err)
			}
		}
		want := FirstMessageToken + uint64(i)
		if got := a.token(); got != strconv.FormatUint(want, 10) {
			t.Errorf("json.Number: got %s, want %d", got, want)
		}
		if asUint.MessageToken != want {
			t.Errorf("uint64: got %d, want %d", asUint.MessageToken, want)
		}
		if uint64(asInt.MessageToken) != want {
			t.Errorf("int64: got %d, want %d", asInt.MessageToken, want)
		}
		if uint64(asFloat.MessageToken) == want {
			t.Errorf("float64 decoding kept %d exactly; want a token float64 cannot hold", want)
		}
		if want <= 1<<53 {
			t.Errorf("token %d: want above 2^53", want)
		}
		tokens = append(tokens, asUint.MessageToken)
	}
	msgs := f.Messages("u1")
	for i, m := range msgs {
		if m.Token != tokens[i] {
			t.Errorf("Messages[%d].Token: got %d, want %d", i, m.Token, tokens[i])
		}
	}
}

func TestSendMessageRejected(t *testing.T) {
	const s = `"sender":{"name":"B"}`
	tests := []struct {
		name       string
		body       string
		wantStatus string
		wantMsg    string
	}{
		{"not JSON", `{"receiver":`, "3", "badData"},
		{"array body", `[]`, "3", "badData"},
		{"empty body", ``, "3", "badData"},
		{"missing receiver", `{"type":"text","text":"x",` + s + `}`, "4", "missingData"},
		{"receiver is a number", `{"receiver":1,"type":"text","text":"x",` + s + `}`, "3", "badData"},
		{"receiver key in capitals", `{"Receiver":"u1","type":"text","text":"x",` + s + `}`, "4", "missingData"},
		{"missing type", `{"receiver":"u1","text":"x",` + s + `}`, "4", "missingData"},
		{"unknown type", `{"receiver":"u1","type":"audio","text":"x",` + s + `}`, "3", "badData"},
		{"missing sender", `{"receiver":"u1","type":"text","text":"x"}`, "4", "missingData"},
		{"empty sender name", `{"receiver":"u1","type":"text","text":"x","sender":{"name":""}}`, "4", "missingData"},
		{"sender name of 29", `{"receiver":"u1","type":"text","text":"x","sender":{"name":"` + repeat("b", 29) + `"}}`, "3", "badData"},
		{"sender is a string", `{"receiver":"u1","type":"text","text":"x","sender":"B"}`, "3", "badData"},
		{"missing text", `{"receiver":"u1","type":"text",` + s + `}`, "4", "missingData"},
		{"empty text", `{"receiver":"u1","type":"text","text":"",` + s + `}`, "4", "missingData"},
		{"text of 7001", `{"receiver":"u1","type":"text","text":"` + repeat("a", 7001) + `",` + s + `}`, "3", "badData"},
		{"text is a number", `{"receiver":"u1","type":"text","text":5,` + s + `}`, "3", "badData"},
		{"tracking data of 4001", `{"receiver":"u1","type":"text","text":"x","tracking_data":"` + repeat("t", 4001) + `",` + s + `}`, "3", "badData"},
		{"min_api_version 0", `{"receiver":"u1","type":"text","text":"x","min_api_version":0,` + s + `}`, "3", "badData"},
		{"min_api_version string", `{"receiver":"u1","type":"text","text":"x","min_api_version":"2",` + s + `}`, "3", "badData"},
		{"min_api_version fraction", `{"receiver":"u1","type":"text","text":"x","min_api_version":1.5,` + s + `}`, "3", "badData"},
		{"picture without text", `{"receiver":"u1","type":"picture","media":"https://x.example/a.png",` + s + `}`, "4", "missingData"},
		{"picture text of 121", `{"receiver":"u1","type":"picture","text":"` + repeat("p", 121) + `","media":"https://x.example/a.png",` + s + `}`, "3", "badData"},
		{"picture without media", `{"receiver":"u1","type":"picture","text":"",` + s + `}`, "4", "missingData"},
		{"picture media not an image name", `{"receiver":"u1","type":"picture","text":"","media":"https://x.example/qr",` + s + `}`, "3", "badData"},
		{"picture media webp", `{"receiver":"u1","type":"picture","text":"","media":"https://x.example/a.webp",` + s + `}`, "3", "badData"},
		{"picture media relative", `{"receiver":"u1","type":"picture","text":"","media":"/qr/42.png",` + s + `}`, "3", "badData"},
		{"picture thumbnail not a URL", `{"receiver":"u1","type":"picture","text":"","media":"https://x.example/a.png","thumbnail":"t.png",` + s + `}`, "3", "badData"},
		{"url too long", `{"receiver":"u1","type":"url","media":"https://x.example/` + repeat("u", 2000) + `",` + s + `}`, "3", "badData"},
		{"file without size", `{"receiver":"u1","type":"file","media":"https://x.example/r.pdf","file_name":"r.pdf",` + s + `}`, "4", "missingData"},
		{"location without lon", `{"receiver":"u1","type":"location","location":{"lat":1},` + s + `}`, "4", "missingData"},
		{"sticker without id", `{"receiver":"u1","type":"sticker",` + s + `}`, "4", "missingData"},
		{"keyboard without Type", `{"receiver":"u1","type":"text","text":"x",` + s + `,"keyboard":{"Buttons":[{"ActionBody":"a","Text":"A"}]}}`, "3", "badData"},
		{"larger than 30 KB", `{"receiver":"u1","type":"text","text":"x","tracking_data":"` + repeat("z", MaxRequestBytes) + `",` + s + `}`, "3", "badData"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := f.send(t, tt.body)
			if a.HTTPStatus != 200 || a.status() != tt.wantStatus || a.statusMsg() != tt.wantMsg {
				t.Errorf("answer: got HTTP %d %s, want HTTP 200 status %s %s", a.HTTPStatus, a.Raw, tt.wantStatus, tt.wantMsg)
			}
			if _, ok := a.Fields["message_token"]; ok {
				t.Errorf("answer has a message_token: %s", a.Raw)
			}
			if got := f.Messages("u1"); len(got) != 0 {
				t.Errorf("Messages: got %d, want none", len(got))
			}
			calls := f.Calls()
			if len(calls) != 1 || calls[0].Detail == "" {
				t.Errorf("Calls: got %+v, want one call with a Detail", calls)
			}
		})
	}
}
