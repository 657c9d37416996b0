package viber_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/paylastic/edge/fakes/viber"
)

func Example() {
	fake := viber.New("test-token")
	api := httptest.NewServer(fake) // VIBER_API_URL = api.URL + "/pa"
	defer api.Close()

	req, _ := http.NewRequest("POST", api.URL+"/pa/send_message", strings.NewReader(
		`{"receiver":"01234567890A=","type":"text","text":"Сума?","sender":{"name":"PayBot"}}`))
	req.Header.Set("X-Viber-Auth-Token", "test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	for _, m := range fake.Messages("01234567890A=") {
		fmt.Println(m.Token, m.Type, m.Text)
	}
	// Output:
	// {"status":0,"status_message":"ok","message_token":5741311803571721087,"chat_hostname":"SN-CHAT-01_","billing_status":1}
	// 5741311803571721087 text Сума?
}

func ExampleServer_Deliver() {
	fake := viber.New("test-token")
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get(viber.SignatureHeader) != viber.Sign("test-token", body) {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		var ev struct {
			Event   string `json:"event"`
			Context string `json:"context"`
		}
		json.Unmarshal(body, &ev)
		if ev.Event == "conversation_started" {
			fmt.Fprintf(w, `{"type":"text","text":"Рахунок %s","sender":{"name":"PayBot"}}`, ev.Context)
		}
	}))
	defer bot.Close()

	ts := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	resp, err := fake.Deliver(context.Background(), bot.Client(), bot.URL+"/viber/webhook",
		viber.ConversationStarted("01234567890A=", "Оксана", "uk", "inv-42", false, 4912661846655238145, ts))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	for _, m := range fake.Messages("01234567890A=") {
		fmt.Println(m.Welcome, m.Text)
	}
	// Output:
	// true Рахунок inv-42
}
