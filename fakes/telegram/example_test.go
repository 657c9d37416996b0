package telegram_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/mymmrac/telego"
	tu "github.com/mymmrac/telego/telegoutil"

	"github.com/paylastic/edge/fakes/telegram"
)

func Example() {
	const token = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	fake := telegram.New(token)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bot, err := telego.NewBot(token, telego.WithAPIServer(srv.URL), telego.WithHTTPClient(srv.Client()), telego.WithDiscardLogger())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	fake.FailNext("sendMessage", 429, 5, 1)
	_, err = bot.SendMessage(ctx, tu.Message(tu.ID(42), "Hello"))
	fmt.Println(err)

	msg, _ := bot.SendMessage(ctx, tu.Message(tu.ID(42), "<b>Invoice</b> #7").WithParseMode(telego.ModeHTML))
	_, _ = bot.EditMessageText(ctx, tu.EditMessageText(tu.ID(42), msg.MessageID, "<b>Paid</b> #7").WithParseMode(telego.ModeHTML))

	calls, _ := fake.WaitCalls("", 3, time.Second)
	for _, c := range calls {
		fmt.Println(c.Method, c.Status, c.Param("text"))
	}
	for _, m := range fake.Messages(42) {
		fmt.Printf("#%d %q edits=%d\n", m.ID, m.Plain, m.Edits)
	}
	// Output:
	// telego: sendMessage: api: 429 "Too Many Requests: retry after 5", migrate to chat ID: 0, retry after: 5
	// sendMessage 429 Hello
	// sendMessage 200 <b>Invoice</b> #7
	// editMessageText 200 <b>Paid</b> #7
	// #1 "Paid #7" edits=1
}
