package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	tgfake "github.com/paylastic/edge/fakes/telegram"
	"github.com/paylastic/edge/wasm/hosttest"
)

const (
	tgToken  = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	tgSecret = "e2e-webhook-secret"
)

// tgEnv is the compiled guest with Telegram configured against the fake Bot API.
type tgEnv struct {
	*hosttest.Env
	t      *testing.T
	tg     *tgfake.Server
	update atomic.Int64
}

func startTelegram(t *testing.T) *tgEnv {
	t.Helper()
	fake := tgfake.New(tgToken)
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	env := hosttest.Start(t, hosttest.Options{Env: map[string]string{
		"TELEGRAM_BOT_TOKEN":      tgToken,
		"TELEGRAM_WEBHOOK_SECRET": tgSecret,
		"TELEGRAM_API_URL":        api.URL,
	}})
	fake.SetClock(env.Clock.Now)
	e := &tgEnv{Env: env, t: t, tg: fake}
	e.update.Store(100)
	return e
}

// newMerchant registers a merchant through the admin API and returns its
// activation code.
func (e *tgEnv) newMerchant(name string) string {
	e.t.Helper()
	st, body := adminCall(e.t, e.URL, "POST", "/admin/merchants", fmt.Sprintf(`{"name":%q}`, name))
	return activationCode(e.t, st, body)
}

// tgUser is a Telegram user in a private chat with the bot.
type tgUser struct {
	e    *tgEnv
	id   int64
	lang string
}

func (e *tgEnv) user(id int64, lang string) *tgUser { return &tgUser{e: e, id: id, lang: lang} }

// message builds a text message update from u, with a fresh update_id and
// message_id, dated now.
func (u *tgUser) message(text string) string {
	id := u.e.update.Add(1)
	msgID := u.e.tg.NextMessageID(u.id)
	t, _ := json.Marshal(text)
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Оля","language_code":%q},"chat":{"id":%d,"type":"private","first_name":"Оля"},"date":%d,"text":%s}}`,
		id, msgID, u.id, u.lang, u.id, u.e.Clock.Now().Unix(), t)
}

// callback builds a press of an inline button under the bot's message msgID.
func (u *tgUser) callback(data string, msgID int) string {
	id := u.e.update.Add(1)
	d, _ := json.Marshal(data)
	return fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cq%d","from":{"id":%d,"is_bot":false,"first_name":"Оля","language_code":%q},"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"photo":[{"file_id":"f","file_unique_id":"u","width":512,"height":512}],"caption":"…"},"chat_instance":"ci","data":%s}}`,
		id, id, u.id, u.lang, msgID, u.e.Clock.Now().Unix(), u.id, d)
}

// deliver posts an update as Telegram does and returns the status.
func (e *tgEnv) deliver(secret, update string) int {
	e.t.Helper()
	return deliver(e.t, e.URL+"/telegram/webhook", []byte(update), "X-Telegram-Bot-Api-Secret-Token", secret)
}

// send delivers update with the right secret and wants 200.
func (u *tgUser) send(update string) {
	u.e.t.Helper()
	if st := u.e.deliver(tgSecret, update); st != 200 {
		u.e.t.Fatalf("update answered %d, want 200: %s", st, update)
	}
}

// say sends a text and returns what the bot sent to the chat meanwhile.
func (u *tgUser) say(text string) []tgfake.Message {
	u.e.t.Helper()
	before := len(u.e.tg.Messages(u.id))
	u.send(u.message(text))
	return u.e.tg.Messages(u.id)[before:]
}

// oneOf wants exactly one message in msgs, of any messenger.
func oneOf[M any](t *testing.T, what string, msgs []M) M {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("%s: the bot sent %d messages, want 1: %+v", what, len(msgs), msgs)
	}
	return msgs[0]
}

// oneMessage wants exactly one Telegram message in msgs.
var oneMessage = oneOf[tgfake.Message]

// decodeQR reads the QR code in a PNG.
func decodeQR(t *testing.T, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The product's PNG is the symbol alone (quiet zone, whole-pixel
	// modules): PURE_BARCODE reads it as such. Without it gozxing's finder
	// misjudged 2 of 300 clean symbols of random links ("dimension = 35");
	// with it, 0 of 300.
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("read QR: %v", err)
	}
	return res.GetText()
}

// linkIn finds the payment link in a caption.
func linkIn(t *testing.T, e *tgEnv, caption string) string {
	t.Helper()
	i := strings.Index(caption, e.URL+"/p/")
	if i < 0 {
		t.Fatalf("no payment link in caption %q", caption)
	}
	return strings.Fields(caption[i:])[0]
}

// getPage fetches a page of the product.
func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// okCalls counts the successful Bot API calls of method.
func (e *tgEnv) okCalls(method string) int { return okCalls(e.tg, method) }

// noticePrefixes start the bot's notices about payments (paid, failed,
// expired, refunded), in every language.
var noticePrefixes = []string{"✅", "⚠️", "⌛", "↩"}

// notices keeps the texts that are notices about payments, in order.
func notices(texts []string) []string {
	var out []string
	for _, text := range texts {
		for _, p := range noticePrefixes {
			if strings.HasPrefix(text, p) {
				out = append(out, text)
			}
		}
	}
	return out
}

// tgTexts are the texts (captions included) of Telegram messages.
func tgTexts(msgs []tgfake.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Plain
	}
	return out
}

// wantTold wants got to be one notice each containing want, in order.
func wantTold(t testing.TB, got []string, want ...string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.Contains(got[i], want[i])
	}
	if !ok {
		t.Errorf("the operator was told %q, want one message each containing %q", got, want)
	}
}

// okCalls counts the successful calls of method the fake Bot API answered.
func okCalls(fake *tgfake.Server, method string) int {
	n := 0
	for _, c := range fake.Calls() {
		if c.Method == method && c.OK() {
			n++
		}
	}
	return n
}

// cancelData returns the callback data of the inline button under a picture.
func cancelData(t *testing.T, m tgfake.Message) string {
	t.Helper()
	var mk struct {
		Rows [][]struct {
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(m.ReplyMarkup, &mk); err != nil || len(mk.Rows) != 1 || len(mk.Rows[0]) != 1 {
		t.Fatalf("inline keyboard %s: %v", m.ReplyMarkup, err)
	}
	return mk.Rows[0][0].Data
}

// checkIDs lists the ids of the checks in KV.
func (e *tgEnv) checkIDs() []string { return checkIDs(e.t, e.Env) }

// checkState reads a check's state record straight from the consistent store.
func (e *tgEnv) checkState(id string) stateView { return checkState(e.t, e.Env, id) }
