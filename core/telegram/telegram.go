// Package telegram adapts the operator's conversation (package bot) to the
// Telegram Bot API (https://core.telegram.org/bots/api): it authenticates
// and parses webhook updates into bot events, turns bot replies into Bot API
// calls, and delivers check notifications. API calls go through
// github.com/mymmrac/telego, built only when a request needs to call out,
// over the platform's *http.Client.
//
// telegoutil is not used: it imports telegohandler, whose package-level
// regexp would be compiled at the start of every Worker request.
package telegram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/mymmrac/telego"
	ta "github.com/mymmrac/telego/telegoapi"
)

// Messenger is the name of this messenger in operator bindings and checks.
const Messenger = "telegram"

// DefaultAPIURL is the Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Client calls the Bot API for one bot. The telego bot behind it is built on
// first use. A Client is used by one request at a time.
type Client struct {
	Token  string       // TELEGRAM_BOT_TOKEN
	APIURL string       // TELEGRAM_API_URL; DefaultAPIURL if empty
	HTTP   *http.Client // outbound HTTP; http.DefaultClient if nil

	api *telego.Bot
}

// Bot returns the telego bot, building it on first use. It fails only for
// a token of the wrong shape (telego.ErrInvalidToken).
func (c *Client) Bot() (*telego.Bot, error) {
	if c.api != nil {
		return c.api, nil
	}
	hc, url := c.HTTP, c.APIURL
	if hc == nil {
		hc = http.DefaultClient
	}
	if url == "" {
		url = DefaultAPIURL
	}
	b, err := telego.NewBot(c.Token,
		telego.WithAPICaller(resultless{ta.HTTPCaller{Client: hc}}),
		telego.WithAPIServer(url),
		telego.WithDiscardLogger(),
		telego.WithRequestConstructor(bufferedConstructor{}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram bot: %w", err)
	}
	c.api = b
	return b, nil
}

// call runs one Bot API method with the built bot and classifies and logs
// its failure (see APIError).
func (c *Client) call(ctx context.Context, method string, f func(*telego.Bot) error) error {
	b, err := c.Bot()
	if err != nil {
		return c.fail(method, err)
	}
	if err := f(b); err != nil {
		return c.fail(method, err)
	}
	return nil
}

// resultless drops the answer's result of the methods whose result (the
// Message sent or edited) the product never reads, so that telego does not
// decode it: encoding/json builds its tables for telego.Message, a hundred
// fields of nested types, the first time it meets it, and every Worker
// request is a fresh instance (~2 ms natively, several in workerd). Errors
// and every other method's result go through as they are.
type resultless struct{ ta.Caller }

func (c resultless) Call(ctx context.Context, url string, data *ta.RequestData) (*ta.Response, error) {
	resp, err := c.Caller.Call(ctx, url, data)
	if err == nil && resp != nil && resp.Ok {
		switch url[strings.LastIndexByte(url, '/')+1:] {
		case "sendMessage", "sendPhoto", "editMessageText", "editMessageCaption":
			resp.Result = nil
		}
	}
	return resp, err
}

// bufferedConstructor builds multipart bodies in memory instead of telego's
// pipe and goroutine: the QR picture is a few KiB, and a body with a length
// goes through every outbound transport (Workers fetch, the harness ABI)
// without chunking.
type bufferedConstructor struct{ ta.DefaultConstructor }

func (bufferedConstructor) MultipartRequest(params map[string]string, files map[string]ta.NamedReader) (*ta.RequestData, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range params {
		if err := w.WriteField(k, v); err != nil {
			return nil, fmt.Errorf("write field %s: %w", k, err)
		}
	}
	for k, f := range files {
		if f == nil {
			continue
		}
		part, err := w.CreateFormFile(k, f.Name())
		if err != nil {
			return nil, fmt.Errorf("write file %s: %w", k, err)
		}
		if _, err := io.Copy(part, f); err != nil {
			return nil, fmt.Errorf("write file %s: %w", k, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("close multipart: %w", err)
	}
	return &ta.RequestData{ContentType: w.FormDataContentType(), BodyRaw: body.Bytes()}, nil
}

// namedBytes is an in-memory upload.
type namedBytes struct {
	*bytes.Reader
	name string
}

func (n namedBytes) Name() string { return n.name }

func upload(b []byte, name string) telego.InputFile {
	return telego.InputFile{File: namedBytes{bytes.NewReader(b), name}}
}
