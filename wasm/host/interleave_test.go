package host_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/paylastic/edge/wasm/host"
	"github.com/paylastic/edge/wasm/hosttest"
)

// TestPoolInterleavedOnOneInstance: two merchants, with operators on two
// messengers in two languages, take turns on ONE instance. Every answer is
// the one a fresh instance would give: the right merchant, amount and
// language, nothing carried over from the request before.
func TestPoolInterleavedOnOneInstance(t *testing.T) {
	e := hosttest.Start(t, hosttest.Options{Console: true, Limits: host.Limits{MaxInstances: 1}})
	type operator struct {
		via, lang, merchant string
		amounts             []string // as typed
		shown               []string // as the payment page shows them
	}
	ops := []operator{
		{"telegram", "uk", "Кавʼярня Ранок", []string{"12", "25,50"}, []string{"12,00 грн", "25,50 грн"}},
		{"viber", "en", "Night Bar", []string{"34.5", "7"}, []string{"UAH 34.50", "UAH 7.00"}},
	}
	for _, op := range ops {
		code, body := request(t, "POST", e.URL+"/admin/merchants", hosttest.AdminToken, `{"name":"`+op.merchant+`"}`)
		var m struct {
			Code string `json:"activation_code"`
		}
		if err := json.Unmarshal([]byte(body), &m); code != 201 || err != nil {
			t.Fatalf("create %s = %d %s", op.merchant, code, body)
		}
		if op.via == "viber" {
			consoleSend(t, e, "/dev/api/demo", op.via, op.lang, "") // Viber's conversation_started first
		}
		consoleSend(t, e, "/dev/api/send", op.via, op.lang, m.Code)
	}
	for i := range 2 {
		for _, op := range ops {
			consoleSend(t, e, "/dev/api/send", op.via, op.lang, op.amounts[i])
			link, text := lastLink(t, e, op.via)
			if !strings.Contains(text, op.shown[i]) { // the operator's language
				t.Errorf("%s check %q: the bot said %q, want %q in it", op.via, op.amounts[i], text, op.shown[i])
			}
			page := getPage(t, link, op.lang)
			for _, want := range []string{op.merchant, op.shown[i], `lang="` + op.lang + `"`} {
				if !strings.Contains(page, want) {
					t.Errorf("%s check %q: the payment page lacks %q", op.via, op.amounts[i], want)
				}
			}
			for _, other := range ops {
				if other.merchant != op.merchant && strings.Contains(page, other.merchant) {
					t.Errorf("%s check %q: the page shows the other merchant %q", op.via, op.amounts[i], other.merchant)
				}
			}
		}
	}
	if st := e.Harness.Stats(); st.Created != 1 || st.Retired+st.Crashed != 0 {
		t.Errorf("pool %+v: want every request on one instance", st)
	}
}

func consoleSend(t *testing.T, e *hosttest.Env, path, via, lang, text string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"via": via, "lang": lang, "text": text})
	resp, err := http.Post(e.URL+path, "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s %s = %d %s", path, b, resp.StatusCode, out)
	}
}

var checkLinkRE = regexp.MustCompile(`https?://\S+/p/[A-Za-z0-9_-]+`)

// lastLink is the newest payment link the bot sent in the console's chat,
// and the text of its message.
func lastLink(t *testing.T, e *hosttest.Env, via string) (link, text string) {
	t.Helper()
	_, body := request(t, "GET", e.URL+"/dev/api/chat?via="+via, "", "")
	var chat struct{ Messages []struct{ From, Text string } }
	if err := json.Unmarshal([]byte(body), &chat); err != nil {
		t.Fatal(err)
	}
	for i := len(chat.Messages) - 1; i >= 0; i-- {
		if l := checkLinkRE.FindString(chat.Messages[i].Text); l != "" && chat.Messages[i].From == "bot" {
			return l, chat.Messages[i].Text
		}
	}
	t.Fatalf("no payment link in the %s chat: %s", via, body)
	return "", ""
}

func getPage(t *testing.T, url, lang string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Language", lang)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", url, resp.StatusCode)
	}
	return string(b)
}
